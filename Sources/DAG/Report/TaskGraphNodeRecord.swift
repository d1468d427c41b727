public import AgentPolicy

/// What happened to one node in a graph run.
///
/// Times are `Nanoseconds` (AgentPolicy) from the run's start on the executor's injected clock; a skipped node has
/// no times and no attempts. The record is `Sendable`; it is `Codable`, `Equatable` and `Hashable` when `Output` is.
///
/// Encoded as `{"id": …, "status": …, "attempts": […], "retryDelaysNanoseconds": […], "error": …, "output": …,
/// "startNanoseconds": …, "endNanoseconds": …}`; `error`, `output` and the times are left out when `nil`. The
/// `output` key is written exactly when the node produced an output, **even if that output encodes as `null`**
/// (a `JSONValue.null`, an optional output that is `nil`), and decoding reads the key whenever it is present,
/// so such an output survives an encode–decode round trip instead of becoming "no output".
public struct TaskGraphNodeRecord<Output: Sendable>: Sendable {
    /// The node id.
    public var id: String
    /// The node's terminal status.
    public var status: NodeStatus
    /// Every call of the node's body, in order: the attempt count is the number of body calls.
    public var attempts: [TaskGraphAttemptRecord] {
        get { attemptList.array }
        set { attemptList = AttemptRecordList(newValue) }
    }
    /// ``attempts``, with a single attempt held inline instead of in an array of its own.
    @usableFromInline var attemptList: AttemptRecordList
    /// The delay waited before each retry, in order (one fewer than the attempts, or as many if the node was
    /// cancelled while waiting).
    public var retryDelaysNanoseconds: [Nanoseconds]
    /// The error that ended the node, when its status is ``NodeStatus/failed``: the last attempt's error.
    public var error: ErrorRecord? {
        get { outOfLineError?.value }
        set { outOfLineError = newValue.map(OutOfLine.value) }
    }
    /// ``error`` out of line: 8 bytes in the record instead of 88, for the nodes that did not fail.
    var outOfLineError: OutOfLine<ErrorRecord>?
    /// The output, when the status is ``NodeStatus/succeeded``; `nil` when the node produced none.
    public var output: Output?
    /// When the node started, or `nil` if it never did.
    public var startNanoseconds: Nanoseconds?
    /// When the node ended, or `nil` if it never started.
    public var endNanoseconds: Nanoseconds?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - id: The node id.
    ///   - status: The node's terminal status.
    ///   - attempts: Every call of the node's body, in order.
    ///   - retryDelaysNanoseconds: The delay waited before each retry.
    ///   - error: The error that ended the node.
    ///   - output: The output, when the node succeeded.
    ///   - startNanoseconds: When the node started.
    ///   - endNanoseconds: When the node ended.
    public init(
        id: String,
        status: NodeStatus,
        attempts: [TaskGraphAttemptRecord] = [],
        retryDelaysNanoseconds: [Nanoseconds] = [],
        error: ErrorRecord? = nil,
        output: Output? = nil,
        startNanoseconds: Nanoseconds? = nil,
        endNanoseconds: Nanoseconds? = nil
    ) {
        self.id = id
        self.status = status
        attemptList = AttemptRecordList(attempts)
        self.retryDelaysNanoseconds = retryDelaysNanoseconds
        outOfLineError = error.map(OutOfLine.value)
        self.output = output
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
    }

    /// Creates a record whose attempts are already in a list: the executor's report, with no array per node.
    @usableFromInline
    init(
        id: String,
        status: NodeStatus,
        attemptList: AttemptRecordList,
        retryDelaysNanoseconds: [Nanoseconds],
        error: ErrorRecord?,
        output: Output?,
        startNanoseconds: Nanoseconds,
        endNanoseconds: Nanoseconds
    ) {
        self.id = id
        self.status = status
        self.attemptList = attemptList
        self.retryDelaysNanoseconds = retryDelaysNanoseconds
        outOfLineError = error.map(OutOfLine.value)
        self.output = output
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
    }

    private enum CodingKeys: String, CodingKey {
        case id, status, attempts, retryDelaysNanoseconds, error, output, startNanoseconds, endNanoseconds
    }
}

extension TaskGraphNodeRecord: Equatable where Output: Equatable {}
extension TaskGraphNodeRecord: Hashable where Output: Hashable {}

extension TaskGraphNodeRecord: Encodable where Output: Encodable {
    /// Encodes the record; the `output` key is written whenever the node has an output, also one encoding as `null`.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's or the output's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(retryDelaysNanoseconds, forKey: .retryDelaysNanoseconds)
        try container.encodeIfPresent(error, forKey: .error)
        // `Output` itself, never `Output?`: an output whose encoding is `null` still writes the key.
        if let output { try container.encode(output, forKey: .output) }
        try container.encodeIfPresent(startNanoseconds, forKey: .startNanoseconds)
        try container.encodeIfPresent(endNanoseconds, forKey: .endNanoseconds)
    }
}

extension TaskGraphNodeRecord: Decodable where Output: Decodable {
    /// Decodes a record; a present `output` key is decoded as `Output`, also when its value is `null`.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` if a required field is missing or a field has the wrong type, for example a `null`
    ///   output for an `Output` that cannot decode from `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(NodeStatus.self, forKey: .status)
        attemptList = AttemptRecordList(try container.decode([TaskGraphAttemptRecord].self, forKey: .attempts))
        retryDelaysNanoseconds = try container.decode([Nanoseconds].self, forKey: .retryDelaysNanoseconds)
        outOfLineError = try container.decodeIfPresent(ErrorRecord.self, forKey: .error).map(OutOfLine.value)
        // Not `decodeIfPresent`, which reads a present `null` as "absent": the key's presence decides.
        output = container.contains(.output) ? try container.decode(Output.self, forKey: .output) : nil
        startNanoseconds = try container.decodeIfPresent(Nanoseconds.self, forKey: .startNanoseconds)
        endNanoseconds = try container.decodeIfPresent(Nanoseconds.self, forKey: .endNanoseconds)
    }
}
