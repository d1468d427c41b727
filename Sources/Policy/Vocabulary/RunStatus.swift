/// How a run ended, in one word: the status of every report.
///
/// Agent runs (``RunStatus/succeeded``, ``RunStatus/failed``, ``RunStatus/timedOut``, ``RunStatus/cancelled``)
/// and task-graph runs share it. ``RunStatus/stopped`` is reported only by task graphs whose node asked the whole
/// graph to stop (a stop signal of the AgentTaskGraph module); agent runs never report it. A run is
/// ``RunStatus/succeeded`` only if everything in it succeeded. Encoded as its case name.
public enum RunStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The run completed: an agent run's review accepted it, or every node of a graph succeeded.
    case succeeded
    /// The run failed: review rejected it, the policy stopped it, the agent or a tool failed, or a graph node
    /// failed, timed out or was skipped without the run being stopped for another reason below.
    case failed
    /// The run's timeout passed: work in flight was cancelled and unstarted work skipped.
    case timedOut
    /// The caller cancelled the run: work in flight was cancelled and unstarted work skipped.
    case cancelled
    /// A task-graph node asked the whole graph to stop: nodes in flight were cancelled and unstarted nodes skipped.
    /// Agent runs never report it.
    case stopped
    /// A journaled agent run paused before a tool call that needs a person's approval; it holds no thread and no
    /// reservation, and continues when its journal is resumed with an approval or a denial.
    case awaitingApproval

    /// The case name.
    public var description: String { rawValue }
}
