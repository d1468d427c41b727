import AgentAdapters
public import AgentPolicy
import AgentTaskGraph

/// Why a run ended: the typed reason every ``ExecutionReport`` carries.
public enum StopReason: Hashable, Codable, Sendable, CustomStringConvertible {
    /// REVIEW accepted the outputs.
    case completed
    /// REVIEW rejected the outputs, for `reason`.
    case rejected(reason: String)
    /// A governance limit refused work or was passed; the run stopped at once.
    case policyViolation(violation: PolicyViolation)
    /// The run's timeout passed; in-flight work was cancelled.
    case timedOut(timeout: Nanoseconds)
    /// The caller cancelled the run's task.
    case cancelled
    /// The agent threw an error (not a tool error).
    case agentFailed(error: ErrorRecord)
    /// The agent let a tool's error escape from a step.
    case toolFailed(error: ErrorRecord)
    /// The orchestrator was shut down: the run was ended by ``Orchestrator/shutdown()``, or refused because it
    /// started afterwards (then no agent code ran).
    case shutdown
    /// The policy names a tool that is not registered (an exact name in its allow or deny list or per-tool caps);
    /// found before any agent code ran.
    case invalidPolicy(error: ErrorRecord)

    /// The reason's stable name: `completed`, `rejected`, `policyViolation`, `timedOut`, `cancelled`,
    /// `agentFailed`, `toolFailed`, `shutdown` or `invalidPolicy`.
    public var code: String {
        switch self {
        case .completed: "completed"
        case .rejected: "rejected"
        case .policyViolation: "policyViolation"
        case .timedOut: "timedOut"
        case .cancelled: "cancelled"
        case .agentFailed: "agentFailed"
        case .toolFailed: "toolFailed"
        case .shutdown: "shutdown"
        case .invalidPolicy: "invalidPolicy"
        }
    }

    /// The run status this reason gives.
    public var status: RunStatus {
        switch self {
        case .completed: .succeeded
        case .rejected, .policyViolation, .agentFailed, .toolFailed, .invalidPolicy: .failed
        case .timedOut: .timedOut
        case .cancelled, .shutdown: .cancelled
        }
    }

    /// The reason in words.
    public var description: String {
        switch self {
        case .completed: "completed"
        case .rejected(let reason): "rejected by review: \(reason)"
        case .policyViolation(let violation): "policy violation: \(violation.message)"
        case .timedOut(let timeout): "timed out after \(timeout)"
        case .cancelled: "cancelled by the caller"
        case .agentFailed(let error): "agent failed: \(error.message)"
        case .toolFailed(let error): "tool failed: \(error.message)"
        case .shutdown: "the orchestrator shut down"
        case .invalidPolicy(let error): "invalid policy: \(error.message)"
        }
    }
}

/// The outcome of a run in one word.
public enum RunStatus: String, Hashable, Codable, Sendable {
    /// The run completed and REVIEW accepted it.
    case succeeded
    /// The run failed: rejected, stopped by the policy, or the agent or a tool failed.
    case failed
    /// The run's timeout passed.
    case timedOut
    /// The caller cancelled the run.
    case cancelled
}

/// An error as data, for reports: its type, a message and, where it has one, a code.
public struct ErrorRecord: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The error's type name.
    public var type: String
    /// The error's description.
    public var message: String
    /// The error's code, for the library's own errors (for example `toolFailed`).
    public var code: String?
    /// The tool concerned, if any.
    public var tool: String?
    /// Whether the error said it may succeed if tried again (it conforms to `RetryableError` and says so).
    public var isRetryable: Bool
    /// The error's retry-after hint, if any.
    public var retryAfterNanoseconds: Nanoseconds?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - type: The error's type name.
    ///   - message: The error's description.
    ///   - code: The error's code.
    ///   - tool: The tool concerned.
    ///   - isRetryable: Whether the error may succeed if tried again.
    ///   - retryAfterNanoseconds: The error's retry-after hint.
    public init(
        type: String,
        message: String,
        code: String? = nil,
        tool: String? = nil,
        isRetryable: Bool = false,
        retryAfterNanoseconds: Nanoseconds? = nil
    ) {
        self.type = type
        self.message = message
        self.code = code
        self.tool = tool
        self.isRetryable = isRetryable
        self.retryAfterNanoseconds = retryAfterNanoseconds
    }

    /// Records `error`, keeping the code and tool of the library's own errors.
    ///
    /// - Parameter error: The error to record.
    public init(_ error: any Error) {
        switch error {
        case let error as ToolError:
            self.init(
                type: "ToolError",
                message: error.message,
                code: error.code.rawValue,
                tool: error.tool,
                isRetryable: error.isRetryable,
                retryAfterNanoseconds: error.retryAfterNanoseconds
            )
        case let error as PolicyViolation:
            self.init(type: "PolicyViolation", message: error.message, code: error.limit.rawValue, tool: error.tool)
        case let error as any RetryableError:
            self.init(
                type: String(describing: Swift.type(of: error)),
                message: String(describing: error),
                isRetryable: error.isRetryable,
                retryAfterNanoseconds: error.retryAfter.map(Nanoseconds.init)
            )
        default:
            self.init(type: String(describing: Swift.type(of: error)), message: String(describing: error))
        }
    }

    /// The type and message.
    public var description: String { "\(type): \(message)" }
}
