/// A run in progress, from ``Orchestrator/start(_:task:policy:sharedBudget:metadata:eventBufferSize:)``: its own
/// events, its cancellation and its report.
///
/// ```swift
/// let handle = orchestrator.start(agent, task: "Oslo", policy: policy)
/// for await event in handle.events { print(event.sequence, event.kind.name) }
/// let report = await handle.report
/// ```
///
/// `RunHandle` is `Sendable`: read the events in one task and cancel from another. Dropping the handle does not
/// cancel the run.
///
/// The run belongs to the orchestrator, not to the task that started it: a handle outlives that call, so the run
/// cannot be its child task. Cancelling the starting task does not cancel the run (``cancel()`` does), and
/// ``Orchestrator/shutdown()`` ends it with ``StopReason/shutdown`` and waits for it like any other run. A run
/// started after ``Orchestrator/shutdown()`` reports ``StopReason/shutdown`` at once without calling the agent.
public struct RunHandle: Sendable {
    /// The run's execution id (also in every event and in the report).
    public let executionID: String
    /// This run's events only, in sequence order, from `runStarted` to `runFinished`; then the stream ends.
    ///
    /// The stream buffers like ``Orchestrator/events(bufferingNewest:)``: a reader that falls behind loses the
    /// oldest events and the report counts the drops. Iterate it from one task at a time.
    public let events: OrchestrationEventStream
    let runtime: RunRuntime
    let reportTask: Task<ExecutionReport, Never>

    init(
        executionID: String,
        events: OrchestrationEventStream,
        runtime: RunRuntime,
        report: Task<ExecutionReport, Never>
    ) {
        self.executionID = executionID
        self.events = events
        self.runtime = runtime
        self.reportTask = report
    }

    /// Ends the run with ``StopReason/cancelled``, unless it has ended; the report still comes back in full.
    ///
    /// Returns at once; the agent's task is cancelled. Calling it again, or after the run ended, does nothing.
    public func cancel() { runtime.terminate(.cancelled) }

    /// The run's report, once it has ended.
    public var report: ExecutionReport {
        get async { await reportTask.value }
    }

    /// Returns when the agent's code has returned.
    ///
    /// At once for a run whose agent finished; for a run that ended at its deadline or by cancellation while the
    /// agent ignored cancellation (``ExecutionReport/agentStopped`` is `false`), when that abandoned code ends.
    public func agentWorkEnded() async { await runtime.waitForAgentWork() }
}
