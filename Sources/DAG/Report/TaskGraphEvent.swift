public import AgentPolicy

/// Something that happened to a node during a graph run, delivered to ``TaskGraphExecutor/Configuration/onEvent``.
///
/// Times are `Nanoseconds` (AgentPolicy) from the run's start on the executor's injected clock. For each node,
/// ``nodeStarted(node:attempt:atNanoseconds:)`` precedes ``nodeRetrying(node:failedAttempt:delayNanoseconds:atNanoseconds:)``
/// and ``nodeFinished(node:status:atNanoseconds:)``; a node's ``nodeFinished(node:status:atNanoseconds:)`` comes
/// before any of its dependents start. Every node gets exactly one ``nodeFinished(node:status:atNanoseconds:)``,
/// skipped nodes included. A first attempt's ``nodeStarted(node:attempt:atNanoseconds:)`` is delivered as the
/// executor schedules the node, so nodes started together are announced in the order they start (ready order).
///
/// Encoded flat, with the case name under `kind` and the case's fields beside it:
/// `{"kind": "nodeRetrying", "node": "fetch", "failedAttempt": 1, "delayNanoseconds": 100000000,
/// "atNanoseconds": 5000000}`.
public enum TaskGraphEvent: Hashable, Codable, Sendable {
    /// An attempt of a node's body is about to be called.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - attempt: The attempt number, from 1.
    ///   - atNanoseconds: When the attempt starts.
    case nodeStarted(node: String, attempt: Int, atNanoseconds: Nanoseconds)

    /// An attempt failed with a retryable error and the node now waits before the next attempt.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - failedAttempt: The number of the attempt that failed.
    ///   - delayNanoseconds: How long the node waits before the next attempt.
    ///   - atNanoseconds: When the wait starts.
    case nodeRetrying(node: String, failedAttempt: Int, delayNanoseconds: Nanoseconds, atNanoseconds: Nanoseconds)

    /// A node reached its terminal status.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - status: The terminal status.
    ///   - atNanoseconds: When the executor recorded the status.
    case nodeFinished(node: String, status: NodeStatus, atNanoseconds: Nanoseconds)

    /// The id of the node the event is about.
    public var node: String {
        switch self {
        case .nodeStarted(let node, _, _), .nodeRetrying(let node, _, _, _), .nodeFinished(let node, _, _): node
        }
    }

    /// The case name, as encoded under `kind`: `nodeStarted`, `nodeRetrying` or `nodeFinished`.
    public var kind: String {
        switch self {
        case .nodeStarted: "nodeStarted"
        case .nodeRetrying: "nodeRetrying"
        case .nodeFinished: "nodeFinished"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, node, attempt, failedAttempt, delayNanoseconds, status, atNanoseconds
    }

    /// Encodes the case's name under `kind` and its fields beside it.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(node, forKey: .node)
        switch self {
        case .nodeStarted(_, let attempt, let at):
            try container.encode(attempt, forKey: .attempt)
            try container.encode(at, forKey: .atNanoseconds)
        case .nodeRetrying(_, let failedAttempt, let delay, let at):
            try container.encode(failedAttempt, forKey: .failedAttempt)
            try container.encode(delay, forKey: .delayNanoseconds)
            try container.encode(at, forKey: .atNanoseconds)
        case .nodeFinished(_, let status, let at):
            try container.encode(status, forKey: .status)
            try container.encode(at, forKey: .atNanoseconds)
        }
    }

    /// Decodes the shape ``encode(to:)`` writes.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for an unknown `kind`, or a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        let node = try container.decode(String.self, forKey: .node)
        let at = try container.decode(Nanoseconds.self, forKey: .atNanoseconds)
        switch kind {
        case "nodeStarted":
            self = .nodeStarted(
                node: node,
                attempt: try container.decode(Int.self, forKey: .attempt),
                atNanoseconds: at
            )
        case "nodeRetrying":
            self = .nodeRetrying(
                node: node,
                failedAttempt: try container.decode(Int.self, forKey: .failedAttempt),
                delayNanoseconds: try container.decode(Nanoseconds.self, forKey: .delayNanoseconds),
                atNanoseconds: at
            )
        case "nodeFinished":
            self = .nodeFinished(
                node: node,
                status: try container.decode(NodeStatus.self, forKey: .status),
                atNanoseconds: at
            )
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: container,
                debugDescription:
                    "unknown task graph event kind \"\(kind)\"; expected nodeStarted, nodeRetrying or nodeFinished"
            )
        }
    }
}
