public import AgentPolicy

/// One call of a node's body, as a report stores it.
///
/// Times are `Nanoseconds` (AgentPolicy) from the run's start on the executor's injected clock, encoded as bare
/// integers: `{"number": 1, "startNanoseconds": 0, "endNanoseconds": 5000000, "outcome": "failed", "error": {…}}`.
/// The error is left out when the body did not throw.
public struct TaskGraphAttemptRecord: Hashable, Codable, Sendable {
    /// The attempt number, from 1.
    public var number: Int
    /// When the body was called.
    public var startNanoseconds: Nanoseconds
    /// When the call ended (returned, threw, or was abandoned at the node timeout).
    public var endNanoseconds: Nanoseconds
    /// How the attempt ended: ``NodeStatus/succeeded``, ``NodeStatus/failed``, ``NodeStatus/timedOut`` or
    /// ``NodeStatus/cancelled``.
    public var outcome: NodeStatus
    /// The error the body threw, if it threw, recorded by the `ErrorRecord` rule of AgentPolicy.
    public var error: ErrorRecord?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - number: The attempt number, from 1.
    ///   - startNanoseconds: When the body was called.
    ///   - endNanoseconds: When the call ended.
    ///   - outcome: How the attempt ended.
    ///   - error: The error the body threw, if it threw.
    public init(
        number: Int,
        startNanoseconds: Nanoseconds,
        endNanoseconds: Nanoseconds,
        outcome: NodeStatus,
        error: ErrorRecord? = nil
    ) {
        self.number = number
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.outcome = outcome
        self.error = error
    }
}
