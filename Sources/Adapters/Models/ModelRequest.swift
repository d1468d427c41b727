/// One request to a ``ChatModel``: instructions, the transcript so far, the tools the model may call, an optional
/// response schema and generation options.
///
/// Requests are `Codable` values, so a journal can record exactly what was asked, and the provider codecs turn them
/// into the provider's bytes.
public struct ModelRequest: Hashable, Codable, Sendable {
    /// The system instructions, if any.
    public var instructions: String?
    /// The conversation so far, oldest first.
    public var messages: [ModelMessage]
    /// The tools the model may call.
    public var tools: [ToolDescription]
    /// The JSON Schema the final answer must satisfy, if the answer is structured.
    public var responseSchema: ToolSchema?
    /// Generation options; the governed call sets ``ModelOptions/maximumOutputTokens`` from the budget.
    public var options: ModelOptions

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - instructions: The system instructions.
    ///   - messages: The conversation so far.
    ///   - tools: The tools the model may call.
    ///   - responseSchema: The schema of a structured answer.
    ///   - options: Generation options.
    public init(
        instructions: String? = nil,
        messages: [ModelMessage],
        tools: [ToolDescription] = [],
        responseSchema: ToolSchema? = nil,
        options: ModelOptions = ModelOptions()
    ) {
        self.instructions = instructions
        self.messages = messages
        self.tools = tools
        self.responseSchema = responseSchema
        self.options = options
    }
}

/// Generation options of a ``ModelRequest``.
///
/// Named `ModelOptions`, not `GenerationOptions`, so that it never clashes with FoundationModels.
public struct ModelOptions: Hashable, Codable, Sendable {
    /// The most output tokens the model may produce. A governed call always sets it, to no more than the budget
    /// allows, and never to zero.
    public var maximumOutputTokens: Int64?
    /// Sampling temperature, if the caller sets one.
    public var temperature: Double?
    /// Whether the model may answer with several tool calls at once, if the provider supports the switch.
    public var allowsParallelToolCalls: Bool?

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maximumOutputTokens: The most output tokens; `nil` leaves it to the governed call.
    ///   - temperature: Sampling temperature.
    ///   - allowsParallelToolCalls: Whether several tool calls may come in one response.
    public init(maximumOutputTokens: Int64? = nil, temperature: Double? = nil, allowsParallelToolCalls: Bool? = nil) {
        self.maximumOutputTokens = maximumOutputTokens
        self.temperature = temperature
        self.allowsParallelToolCalls = allowsParallelToolCalls
    }
}

/// One message of a model transcript.
///
/// Tool results are messages with the role ``Role/tool`` that name the call they answer; a refused or failed call's
/// result has ``isError`` set, so the model can read what went wrong and try something else.
public struct ModelMessage: Hashable, Codable, Sendable {
    /// Who wrote a message.
    public enum Role: String, Hashable, Codable, Sendable, CaseIterable {
        /// Instructions given to the model; most callers use ``ModelRequest/instructions`` instead.
        case system
        /// The user (or the agent speaking for the run's task).
        case user
        /// The model.
        case assistant
        /// The result of a tool call the model asked for.
        case tool
    }

    /// Who wrote the message.
    public var role: Role
    /// The message's text (for a tool result, the result as JSON text).
    public var content: String
    /// The tool calls an assistant message asks for.
    public var toolCalls: [ModelToolCall]
    /// For a tool result, the id of the call it answers.
    public var toolCallID: String?
    /// For a tool result, whether it reports an error (a refusal or a failed tool).
    public var isError: Bool

    /// Creates a message.
    ///
    /// - Parameters:
    ///   - role: Who wrote it.
    ///   - content: Its text.
    ///   - toolCalls: The tool calls an assistant message asks for.
    ///   - toolCallID: For a tool result, the call it answers.
    ///   - isError: For a tool result, whether it reports an error.
    public init(
        role: Role,
        content: String,
        toolCalls: [ModelToolCall] = [],
        toolCallID: String? = nil,
        isError: Bool = false
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.isError = isError
    }

    /// A user message.
    ///
    /// - Parameter content: Its text.
    /// - Returns: The message.
    public static func user(_ content: String) -> ModelMessage { ModelMessage(role: .user, content: content) }

    /// An assistant message.
    ///
    /// - Parameters:
    ///   - content: Its text.
    ///   - toolCalls: The tool calls it asks for.
    /// - Returns: The message.
    public static func assistant(_ content: String, toolCalls: [ModelToolCall] = []) -> ModelMessage {
        ModelMessage(role: .assistant, content: content, toolCalls: toolCalls)
    }

    /// The result of a tool call.
    ///
    /// - Parameters:
    ///   - callID: The id of the call it answers.
    ///   - content: The result as text (JSON text for structured results).
    ///   - isError: Whether it reports an error.
    /// - Returns: The message.
    public static func toolResult(for callID: String, content: String, isError: Bool = false) -> ModelMessage {
        ModelMessage(role: .tool, content: content, toolCallID: callID, isError: isError)
    }
}

/// A tool call a model asks for: an id the result must quote, the tool's name and its arguments.
///
/// The call keeps the length of its arguments' JSON text, worked out when it is made and again whenever
/// ``arguments`` changes, so that ``ConservativeTokenCounter`` can estimate a transcript's earlier calls on every
/// model call without printing them again.
public struct ModelToolCall: Hashable, Codable, Sendable {
    /// The provider's id for the call; the tool result names it.
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments. A provider's arguments text that is not valid JSON arrives as a ``JSONValue/string(_:)``,
    /// which the tool's schema check refuses and the model is told.
    public var arguments: JSONValue {
        didSet { argumentsTextBytes = arguments.jsonText().utf8.count }
    }
    /// The UTF-8 length of `arguments.jsonText()`, kept in step with ``arguments``.
    private(set) var argumentsTextBytes: Int

    private enum CodingKeys: String, CodingKey {
        case id, name, arguments
    }

    /// Creates a tool call.
    ///
    /// - Parameters:
    ///   - id: The provider's id for the call.
    ///   - name: The tool's name.
    ///   - arguments: The arguments.
    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.argumentsTextBytes = arguments.jsonText().utf8.count
    }

    /// Decodes a call: `id`, `name` and `arguments`.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a field is missing or malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            arguments: try container.decode(JSONValue.self, forKey: .arguments)
        )
    }
}
