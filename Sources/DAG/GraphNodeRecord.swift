/// What happened to one node in a graph run.
///
/// Times are integer nanoseconds from the run's start on the executor's injected clock; a skipped node has no
/// times and no attempts. The record is `Sendable`; it is `Codable`, `Equatable` and `Hashable` when `Output` is.
public struct GraphNodeRecord<Output: Sendable>: Sendable {
    /// The node id.
    public var id: String
    /// The node's terminal status.
    public var status: NodeStatus
    /// Every call of the node's body, in order: the attempt count is the number of body calls.
    public var attempts: [GraphAttemptRecord]
    /// The delay waited before each retry, in order (one fewer than the attempts, or as many if the node was
    /// cancelled while waiting).
    public var retryDelays: [TaskGraphNanoseconds]
    /// The error that ended the node, when its status is ``NodeStatus/failed``: the last attempt's error.
    public var error: GraphErrorRecord?
    /// The output, when the status is ``NodeStatus/succeeded``.
    public var output: Output?
    /// When the node started, or `nil` if it never did.
    public var startedAt: TaskGraphNanoseconds?
    /// When the node ended, or `nil` if it never started.
    public var endedAt: TaskGraphNanoseconds?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - id: The node id.
    ///   - status: The node's terminal status.
    ///   - attempts: Every call of the node's body, in order.
    ///   - retryDelays: The delay waited before each retry.
    ///   - error: The error that ended the node.
    ///   - output: The output, when the node succeeded.
    ///   - startedAt: When the node started.
    ///   - endedAt: When the node ended.
    public init(
        id: String,
        status: NodeStatus,
        attempts: [GraphAttemptRecord] = [],
        retryDelays: [TaskGraphNanoseconds] = [],
        error: GraphErrorRecord? = nil,
        output: Output? = nil,
        startedAt: TaskGraphNanoseconds? = nil,
        endedAt: TaskGraphNanoseconds? = nil
    ) {
        self.id = id
        self.status = status
        self.attempts = attempts
        self.retryDelays = retryDelays
        self.error = error
        self.output = output
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

extension GraphNodeRecord: Equatable where Output: Equatable {}
extension GraphNodeRecord: Hashable where Output: Hashable {}
extension GraphNodeRecord: Encodable where Output: Encodable {}
extension GraphNodeRecord: Decodable where Output: Decodable {}
