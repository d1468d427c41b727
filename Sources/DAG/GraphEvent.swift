/// Something that happened to a node during a graph run, delivered to ``TaskGraphExecutor/Configuration/onEvent``.
///
/// Times are offsets from the run's start on the executor's injected clock. For each node, ``nodeStarted(node:attempt:at:)``
/// precedes ``nodeRetrying(node:failedAttempt:delay:at:)`` and ``nodeFinished(node:status:at:)``; a node's
/// ``nodeFinished(node:status:at:)`` comes before any of its dependents start. Every node gets exactly one
/// ``nodeFinished(node:status:at:)``, skipped nodes included. Encoded with synthesized `Codable`.
public enum GraphEvent: Hashable, Codable, Sendable {
    /// An attempt of a node's body is about to be called.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - attempt: The attempt number, from 1.
    ///   - at: When the attempt starts.
    case nodeStarted(node: String, attempt: Int, at: TaskGraphNanoseconds)

    /// An attempt failed with a retryable error and the node now waits before the next attempt.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - failedAttempt: The number of the attempt that failed.
    ///   - delay: How long the node waits before the next attempt.
    ///   - at: When the wait starts.
    case nodeRetrying(node: String, failedAttempt: Int, delay: TaskGraphNanoseconds, at: TaskGraphNanoseconds)

    /// A node reached its terminal status.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - status: The terminal status.
    ///   - at: When the executor recorded the status.
    case nodeFinished(node: String, status: NodeStatus, at: TaskGraphNanoseconds)

    /// The id of the node the event is about.
    public var node: String {
        switch self {
        case .nodeStarted(let node, _, _), .nodeRetrying(let node, _, _, _), .nodeFinished(let node, _, _): node
        }
    }
}
