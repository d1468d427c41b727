import AgentPolicy

/// Decodes a streamed OpenAI Chat Completions response (server-sent events of `chat.completion.chunk` objects,
/// ending with `data: [DONE]`) into ``ModelDelta`` values, incrementally: feed it bytes as they arrive.
///
/// Each chunk's `choices[0].delta` gives ``ModelDelta/response(_:)`` for `content`, ``ModelDelta/reasoning(_:)``
/// for `reasoning_content`, ``ModelDelta/toolCallFragment(index:id:name:arguments:)`` for each `tool_calls` entry
/// and ``ModelDelta/finished(_:)`` for `finish_reason`; a chunk's `usage` (the last one, with
/// `stream_options.include_usage`) gives ``ModelDelta/updateUsage(input:output:)``. Events after `[DONE]` are
/// ignored. An `error` object in the stream throws the mapped ``ModelError``.
///
/// The decoder is a `Sendable` value with no I/O.
public struct OpenAIChatStreamDecoder: Sendable {
    /// The model's name, for errors.
    public let model: String
    private var events: ServerSentEventDecoder
    private var assembler = ModelResponseAssembler()
    /// Whether the stream's closing `[DONE]` arrived.
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
    /// - Throws: ``ModelError``: the provider's error sent in the stream, or ``ModelError/Code/invalidResponse``
    ///   for a chunk that is not JSON or an event past the size limit.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ModelError) -> [ModelDelta] {
        let decoded: [ServerSentEvent]
        do { decoded = try events.feed(bytes) } catch { throw CodecSupport.oversizedEvent(model: model, error) }
        var deltas: [ModelDelta] = []
        for event in decoded where !isDone {
            if event.data == "[DONE]" {
                isDone = true
                break
            }
            guard let chunk = try? JSONValue(parsing: event.data) else {
                throw CodecSupport.invalidResponse(
                    model: model,
                    provider: "OpenAI",
                    "a stream event's data is not JSON: \(CodecSupport.quoted(Array(event.data.utf8)))"
                )
            }
            if let error = chunk["error"] { throw streamError(error) }
            deltas += Self.deltas(of: chunk)
        }
        for delta in deltas { assembler.add(delta) }
        return deltas
    }

    /// Ends the stream and returns the assembled response.
    ///
    /// - Returns: The response: the joined text, the tool calls with parsed arguments, the usage and the finish
    ///   reason.
    /// - Throws: ``ModelError`` with ``ModelError/Code/truncatedStream`` when `[DONE]` never arrived.
    public mutating func finish() throws(ModelError) -> ModelResponse {
        let end = events.finish()
        guard isDone else {
            throw CodecSupport.truncated(model: model, provider: "OpenAI", expected: "data: [DONE]", end: end)
        }
        return assembler.response()
    }

    static func deltas(of chunk: JSONValue) -> [ModelDelta] {
        var deltas: [ModelDelta] = []
        if let choice = chunk["choices"]?[0] {
            let delta = choice["delta"]
            if let reasoning = delta?["reasoning_content"]?.stringValue, !reasoning.isEmpty {
                deltas.append(.reasoning(reasoning))
            }
            if let text = delta?["content"]?.stringValue, !text.isEmpty { deltas.append(.response(text)) }
            if case .array(let calls) = delta?["tool_calls"] {
                for (position, call) in calls.enumerated() {
                    deltas.append(
                        .toolCallFragment(
                            index: call["index"]?.integerValue.map { Int(clamping: $0) } ?? position,
                            id: call["id"]?.stringValue,
                            name: call["function"]?["name"]?.stringValue,
                            arguments: call["function"]?["arguments"]?.stringValue ?? ""
                        )
                    )
                }
            }
            if let reason = choice["finish_reason"]?.stringValue {
                deltas.append(.finished(OpenAIChatCompletionsCodec.finishReason(reason)))
            }
        }
        if let usage = OpenAIChatCompletionsCodec.usage(chunk["usage"]) {
            deltas.append(.updateUsage(input: usage.inputTokens, output: usage.outputTokens))
        }
        return deltas
    }

    private func streamError(_ error: JSONValue) -> ModelError {
        let type = error["type"]?.stringValue ?? error["code"]?.stringValue
        let code: ModelError.Code =
            switch type {
            case "rate_limit_exceeded", "rate_limit_error": .rateLimited
            case "insufficient_quota": .quotaExceeded
            case "overloaded_error", "server_overloaded": .overloaded
            case "invalid_request_error": .invalidRequest
            default: .serverError
            }
        let message = error["message"]?.stringValue ?? error.stringValue ?? error.jsonText()
        return ModelError(
            code: code,
            model: model,
            message: "the OpenAI stream reported an error: \(message)\(type.map { " (\($0))" } ?? "")"
        )
    }
}
