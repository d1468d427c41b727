/// A graph-of-agents run in progress, from
/// ``Orchestrator/start(_:task:policy:configuration:registry:sharedBudget:metadata:eventBufferSize:)``: its own
/// events, its cancellation and its report.
///
/// The stream carries the graph's own events (``OrchestrationEvent/Kind/nodeStarted(attempt:)``,
/// ``OrchestrationEvent/Kind/nodeRetrying(failedAttempt:delayNanoseconds:)``,
/// ``OrchestrationEvent/Kind/nodeWaitingForSlot(agent:)``, ``OrchestrationEvent/Kind/nodeFinished(status:)``, last
/// ``OrchestrationEvent/Kind/graphFinished(_:)``), numbered under the graph's ``executionID``, and every event of
/// every node run (each numbered under its own execution id, with the node's id). Then it ends.
public struct GraphRunHandle: Sendable {
    /// The graph run's id: the execution id of its graph-level events.
    public let executionID: String
    /// The graph's events and its node runs' events.
    public let events: OrchestrationEventStream
    let task: Task<Result<AgentGraphReport, OrchestrationError>, Never>

    /// Cancels the graph run: nodes in flight are cancelled, unstarted nodes skipped; the report still comes back.
    public func cancel() { task.cancel() }

    /// The graph report, once the run has ended.
    ///
    /// - Throws: ``OrchestrationError`` only for an executor setting found invalid when the run began (for
    ///   example a retry policy); the graph itself was validated when the run was started.
    public var report: AgentGraphReport {
        get async throws(OrchestrationError) { try await task.value.get() }
    }
}
