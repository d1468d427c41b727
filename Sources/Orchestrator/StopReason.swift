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
