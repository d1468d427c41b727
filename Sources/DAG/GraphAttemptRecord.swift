/// One call of a node's body, as a report stores it.
///
/// Times are integer nanoseconds from the run's start on the executor's injected clock.
public struct GraphAttemptRecord: Hashable, Codable, Sendable {
    /// The attempt number, from 1.
    public var number: Int
    /// When the body was called.
    public var startedAt: TaskGraphNanoseconds
    /// When the call ended (returned, threw, or was abandoned at the node timeout).
    public var endedAt: TaskGraphNanoseconds
    /// How the attempt ended: ``NodeStatus/succeeded``, ``NodeStatus/failed``, ``NodeStatus/timedOut`` or
    /// ``NodeStatus/cancelled``.
    public var outcome: NodeStatus
    /// The error the body threw, if it threw.
    public var error: GraphErrorRecord?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - number: The attempt number, from 1.
    ///   - startedAt: When the body was called.
    ///   - endedAt: When the call ended.
    ///   - outcome: How the attempt ended.
    ///   - error: The error the body threw, if it threw.
    public init(
        number: Int,
        startedAt: TaskGraphNanoseconds,
        endedAt: TaskGraphNanoseconds,
        outcome: NodeStatus,
        error: GraphErrorRecord? = nil
    ) {
        self.number = number
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.error = error
    }
}
