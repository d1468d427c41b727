import AgentPolicy

/// The Anthropic Messages wire format: a pure value that turns a ``ModelRequest`` into a ``TransportRequest`` and
/// the provider's bytes back into a ``ModelResponse`` or a ``ModelError``. No I/O.
///
/// **Request.** `POST <baseURL>/v1/messages` with `x-api-key` (when a key is given) and
/// `anthropic-version: 2023-06-01`. The body has `model`; `system` (the instructions and any system messages, joined
/// by a blank line); `max_tokens`, which Anthropic requires: the request's ``ModelOptions/maximumOutputTokens``, or
/// ``defaultMaximumOutputTokens`` when the caller set none; `messages` with content blocks (`text`; `tool_use` with
/// `id`, `name` and the `input` object; `tool_result` with `tool_use_id`, `content` and `is_error`), consecutive
/// messages of one role merged into one message, so that the results of parallel tool calls travel together as
/// Anthropic requires; `tools` as `{"name", "description", "input_schema"}`; `temperature`; and, when
/// ``ModelOptions/allowsParallelToolCalls`` is `false`, `tool_choice: {"type": "auto",
/// "disable_parallel_tool_use": true}`.
///
/// **Structured output.** The Messages API has no portable JSON-schema response format, so a request with a
/// ``ModelRequest/responseSchema`` is sent one of two ways. With no tools, the schema becomes a tool named
/// ``structuredOutputToolName`` that the model is forced to call (`tool_choice: {"type": "tool"}`): the tool's
/// `input` is the answer, and decoding turns that call back into the response's text (its JSON text) with the
/// finish reason ``FinishReason/stop``. With tools, forcing one tool would keep the model from calling the others,
/// so the schema goes into the system prompt instead and the answer comes back as text; the governed agent checks
/// it against the schema either way. The tool name is reserved: a tool of the caller's with that name is not
/// expected.
///
/// **Response.** `content` blocks: `text` → text, `thinking` → reasoning, `tool_use` → tool calls;
/// `usage.input_tokens`/`output_tokens`; `stop_reason` `end_turn` and `stop_sequence` → ``FinishReason/stop``,
/// `max_tokens` → ``FinishReason/length``, `tool_use` → ``FinishReason/toolCalls``, `refusal` →
/// ``FinishReason/contentFilter``; others keep their name.
///
/// **Errors.** `{"type": "error", "error": {"type", "message"}}` → ``ModelError``: `overloaded_error` (HTTP 529) →
/// ``ModelError/Code/overloaded``, `rate_limit_error` → ``ModelError/Code/rateLimited``, `api_error` →
/// ``ModelError/Code/serverError``, `timeout_error` → ``ModelError/Code/timedOut``, `authentication_error` and
/// `permission_error` → ``ModelError/Code/authenticationFailed``, `not_found_error` → ``ModelError/Code/notFound``,
/// `invalid_request_error` and `request_too_large` → ``ModelError/Code/invalidRequest``, `billing_error` →
/// ``ModelError/Code/quotaExceeded``; unknown types by status. `retry-after` → ``ModelError/retryAfter``.
public struct AnthropicMessagesCodec: Hashable, Sendable {
    /// The `anthropic-version` header the codec sends.
    public static let apiVersion = "2023-06-01"
    /// The name of the tool that carries a structured answer when the request has no tools of its own.
    public static let structuredOutputToolName = "structured_output"

    /// The API's base URL without the version path, such as `https://api.anthropic.com`.
    public var baseURL: String
    /// The key sent as `x-api-key`; `nil` for a proxy that adds its own.
    public var apiKey: String?
    /// The model's name, such as `claude-sonnet-4-5`.
    public var model: String
    /// The `max_tokens` sent when the request sets no ``ModelOptions/maximumOutputTokens`` (governed calls always
    /// set it).
    public var defaultMaximumOutputTokens: Int64

    /// Creates a codec.
    ///
    /// - Parameters:
    ///   - baseURL: The API's base URL without the version path.
    ///   - apiKey: The key, if any.
    ///   - model: The model's name.
    ///   - defaultMaximumOutputTokens: The `max_tokens` for requests that set none; at least 1.
    public init(
        baseURL: String = "https://api.anthropic.com",
        apiKey: String? = nil,
        model: String,
        defaultMaximumOutputTokens: Int64 = 4_096
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.defaultMaximumOutputTokens = max(1, defaultMaximumOutputTokens)
    }

    /// The HTTP request for `request`.
    ///
    /// - Parameters:
    ///   - request: The model request.
    ///   - stream: Whether to ask for a server-sent event stream.
    /// - Returns: The transport request, its body JSON text.
    public func encode(_ request: ModelRequest, stream: Bool = false) -> TransportRequest {
        var headers = [
            TransportHeader("Content-Type", "application/json"),
            TransportHeader("anthropic-version", Self.apiVersion),
        ]
        if let apiKey { headers.append(TransportHeader("x-api-key", apiKey)) }
        if stream { headers.append(TransportHeader("Accept", "text/event-stream")) }
        return TransportRequest(
            method: "POST",
            url: CodecSupport.join(baseURL, "v1/messages"),
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
        var system = [request.instructions].compactMap { $0 }
        system += request.messages.filter { $0.role == .system }.map(\.content)
        var tools: [JSONValue] = request.tools.map { tool in
            [
                "name": .string(tool.name), "description": .string(tool.description),
                "input_schema": Self.inputSchema(tool.parameters),
            ]
        }
        var body: [String: JSONValue] = [
            "model": .string(model),
            "max_tokens": .integer(max(1, request.options.maximumOutputTokens ?? defaultMaximumOutputTokens)),
            "messages": .array(Self.messages(request.messages)),
        ]
        if let schema = request.responseSchema {
            if tools.isEmpty {
                tools.append(
                    [
                        "name": .string(Self.structuredOutputToolName),
                        "description": "Give the final answer as this tool's input.",
                        "input_schema": Self.inputSchema(schema),
                    ]
                )
                body["tool_choice"] = ["type": "tool", "name": .string(Self.structuredOutputToolName)]
            } else {
                system.append(
                    "When you give your final answer, reply with only a JSON value (no prose, no code fence) that "
                        + "matches this JSON Schema: \(schema.jsonSchema.jsonText())"
                )
            }
        }
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        if !tools.isEmpty {
            body["tools"] = .array(tools)
            if body["tool_choice"] == nil, request.options.allowsParallelToolCalls == false {
                body["tool_choice"] = ["type": "auto", "disable_parallel_tool_use": true]
            }
        }
        if let temperature = request.options.temperature { body["temperature"] = .number(temperature) }
        if stream { body["stream"] = true }
        return .object(body)
    }

    /// Decodes a successful (2xx) response body.
    ///
    /// - Parameter body: The body bytes.
    /// - Returns: The response.
    /// - Throws: ``ModelError`` with ``ModelError/Code/invalidResponse`` when the body is not a message, or the
    ///   mapped error when the body is an error object.
    public func decodeResponse(_ body: [UInt8]) throws(ModelError) -> ModelResponse {
        guard let json = CodecSupport.parseJSON(body) else {
            throw CodecSupport.invalidResponse(model: model, provider: "Anthropic", "the body is not JSON")
        }
        if json["type"]?.stringValue == "error" { throw decodeError(status: 500, headers: [], body: body) }
        guard case .array(let blocks) = json["content"] else {
            throw CodecSupport.invalidResponse(model: model, provider: "Anthropic", "it has no content array")
        }
        var text = ""
        var reasoning = ""
        var calls: [ModelToolCall] = []
        var structured = false
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "thinking": reasoning += block["thinking"]?.stringValue ?? ""
            case "tool_use":
                let name = block["name"]?.stringValue ?? ""
                let input = block["input"] ?? .object([:])
                if name == Self.structuredOutputToolName {
                    text += input.jsonText()
                    structured = true
                } else {
                    calls.append(ModelToolCall(id: block["id"]?.stringValue ?? "", name: name, arguments: input))
                }
            default: break
            }
        }
        var reason = json["stop_reason"]?.stringValue.map(Self.finishReason) ?? (calls.isEmpty ? .stop : .toolCalls)
        if structured && calls.isEmpty && reason == .toolCalls { reason = .stop }
        return ModelResponse(
            text: text,
            reasoning: reasoning.isEmpty ? nil : reasoning,
            toolCalls: calls,
            usage: Self.usage(json["usage"]),
            finishReason: reason
        )
    }

    /// Decodes an error response: the status, `retry-after` and the `{"type": "error", "error": {...}}` body.
    ///
    /// - Parameters:
    ///   - status: The HTTP status (400 or more).
    ///   - headers: The response headers.
    ///   - body: The body bytes (any content; a non-JSON body is quoted in the message).
    /// - Returns: The error, carrying the provider's message.
    public func decodeError(status: Int, headers: [TransportHeader], body: [UInt8]) -> ModelError {
        let error = CodecSupport.parseJSON(body)?["error"]
        let type = error?["type"]?.stringValue
        let detail: String
        if let error {
            let text = error["message"]?.stringValue ?? error.jsonText()
            detail = type.map { "\(text) (\($0))" } ?? text
        } else {
            detail = body.isEmpty ? "an empty body" : CodecSupport.quoted(body)
        }
        return ModelError(
            code: type.flatMap(Self.errorCode) ?? ModelError.code(forStatus: status),
            model: model,
            status: status,
            retryAfter: CodecSupport.retryAfter(in: headers),
            message: "HTTP \(status) from \(CodecSupport.join(baseURL, "v1/messages")): \(detail)"
        )
    }

    /// A decoder for this codec's streamed responses.
    ///
    /// - Returns: A fresh stream decoder.
    public func streamDecoder() -> AnthropicMessagesStreamDecoder { AnthropicMessagesStreamDecoder(model: model) }

    static func errorCode(forType type: String) -> ModelError.Code? {
        switch type {
        case "overloaded_error": .overloaded
        case "rate_limit_error": .rateLimited
        case "api_error": .serverError
        case "timeout_error": .timedOut
        case "authentication_error", "permission_error": .authenticationFailed
        case "not_found_error": .notFound
        case "invalid_request_error", "request_too_large": .invalidRequest
        case "billing_error": .quotaExceeded
        default: nil
        }
    }

    static func finishReason(_ name: String) -> FinishReason {
        switch name {
        case "end_turn", "stop_sequence": .stop
        case "max_tokens": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: FinishReason(rawValue: name)
        }
    }

    static func usage(_ value: JSONValue?) -> ModelUsage? {
        guard let value, case .object = value else { return nil }
        let input = CodecSupport.tokens(value["input_tokens"])
        let output = CodecSupport.tokens(value["output_tokens"])
        if input == nil && output == nil { return nil }
        return ModelUsage(inputTokens: input ?? 0, outputTokens: output ?? 0)
    }

    /// A tool's `input_schema`: Anthropic requires an object schema, so a schema without a type becomes one.
    static func inputSchema(_ schema: ToolSchema) -> JSONValue {
        var json = schema.jsonSchema
        if case .object(var members) = json, members["type"] == nil {
            members["type"] = "object"
            json = .object(members)
        }
        return json
    }

    /// The transcript as Anthropic messages: system messages left out (they go to `system`), tool results as
    /// user `tool_result` blocks, and consecutive messages of one role merged.
    static func messages(_ transcript: [ModelMessage]) -> [JSONValue] {
        var result: [(role: String, blocks: [JSONValue])] = []
        for message in transcript where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            var blocks: [JSONValue] = []
            switch message.role {
            case .tool:
                var block: [String: JSONValue] = [
                    "type": "tool_result",
                    "tool_use_id": .string(message.toolCallID ?? ""),
                    "content": .string(message.content),
                ]
                if message.isError { block["is_error"] = true }
                blocks.append(.object(block))
            default:
                if !message.content.isEmpty { blocks.append(["type": "text", "text": .string(message.content)]) }
                for call in message.toolCalls {
                    let input: JSONValue =
                        if case .object = call.arguments { call.arguments } else { .object([:]) }
                    blocks.append(
                        ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": input]
                    )
                }
            }
            if blocks.isEmpty { continue }
            if let last = result.last, last.role == role {
                result[result.count - 1].blocks += blocks
            } else {
                result.append((role, blocks))
            }
        }
        return result.map { ["role": .string($0.role), "content": .array($0.blocks)] }
    }
}
