import AgentAdapters
public import AgentPolicy
import AgentTaskGraph

/// Why a run ended: the typed reason every report carries, for runs of one agent and graphs of agents alike.
///
/// An ``ExecutionReport`` ends with ``completed``, ``rejected(reason:)``, ``policyViolation(violation:node:)``,
/// ``timedOut(timeout:)``, ``cancelled``, ``agentFailed(error:)``, ``toolFailed(error:)``, ``shutdown`` or
/// ``invalidPolicy(error:)``; an ``AgentGraphReport`` with ``completed``, ``nodeFailed(node:)``,
/// ``policyViolation(violation:node:)`` (naming the node), ``timedOut(timeout:)``, ``cancelled`` or ``shutdown``.
///
/// In JSON a reason is one flat object: a `kind` (the case name, also ``code``) with the payload's fields beside it,
/// for example `{"kind": "completed"}`, `{"kind": "timedOut", "timeoutNanoseconds": 100000000}` or
/// `{"kind": "policyViolation", "limit": "maxToolCalls", "limitValue": 3, "attempted": 4, "message": "…"}`.
/// Decoding rejects an unknown `kind` with a `DecodingError` that names it. <doc:ReportSchema> lists every kind.
public enum StopReason: Hashable, Sendable, CustomStringConvertible {
    /// REVIEW accepted the outputs; for a graph, every node succeeded.
    case completed
    /// REVIEW rejected the outputs, for `reason`.
    case rejected(reason: String)
    /// A governance limit refused work or was passed; the run stopped at once.
    ///
    /// In a graph report `node` names the node whose run met the limit; in a single run's report it is `nil`
    /// (the run's own ``ExecutionReport/nodeID`` says which node a node's run belongs to).
    case policyViolation(violation: PolicyViolation, node: String? = nil)
    /// The run's timeout passed; in-flight work was cancelled.
    case timedOut(timeout: Nanoseconds)
    /// The caller cancelled the run.
    case cancelled
    /// The agent threw an error (not a tool error).
    case agentFailed(error: ErrorRecord)
    /// The agent let a tool's error escape from a step.
    case toolFailed(error: ErrorRecord)
    /// A graph node failed: its agent or a tool failed, its review rejected, or it timed out on its own.
    case nodeFailed(node: String)
    /// The orchestrator was shutting down: the run was refused before any agent code ran, or cancelled.
    case shutdown
    /// The policy names a tool that is not registered (an exact name in its allow or deny list or per-tool caps);
    /// found before any agent code ran.
    case invalidPolicy(error: ErrorRecord)

    /// Every reason's stable name, as ``code`` and the JSON `kind` give it.
    public static let allCodes = [
        "completed", "rejected", "policyViolation", "timedOut", "cancelled", "agentFailed", "toolFailed",
        "nodeFailed", "shutdown", "invalidPolicy",
    ]

    /// The reason's stable name, the same as its JSON `kind`: `completed`, `rejected`, `policyViolation`,
    /// `timedOut`, `cancelled`, `agentFailed`, `toolFailed`, `nodeFailed`, `shutdown` or `invalidPolicy`.
    public var code: String {
        switch self {
        case .completed: "completed"
        case .rejected: "rejected"
        case .policyViolation: "policyViolation"
        case .timedOut: "timedOut"
        case .cancelled: "cancelled"
        case .agentFailed: "agentFailed"
        case .toolFailed: "toolFailed"
        case .nodeFailed: "nodeFailed"
        case .shutdown: "shutdown"
        case .invalidPolicy: "invalidPolicy"
        }
    }

    /// The run status this reason gives.
    public var status: RunStatus {
        switch self {
        case .completed: .succeeded
        case .rejected, .policyViolation, .agentFailed, .toolFailed, .nodeFailed, .invalidPolicy: .failed
        case .timedOut: .timedOut
        case .cancelled, .shutdown: .cancelled
        }
    }

    /// The policy violation that stopped the run, if one did.
    public var violation: PolicyViolation? {
        if case .policyViolation(let violation, _) = self { return violation }
        return nil
    }

    /// The reason in words.
    public var description: String {
        switch self {
        case .completed: "completed"
        case .rejected(let reason): "rejected by review: \(reason)"
        case .policyViolation(let violation, nil): "policy violation: \(violation.message)"
        case .policyViolation(let violation, let node?): "policy violation in node \(node): \(violation.message)"
        case .timedOut(let timeout): "timed out after \(timeout)"
        case .cancelled: "cancelled by the caller"
        case .agentFailed(let error): "agent failed: \(error.message)"
        case .toolFailed(let error): "tool failed: \(error.message)"
        case .nodeFailed(let node): "node \(node) failed"
        case .shutdown: "the orchestrator was shutting down"
        case .invalidPolicy(let error): "invalid policy: \(error.message)"
        }
    }
}

extension StopReason: Codable {
    /// Decodes a flat object: `kind` and the case's fields beside it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for an unknown `kind` (the message names it), or the errors of
    ///   missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let (kind, container) = try FlatKind.decode(from: decoder)
        switch kind {
        case "completed": self = .completed
        case "rejected": self = .rejected(reason: try container.decode(String.self, forKey: FlatKey("reason")))
        case "policyViolation":
            self = .policyViolation(
                violation: try PolicyViolation(from: decoder),
                node: try container.decodeIfPresent(String.self, forKey: FlatKey("node"))
            )
        case "timedOut":
            self = .timedOut(timeout: try container.decode(Nanoseconds.self, forKey: FlatKey("timeoutNanoseconds")))
        case "cancelled": self = .cancelled
        case "agentFailed": self = .agentFailed(error: try ErrorRecord(from: decoder))
        case "toolFailed": self = .toolFailed(error: try ErrorRecord(from: decoder))
        case "nodeFailed": self = .nodeFailed(node: try container.decode(String.self, forKey: FlatKey("node")))
        case "shutdown": self = .shutdown
        case "invalidPolicy": self = .invalidPolicy(error: try ErrorRecord(from: decoder))
        default: throw FlatKind.unknown(kind, of: "StopReason", known: Self.allCodes, in: container)
        }
    }

    /// Encodes a flat object: `kind` and the case's fields beside it.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var container = try FlatKind.encode(code, to: encoder)
        switch self {
        case .completed, .cancelled, .shutdown: break
        case .rejected(let reason): try container.encode(reason, forKey: FlatKey("reason"))
        case .policyViolation(let violation, let node):
            try violation.encode(to: encoder)
            try container.encodeIfPresent(node, forKey: FlatKey("node"))
        case .timedOut(let timeout): try container.encode(timeout, forKey: FlatKey("timeoutNanoseconds"))
        case .agentFailed(let error), .toolFailed(let error), .invalidPolicy(let error): try error.encode(to: encoder)
        case .nodeFailed(let node): try container.encode(node, forKey: FlatKey("node"))
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
