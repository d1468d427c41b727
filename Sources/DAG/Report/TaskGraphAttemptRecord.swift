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
    public var error: ErrorRecord? {
        get { outOfLineError?.value }
        set { outOfLineError = newValue.map(OutOfLine.value) }
    }
    /// ``error`` out of line: 8 bytes in the record instead of 88, for the attempts that did not throw.
    var outOfLineError: OutOfLine<ErrorRecord>?

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
        outOfLineError = error.map(OutOfLine.value)
    }

    private enum CodingKeys: String, CodingKey {
        case number, startNanoseconds, endNanoseconds, outcome, error
    }

    /// Decodes a record.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` if a required field is missing or a field has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(Int.self, forKey: .number)
        startNanoseconds = try container.decode(Nanoseconds.self, forKey: .startNanoseconds)
        endNanoseconds = try container.decode(Nanoseconds.self, forKey: .endNanoseconds)
        outcome = try container.decode(NodeStatus.self, forKey: .outcome)
        outOfLineError = try container.decodeIfPresent(ErrorRecord.self, forKey: .error).map(OutOfLine.value)
    }

    /// Encodes the record; `error` only when the body threw.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(startNanoseconds, forKey: .startNanoseconds)
        try container.encode(endNanoseconds, forKey: .endNanoseconds)
        try container.encode(outcome, forKey: .outcome)
        try container.encodeIfPresent(error, forKey: .error)
    }
}
