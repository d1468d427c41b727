public import AgentAdapters
public import AgentPolicy

/// Something that happened in a run, delivered to every ``Orchestrator/events(bufferingNewest:)`` subscriber.
///
/// Events of one run carry consecutive ``sequence`` numbers from 1 in the order they were delivered, and a
/// ``time`` on the orchestrator's clock since the run started. ``Kind/runStarted(agent:task:)`` comes first and
/// ``Kind/runFinished(_:)`` exactly once, last, carrying the report.
public struct OrchestrationEvent: Hashable, Codable, Sendable {
    /// What happened.
    public enum Kind: Hashable, Codable, Sendable {
        /// The run started.
        case runStarted(agent: String, task: JSONValue)
        /// The run entered a phase.
        case stateEntered(LifecyclePhase)
        /// A step was reserved and started.
        case stepStarted(index: Int, revision: Int)
        /// A step ended.
        case stepFinished(index: Int, status: StepRecord.Status)
        /// A tool's body started.
        case toolCallStarted(tool: String, arguments: JSONValue)
        /// A tool's body ended.
        case toolCallFinished(tool: String, status: ToolCallRecord.Status)
        /// A tool call was refused before it ran.
        case toolCallRefused(tool: String, reason: String)
        /// Model usage was recorded.
        case usageRecorded(ModelUsage)
        /// A policy limit refused work or was passed.
        case policyViolation(PolicyViolation)
        /// The run ended; the report is complete.
        case runFinished(ExecutionReport)

        /// The kind's stable name, such as `toolCallStarted`.
        public var name: String {
            switch self {
            case .runStarted: "runStarted"
            case .stateEntered: "stateEntered"
            case .stepStarted: "stepStarted"
            case .stepFinished: "stepFinished"
            case .toolCallStarted: "toolCallStarted"
            case .toolCallFinished: "toolCallFinished"
            case .toolCallRefused: "toolCallRefused"
            case .usageRecorded: "usageRecorded"
            case .policyViolation: "policyViolation"
            case .runFinished: "runFinished"
            }
        }
    }

    /// The run the event belongs to.
    public var executionID: String
    /// The graph node the run belongs to, if any.
    public var nodeID: String?
    /// The event's position in its run, from 1.
    public var sequence: Int64
    /// When it happened, since the run started, on the orchestrator's clock.
    public var time: Nanoseconds
    /// What happened.
    public var kind: Kind
}
