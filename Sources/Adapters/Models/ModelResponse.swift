public import AgentPolicy

/// A model's complete answer: text, tool calls, the usage the provider reported and why it stopped.
public struct ModelResponse: Hashable, Codable, Sendable {
    /// The answer's text (empty when the model only calls tools).
    public var text: String
    /// Reasoning text the provider returned separately, if any; never shown to the model again.
    public var reasoning: String?
    /// The tool calls the model asks for, in order.
    public var toolCalls: [ModelToolCall]
    /// The tokens the provider says the call used, or `nil` when it reports none (the governed call then counts its
    /// reservation as used and marks the usage as estimated). Its `ModelUsage.cost` is ignored: the library prices
    /// calls from ``ModelDescriptor/pricing``.
    public var usage: ModelUsage?
    /// Why the model stopped.
    public var finishReason: FinishReason

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - text: The answer's text.
    ///   - reasoning: Separate reasoning text, if any.
    ///   - toolCalls: The tool calls asked for.
    ///   - usage: The provider's reported usage, if any.
    ///   - finishReason: Why the model stopped.
    public init(
        text: String = "",
        reasoning: String? = nil,
        toolCalls: [ModelToolCall] = [],
        usage: ModelUsage? = nil,
        finishReason: FinishReason
    ) {
        self.text = text
        self.reasoning = reasoning
        self.toolCalls = toolCalls
        self.usage = usage
        self.finishReason = finishReason
    }
}

/// Why a model stopped producing output: an open set of names, with the common ones as static members.
public struct FinishReason: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The reason's name.
    public let rawValue: String

    /// Creates a reason from its name.
    ///
    /// - Parameter rawValue: The name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The model finished its answer.
    public static let stop = FinishReason(rawValue: "stop")
    /// The model reached the maximum output tokens it was given; the answer is cut off.
    public static let length = FinishReason(rawValue: "length")
    /// The model stopped to call tools.
    public static let toolCalls = FinishReason(rawValue: "toolCalls")
    /// The provider withheld or cut the answer for its content policy.
    public static let contentFilter = FinishReason(rawValue: "contentFilter")

    /// The reason's name.
    public var description: String { rawValue }

    /// Decodes a reason from its name.
    ///
    /// - Parameter decoder: A decoder holding a string.
    /// - Throws: The decoder's error.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the reason as its name.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One piece of a streamed response, named after FoundationModels' executor events.
///
/// Encodes flat: `{"kind": "response", "text": "Hel"}`, `{"kind": "toolCalls", "calls": [...]}`,
/// `{"kind": "updateUsage", "input": 12, "output": 3}`.
public enum ModelDelta: Hashable, Codable, Sendable {
    /// A fragment of the answer's text.
    case response(String)
    /// A fragment of separate reasoning text.
    case reasoning(String)
    /// A fragment of a tool call being streamed: its position in the response, its id and name once known, and a
    /// fragment of its arguments' JSON text.
    case toolCallFragment(index: Int, id: String?, name: String?, arguments: String)
    /// Complete tool calls.
    case toolCalls([ModelToolCall])
    /// The provider's running token counts, when it sends them.
    case updateUsage(input: Int64?, output: Int64?)
    /// The model stopped, for this reason.
    case finished(FinishReason)

    private enum CodingKeys: String, CodingKey {
        case kind, text, index, id, name, arguments, calls, input, output, reason
    }

    /// Decodes a delta from its flat form.
    ///
    /// - Parameter decoder: A decoder holding an object with a `kind`.
    /// - Throws: `DecodingError` for an unknown kind or a missing field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "response": self = .response(try container.decode(String.self, forKey: .text))
        case "reasoning": self = .reasoning(try container.decode(String.self, forKey: .text))
        case "toolCallFragment":
            self = .toolCallFragment(
                index: try container.decode(Int.self, forKey: .index),
                id: try container.decodeIfPresent(String.self, forKey: .id),
                name: try container.decodeIfPresent(String.self, forKey: .name),
                arguments: try container.decode(String.self, forKey: .arguments)
            )
        case "toolCalls": self = .toolCalls(try container.decode([ModelToolCall].self, forKey: .calls))
        case "updateUsage":
            self = .updateUsage(
                input: try container.decodeIfPresent(Int64.self, forKey: .input),
                output: try container.decodeIfPresent(Int64.self, forKey: .output)
            )
        case "finished": self = .finished(try container.decode(FinishReason.self, forKey: .reason))
        case let kind:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: container,
                debugDescription: "\"\(kind)\" is not a model delta kind; kinds are response, reasoning, "
                    + "toolCallFragment, toolCalls, updateUsage, finished"
            )
        }
    }

    /// Encodes the delta in its flat form.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .response(let text):
            try container.encode("response", forKey: .kind)
            try container.encode(text, forKey: .text)
        case .reasoning(let text):
            try container.encode("reasoning", forKey: .kind)
            try container.encode(text, forKey: .text)
        case .toolCallFragment(let index, let id, let name, let arguments):
            try container.encode("toolCallFragment", forKey: .kind)
            try container.encode(index, forKey: .index)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encode(arguments, forKey: .arguments)
        case .toolCalls(let calls):
            try container.encode("toolCalls", forKey: .kind)
            try container.encode(calls, forKey: .calls)
        case .updateUsage(let input, let output):
            try container.encode("updateUsage", forKey: .kind)
            try container.encodeIfPresent(input, forKey: .input)
            try container.encodeIfPresent(output, forKey: .output)
        case .finished(let reason):
            try container.encode("finished", forKey: .kind)
            try container.encode(reason, forKey: .reason)
        }
    }
}

/// Where a ``ChatModel`` yields the deltas of a streamed response; the governed call turns them into run events.
///
/// Yielding is synchronous and cheap; the sink never blocks the model.
public struct ModelDeltaSink: Sendable {
    private let body: @Sendable (ModelDelta) -> Void

    /// Creates a sink that hands every delta to `body`.
    ///
    /// - Parameter body: Called once per delta, in order, on the model's task.
    public init(_ body: @escaping @Sendable (ModelDelta) -> Void) { self.body = body }

    /// A sink that drops every delta.
    public static let discarding = ModelDeltaSink { _ in }

    /// Hands a delta on.
    ///
    /// - Parameter delta: The delta.
    public func yield(_ delta: ModelDelta) { body(delta) }
}
