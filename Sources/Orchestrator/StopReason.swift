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

    /// The reason's stable name: `completed`, `rejected`, `policyViolation`, `timedOut`, `cancelled`,
    /// `agentFailed` or `toolFailed`.
    public var code: String {
        switch self {
        case .completed: "completed"
        case .rejected: "rejected"
        case .policyViolation: "policyViolation"
        case .timedOut: "timedOut"
        case .cancelled: "cancelled"
        case .agentFailed: "agentFailed"
        case .toolFailed: "toolFailed"
        }
    }

    /// The run status this reason gives.
    public var status: RunStatus {
        switch self {
        case .completed: .succeeded
        case .rejected, .policyViolation, .agentFailed, .toolFailed: .failed
        case .timedOut: .timedOut
        case .cancelled: .cancelled
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
        }
    }
}
