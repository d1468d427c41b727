/// Decodes a streamed Anthropic Messages response (server-sent events from `message_start` to `message_stop`) into
/// ``ModelDelta`` values, incrementally: feed it bytes as they arrive.
///
/// `message_start` gives the input (and first output) token counts; `content_block_start` of a `tool_use` block
/// and each `input_json_delta` give ``ModelDelta/toolCallFragment(index:id:name:arguments:)`` keyed by the block's
/// index; `text_delta` gives ``ModelDelta/response(_:)``; `thinking_delta` gives ``ModelDelta/reasoning(_:)``;
/// `message_delta` gives the stop reason and the cumulative output tokens; `ping` is ignored; an `error` event
/// throws the mapped ``ModelError``. The input of the forced ``AnthropicMessagesCodec/structuredOutputToolName``
/// tool streams as ``ModelDelta/response(_:)`` text, as ``AnthropicMessagesCodec`` describes.
///
/// The decoder is a `Sendable` value with no I/O.
public struct AnthropicMessagesStreamDecoder: Sendable {
    /// The model's name, for errors.
    public let model: String
    private var events: ServerSentEventDecoder
    private var assembler = ModelResponseAssembler()
    private var structuredBlocks: Set<Int> = []
    private var inputTokens: Int64?
    /// Whether the stream's closing `message_stop` arrived.
    public private(set) var isDone = false

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - model: The model's name, for errors.
    ///   - maximumEventBytes: The most bytes one server-sent event may hold.
    public init(model: String, maximumEventBytes: Int = ServerSentEventDecoder.defaultMaximumEventBytes) {
        self.model = model
        self.events = ServerSentEventDecoder(maximumEventBytes: maximumEventBytes)
    }

    /// Feeds the next bytes of the stream.
    ///
    /// - Parameter bytes: The next bytes, in any chunking.
    /// - Returns: The deltas the bytes completed, in order.
    /// - Throws: ``ModelError``: the provider's `error` event, or ``ModelError/Code/invalidResponse`` for an event
    ///   whose data is not JSON or an event past the size limit.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ModelError) -> [ModelDelta] {
        let decoded: [ServerSentEvent]
        do { decoded = try events.feed(bytes) } catch { throw CodecSupport.oversizedEvent(model: model, error) }
        var deltas: [ModelDelta] = []
        for event in decoded where !isDone {
            guard let json = try? JSONValue(parsing: event.data) else {
                throw CodecSupport.invalidResponse(
                    model: model,
                    provider: "Anthropic",
                    "a stream event's data is not JSON: \(CodecSupport.quoted(Array(event.data.utf8)))"
                )
            }
            let type = json["type"]?.stringValue ?? event.event
            if type == "error" { throw streamError(json["error"]) }
            if type == "message_stop" {
                isDone = true
                break
            }
            deltas += self.deltas(of: json, type: type)
        }
        for delta in deltas { assembler.add(delta) }
        return deltas
    }

    /// Ends the stream and returns the assembled response.
    ///
    /// - Returns: The response: the joined text, the tool calls with parsed inputs, the usage and the finish reason.
    /// - Throws: ``ModelError`` with ``ModelError/Code/truncatedStream`` when `message_stop` never arrived.
    public mutating func finish() throws(ModelError) -> ModelResponse {
        let end = events.finish()
        guard isDone else {
            throw CodecSupport.truncated(model: model, provider: "Anthropic", expected: "message_stop", end: end)
        }
        var response = assembler.response()
        if !structuredBlocks.isEmpty && response.toolCalls.isEmpty && response.finishReason == .toolCalls {
            response.finishReason = .stop
        }
        return response
    }

    private mutating func deltas(of json: JSONValue, type: String) -> [ModelDelta] {
        let index = json["index"]?.integerValue.map { Int(clamping: $0) } ?? 0
        switch type {
        case "message_start":
            let usage = json["message"]?["usage"]
            inputTokens = CodecSupport.tokens(usage?["input_tokens"])
            let output = CodecSupport.tokens(usage?["output_tokens"])
            return inputTokens == nil && output == nil ? [] : [.updateUsage(input: inputTokens, output: output)]
        case "content_block_start":
            let block = json["content_block"]
            switch block?["type"]?.stringValue {
            case "tool_use":
                let name = block?["name"]?.stringValue ?? ""
                if name == AnthropicMessagesCodec.structuredOutputToolName {
                    structuredBlocks.insert(index)
                    return []
                }
                return [.toolCallFragment(index: index, id: block?["id"]?.stringValue, name: name, arguments: "")]
            case "text":
                let text = block?["text"]?.stringValue ?? ""
                return text.isEmpty ? [] : [.response(text)]
            default:
                return []
            }
        case "content_block_delta":
            let delta = json["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                let text = delta?["text"]?.stringValue ?? ""
                return text.isEmpty ? [] : [.response(text)]
            case "thinking_delta":
                let text = delta?["thinking"]?.stringValue ?? ""
                return text.isEmpty ? [] : [.reasoning(text)]
            case "input_json_delta":
                let fragment = delta?["partial_json"]?.stringValue ?? ""
                if fragment.isEmpty { return [] }
                if structuredBlocks.contains(index) { return [.response(fragment)] }
                return [.toolCallFragment(index: index, id: nil, name: nil, arguments: fragment)]
            default:
                return []
            }
        case "message_delta":
            var deltas: [ModelDelta] = []
            if let reason = json["delta"]?["stop_reason"]?.stringValue {
                var mapped = AnthropicMessagesCodec.finishReason(reason)
                if mapped == .toolCalls, !structuredBlocks.isEmpty { mapped = .stop }
                deltas.append(.finished(mapped))
            }
            let usage = json["usage"]
            let input = CodecSupport.tokens(usage?["input_tokens"])
            let output = CodecSupport.tokens(usage?["output_tokens"])
            if input != nil || output != nil {
                deltas.append(.updateUsage(input: input ?? inputTokens, output: output))
            }
            return deltas
        default:
            return []
        }
    }

    private func streamError(_ error: JSONValue?) -> ModelError {
        let type = error?["type"]?.stringValue
        let message = error?["message"]?.stringValue ?? error?.jsonText() ?? "no error object"
        return ModelError(
            code: type.flatMap(AnthropicMessagesCodec.errorCode) ?? .serverError,
            model: model,
            message: "the Anthropic stream reported an error: \(message)\(type.map { " (\($0))" } ?? "")"
        )
    }
}
