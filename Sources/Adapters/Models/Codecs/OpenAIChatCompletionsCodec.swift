import AgentPolicy

/// The OpenAI Chat Completions wire format, which most local servers speak too (Ollama, llama.cpp, vLLM): a pure
/// value that turns a ``ModelRequest`` into a ``TransportRequest`` and the provider's bytes back into a
/// ``ModelResponse`` or a ``ModelError``. No I/O.
///
/// **Request.** `POST <baseURL>/chat/completions` with `Content-Type: application/json` and, when a key is given,
/// `Authorization: Bearer <key>`. The body has `model`; `messages` (the instructions first as a `system` message;
/// assistant tool calls as `tool_calls` whose `arguments` are JSON *text*; tool results as `tool` messages with
/// `tool_call_id`); `tools` as `{"type": "function", "function": {"name", "description", "parameters"}}`; the
/// output cap (see ``OutputLimitField``); `temperature`; `parallel_tool_calls` (only with tools, as OpenAI
/// requires); `response_format: {"type": "json_schema", "json_schema": {"name", "schema", "strict"}}` when the
/// request has a response schema (`strict` only when the schema meets OpenAI's strict rules: every object closed
/// and every property required); and, when streaming, `stream: true` with `stream_options: {"include_usage": true}`
/// so that the last chunk reports usage.
///
/// **Response.** `choices[0].message`: `content` as text, `reasoning_content` (vLLM, llama.cpp, DeepSeek) as
/// reasoning, `tool_calls` with their arguments parsed from text (text that is not JSON stays a
/// ``JSONValue/string(_:)``); `usage.prompt_tokens`/`completion_tokens`; `finish_reason` `stop` → ``FinishReason/stop``,
/// `length` → ``FinishReason/length``, `tool_calls` (and the legacy `function_call`) → ``FinishReason/toolCalls``,
/// `content_filter` → ``FinishReason/contentFilter``; others keep their name.
///
/// **Errors.** `{"error": {"message", "type", "code"}}` with the HTTP status → ``ModelError`` with
/// ``ModelError/code(forStatus:)`` (but `insufficient_quota` → ``ModelError/Code/quotaExceeded``: a 429 that waiting
/// does not cure), the provider's message, and ``ModelError/retryAfter`` from `retry-after-ms` or `retry-after`.
public struct OpenAIChatCompletionsCodec: Hashable, Sendable {
    /// Which body field carries ``ModelOptions/maximumOutputTokens``.
    ///
    /// OpenAI deprecated `max_tokens` for `max_completion_tokens` and its reasoning models refuse `max_tokens`; but
    /// many local servers (llama.cpp's server, older Ollama and LM Studio builds) read only `max_tokens`, and a cap
    /// that the server ignores would let a call overrun its budget. The default is therefore ``maxTokens``.
    public enum OutputLimitField: String, Hashable, Codable, Sendable, CaseIterable {
        /// `max_tokens`: every OpenAI-compatible server reads it; OpenAI's reasoning models refuse it.
        case maxTokens
        /// `max_completion_tokens`: OpenAI's current field, required by its reasoning models.
        case maxCompletionTokens
        /// Both fields with the same value, for servers that read either and refuse neither.
        case both
    }

    /// The API's base URL, including its version path, such as `https://api.openai.com/v1` or
    /// `http://127.0.0.1:8080/v1`.
    public var baseURL: String
    /// The key sent as `Authorization: Bearer`; `nil` for local servers that need none.
    public var apiKey: String?
    /// The model's name as the server knows it.
    public var model: String
    /// Which field carries the output cap.
    public var outputLimitField: OutputLimitField

    /// Creates a codec.
    ///
    /// - Parameters:
    ///   - baseURL: The API's base URL, including its version path.
    ///   - apiKey: The bearer key, if any.
    ///   - model: The model's name.
    ///   - outputLimitField: Which field carries the output cap; `max_tokens` by default.
    public init(baseURL: String, apiKey: String? = nil, model: String, outputLimitField: OutputLimitField = .maxTokens)
    {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.outputLimitField = outputLimitField
    }

    /// The HTTP request for `request`.
    ///
    /// - Parameters:
    ///   - request: The model request.
    ///   - stream: Whether to ask for a server-sent event stream.
    /// - Returns: The transport request, its body JSON text.
    public func encode(_ request: ModelRequest, stream: Bool = false) -> TransportRequest {
        var headers = [TransportHeader("Content-Type", "application/json")]
        if let apiKey { headers.append(TransportHeader("Authorization", "Bearer \(apiKey)")) }
        if stream { headers.append(TransportHeader("Accept", "text/event-stream")) }
        return TransportRequest(
            method: "POST",
            url: CodecSupport.join(baseURL, "chat/completions"),
            headers: headers,
            body: CodecSupport.bodyBytes(body(for: request, stream: stream))
        )
    }

    /// The JSON body for `request`, as ``encode(_:stream:)`` sends it.
    ///
    /// - Parameters:
    ///   - request: The model request.
    ///   - stream: Whether to ask for a stream.
    /// - Returns: The body.
    public func body(for request: ModelRequest, stream: Bool = false) -> JSONValue {
        var messages: [JSONValue] = []
        if let instructions = request.instructions {
            messages.append(["role": "system", "content": .string(instructions)])
        }
        for message in request.messages { messages.append(Self.encode(message)) }
        var body: [String: JSONValue] = ["model": .string(model), "messages": .array(messages)]
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { tool in
                    [
                        "type": "function",
                        "function": [
                            "name": .string(tool.name),
                            "description": .string(tool.description),
                            "parameters": tool.parameters.jsonSchema,
                        ],
                    ]
                }
            )
            if let parallel = request.options.allowsParallelToolCalls { body["parallel_tool_calls"] = .bool(parallel) }
        }
        if let limit = request.options.maximumOutputTokens {
            if outputLimitField != .maxCompletionTokens { body["max_tokens"] = .integer(limit) }
            if outputLimitField != .maxTokens { body["max_completion_tokens"] = .integer(limit) }
        }
        if let temperature = request.options.temperature { body["temperature"] = .number(temperature) }
        if let schema = request.responseSchema {
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": [
                    "name": "response", "schema": schema.jsonSchema, "strict": .bool(Self.isStrictCompatible(schema)),
                ],
            ]
        }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    /// Decodes a successful (2xx) response body.
    ///
    /// - Parameter body: The body bytes.
    /// - Returns: The response.
    /// - Throws: ``ModelError`` with ``ModelError/Code/invalidResponse`` when the body is not a chat completion,
    ///   or the mapped error when a server answered 2xx with an `error` body.
    public func decodeResponse(_ body: [UInt8]) throws(ModelError) -> ModelResponse {
        guard let json = CodecSupport.parseJSON(body) else {
            throw CodecSupport.invalidResponse(model: model, provider: "OpenAI", "the body is not JSON")
        }
        if json["error"] != nil { throw decodeError(status: 500, headers: [], body: body) }
        guard let message = json["choices"]?[0]?["message"] else {
            throw CodecSupport.invalidResponse(model: model, provider: "OpenAI", "it has no choices[0].message")
        }
        let toolCalls: [ModelToolCall] =
            if case .array(let calls) = message["tool_calls"] {
                calls.enumerated().map { index, call in
                    let arguments = call["function"]?["arguments"]?.stringValue ?? ""
                    return ModelToolCall(
                        id: call["id"]?.stringValue ?? "call_\(index)",
                        name: call["function"]?["name"]?.stringValue ?? "",
                        arguments: Self.parseArguments(arguments)
                    )
                }
            } else { [] }
        let reason = json["choices"]?[0]?["finish_reason"]?.stringValue.map(Self.finishReason)
        return ModelResponse(
            text: message["content"]?.stringValue ?? "",
            reasoning: message["reasoning_content"]?.stringValue,
            toolCalls: toolCalls,
            usage: Self.usage(json["usage"]),
            finishReason: reason ?? (toolCalls.isEmpty ? .stop : .toolCalls)
        )
    }

    /// Decodes an error response: the status, the `retry-after` headers and the `{"error": {...}}` body.
    ///
    /// - Parameters:
    ///   - status: The HTTP status (400 or more).
    ///   - headers: The response headers.
    ///   - body: The body bytes (any content; a non-JSON body is quoted in the message).
    /// - Returns: The error, carrying the provider's message.
    public func decodeError(status: Int, headers: [TransportHeader], body: [UInt8]) -> ModelError {
        let error = CodecSupport.parseJSON(body)?["error"]
        let type = error?["type"]?.stringValue
        let code = error?["code"]?.stringValue
        var modelCode = ModelError.code(forStatus: status)
        if type == "insufficient_quota" || code == "insufficient_quota" { modelCode = .quotaExceeded }
        let detail: String
        if let error {
            let text = error["message"]?.stringValue ?? error.stringValue ?? error.jsonText()
            let kinds = [type, code].compactMap { $0 }.joined(separator: ", ")
            detail = kinds.isEmpty ? text : "\(text) (\(kinds))"
        } else {
            detail = body.isEmpty ? "an empty body" : CodecSupport.quoted(body)
        }
        return ModelError(
            code: modelCode,
            model: model,
            status: status,
            retryAfter: CodecSupport.retryAfter(in: headers),
            message: "HTTP \(status) from \(CodecSupport.join(baseURL, "chat/completions")): \(detail)"
        )
    }

    /// A decoder for this codec's streamed responses.
    ///
    /// - Returns: A fresh stream decoder.
    public func streamDecoder() -> OpenAIChatStreamDecoder { OpenAIChatStreamDecoder(model: model) }

    static func encode(_ message: ModelMessage) -> JSONValue {
        switch message.role {
        case .system, .user:
            return ["role": .string(message.role.rawValue), "content": .string(message.content)]
        case .assistant:
            var object: [String: JSONValue] = ["role": "assistant"]
            object["content"] = message.content.isEmpty && !message.toolCalls.isEmpty ? .null : .string(message.content)
            if !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(
                    message.toolCalls.map { call in
                        [
                            "id": .string(call.id),
                            "type": "function",
                            "function": ["name": .string(call.name), "arguments": .string(call.arguments.jsonText())],
                        ]
                    }
                )
            }
            return .object(object)
        case .tool:
            return [
                "role": "tool", "tool_call_id": .string(message.toolCallID ?? ""), "content": .string(message.content),
            ]
        }
    }

    static func parseArguments(_ text: String) -> JSONValue {
        if text.isEmpty { return .object([:]) }
        return (try? JSONValue(parsing: text)) ?? .string(text)
    }

    static func finishReason(_ name: String) -> FinishReason {
        switch name {
        case "stop": .stop
        case "length": .length
        case "tool_calls", "function_call": .toolCalls
        case "content_filter": .contentFilter
        default: FinishReason(rawValue: name)
        }
    }

    static func usage(_ value: JSONValue?) -> ModelUsage? {
        guard let value, case .object = value else { return nil }
        let input = CodecSupport.tokens(value["prompt_tokens"])
        let output = CodecSupport.tokens(value["completion_tokens"])
        if input == nil && output == nil { return nil }
        return ModelUsage(inputTokens: input ?? 0, outputTokens: output ?? 0)
    }

    /// Whether OpenAI's strict structured outputs accept `schema`: every object closed and all its properties
    /// required, recursively.
    static func isStrictCompatible(_ schema: ToolSchema) -> Bool {
        if schema.kind == .any { return false }
        if schema.kind == .object {
            guard !schema.allowsAdditionalProperties, Set(schema.required) == Set(schema.properties.keys) else {
                return false
            }
        }
        if let items = schema.items, !isStrictCompatible(items) { return false }
        return schema.properties.values.allSatisfy(isStrictCompatible)
    }
}
