public import AgentAdapters
public import AgentPolicy

/// One step of a run: its input, output or error, timings, tool calls and model usage.
public struct StepRecord: Hashable, Codable, Sendable {
    /// The step's position in the run, from 0.
    public var index: Int
    /// The plan revision it belongs to.
    public var revision: Int
    /// The step's label, if the plan gave one.
    public var label: String?
    /// The step's input.
    public var input: JSONValue
    /// How the step ended.
    public var status: StepStatus
    /// The step's output, if it completed.
    public var output: JSONValue?
    /// The error, if it failed.
    public var error: ErrorRecord? {
        get { outOfLineError?.value }
        set { outOfLineError = newValue.map(OutOfLine.value) }
    }
    /// ``error`` out of line: 8 bytes in the record instead of 88, for the steps that did not fail.
    var outOfLineError: OutOfLine<ErrorRecord>?
    /// When the step started, since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the step ended, since the run started.
    public var endNanoseconds: Nanoseconds
    /// The tool calls the step made, in the order they started.
    public var toolCalls: [ToolCallRecord]
    /// The model usage the step reported.
    public var usage: ModelUsage
    /// The governed model calls the step made, one record per attempt, in the order they started; left out of
    /// the JSON when empty.
    public var modelCalls: [ModelCallRecord] = []
}

extension StepRecord {
    /// Creates a record.
    init(
        index: Int,
        revision: Int,
        label: String?,
        input: JSONValue,
        status: StepStatus,
        output: JSONValue?,
        error: ErrorRecord?,
        startNanoseconds: Nanoseconds,
        endNanoseconds: Nanoseconds,
        toolCalls: [ToolCallRecord],
        usage: ModelUsage
    ) {
        self.index = index
        self.revision = revision
        self.label = label
        self.input = input
        self.status = status
        self.output = output
        outOfLineError = error.map(OutOfLine.value)
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.toolCalls = toolCalls
        self.usage = usage
    }

    private enum CodingKeys: String, CodingKey {
        case index, revision, label, input, status, output, error, startNanoseconds, endNanoseconds, toolCalls, usage
        case modelCalls
    }

    /// Decodes a step; `modelCalls` is optional (reports of runs without model calls leave it out).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The errors of missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        revision = try container.decode(Int.self, forKey: .revision)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        input = try container.decode(JSONValue.self, forKey: .input)
        status = try container.decode(StepStatus.self, forKey: .status)
        output = try container.decodeIfPresent(JSONValue.self, forKey: .output)
        outOfLineError = try container.decodeIfPresent(ErrorRecord.self, forKey: .error).map(OutOfLine.value)
        startNanoseconds = try container.decode(Nanoseconds.self, forKey: .startNanoseconds)
        endNanoseconds = try container.decode(Nanoseconds.self, forKey: .endNanoseconds)
        toolCalls = try container.decode([ToolCallRecord].self, forKey: .toolCalls)
        usage = try container.decode(ModelUsage.self, forKey: .usage)
        modelCalls = try container.decodeIfPresent([ModelCallRecord].self, forKey: .modelCalls) ?? []
    }

    /// Encodes the step; `modelCalls` only when the step made any.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(revision, forKey: .revision)
        try container.encodeIfPresent(label, forKey: .label)
        try container.encode(input, forKey: .input)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(output, forKey: .output)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(startNanoseconds, forKey: .startNanoseconds)
        try container.encode(endNanoseconds, forKey: .endNanoseconds)
        try container.encode(toolCalls, forKey: .toolCalls)
        try container.encode(usage, forKey: .usage)
        if !modelCalls.isEmpty { try container.encode(modelCalls, forKey: .modelCalls) }
    }
}

/// One tool call: arguments, outcome and timings.
public struct ToolCallRecord: Hashable, Codable, Sendable {
    /// The tool's name.
    public var tool: String
    /// The arguments passed.
    public var arguments: JSONValue
    /// How the call ended.
    public var status: ToolCallStatus
    /// The tool's output, if it succeeded.
    public var output: JSONValue?
    /// The error, if it failed or was refused.
    public var error: ErrorRecord? {
        get { outOfLineError?.value }
        set { outOfLineError = newValue.map(OutOfLine.value) }
    }
    /// ``error`` out of line: 8 bytes in the record instead of 88, for the calls that succeeded (a run keeps one
    /// record per call, and a long run's array of them is most of its memory).
    var outOfLineError: OutOfLine<ErrorRecord>?
    /// When the call started (or was refused), since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the call ended, since the run started.
    public var endNanoseconds: Nanoseconds
}

extension ToolCallRecord {
    /// Creates a record.
    init(
        tool: String,
        arguments: JSONValue,
        status: ToolCallStatus,
        output: JSONValue?,
        error: ErrorRecord?,
        startNanoseconds: Nanoseconds,
        endNanoseconds: Nanoseconds
    ) {
        self.tool = tool
        self.arguments = arguments
        self.status = status
        self.output = output
        outOfLineError = error.map(OutOfLine.value)
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
    }

    // The JSON form is the one the stored `error` had: the same keys, in the same order, absent values left out.
    private enum CodingKeys: String, CodingKey {
        case tool, arguments, status, output, error, startNanoseconds, endNanoseconds
    }

    /// Decodes a record from its JSON form.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The errors of missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tool = try container.decode(String.self, forKey: .tool)
        arguments = try container.decode(JSONValue.self, forKey: .arguments)
        status = try container.decode(ToolCallStatus.self, forKey: .status)
        output = try container.decodeIfPresent(JSONValue.self, forKey: .output)
        outOfLineError = try container.decodeIfPresent(ErrorRecord.self, forKey: .error).map(OutOfLine.value)
        startNanoseconds = try container.decode(Nanoseconds.self, forKey: .startNanoseconds)
        endNanoseconds = try container.decode(Nanoseconds.self, forKey: .endNanoseconds)
    }

    /// Encodes the record in its JSON form.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tool, forKey: .tool)
        try container.encode(arguments, forKey: .arguments)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(output, forKey: .output)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(startNanoseconds, forKey: .startNanoseconds)
        try container.encode(endNanoseconds, forKey: .endNanoseconds)
    }
}

/// How a step ended; encoded as its case name.
public enum StepStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The step returned an output.
    case completed
    /// The step threw.
    case failed
    /// The run ended (timeout, cancellation, policy stop) while the step ran.
    case interrupted

    /// The case name.
    public var description: String { rawValue }
}

/// How a tool call ended; encoded as its case name.
public enum ToolCallStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The tool returned.
    case succeeded
    /// The tool threw.
    case failed
    /// The call was refused before the tool ran: unknown tool, invalid arguments or a policy limit.
    case refused
    /// The run ended while the tool ran.
    case interrupted

    /// The case name.
    public var description: String { rawValue }
}
