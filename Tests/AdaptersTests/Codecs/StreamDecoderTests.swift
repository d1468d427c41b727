import AgentAdapters
import AgentPolicy
import Testing

@Suite("Provider stream decoders")
struct StreamDecoderTests {
    private func openAI(_ chunks: [[UInt8]]) throws(ModelError) -> ([ModelDelta], ModelResponse) {
        var decoder = OpenAIChatStreamDecoder(model: "gpt-4o-mini")
        var deltas: [ModelDelta] = []
        for chunk in chunks { deltas += try decoder.feed(chunk) }
        return (deltas, try decoder.finish())
    }

    private func anthropic(_ chunks: [[UInt8]]) throws(ModelError) -> ([ModelDelta], ModelResponse) {
        var decoder = AnthropicMessagesStreamDecoder(model: "claude")
        var deltas: [ModelDelta] = []
        for chunk in chunks { deltas += try decoder.feed(chunk) }
        return (deltas, try decoder.finish())
    }

    @Test("OpenAI's streaming example: text deltas, stop, then usage; [DONE] completes")
    func openAIText() throws {
        let (deltas, response) = try openAI([Array(OpenAIFixtures.streamingBody.utf8)])
        #expect(deltas == [.response("Hello"), .finished(.stop), .updateUsage(input: 9, output: 2)])
        #expect(
            response
                == ModelResponse(text: "Hello", usage: ModelUsage(inputTokens: 9, outputTokens: 2), finishReason: .stop)
        )
    }

    @Test("a streamed OpenAI tool call assembles its arguments")
    func openAIToolCall() throws {
        let (_, response) = try openAI([Array(OpenAIFixtures.toolCallStreamBody.utf8)])
        #expect(
            response.toolCalls
                == [
                    ModelToolCall(id: "call_abc123", name: "get_current_weather", arguments: ["location": "Boston, MA"])
                ]
        )
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == ModelUsage(inputTokens: 82, outputTokens: 17))
    }

    @Test("Anthropic's basic stream: usage from message_start and message_delta, text, end_turn")
    func anthropicText() throws {
        let (deltas, response) = try anthropic([Array(AnthropicFixtures.basicStream.utf8)])
        #expect(
            deltas == [
                .updateUsage(input: 11, output: 1), .response("Hello"), .response(" there"), .response("!"),
                .finished(.stop), .updateUsage(input: 11, output: 6),
            ]
        )
        #expect(
            response
                == ModelResponse(
                    text: "Hello there!",
                    usage: ModelUsage(inputTokens: 11, outputTokens: 6),
                    finishReason: .stop
                )
        )
    }

    @Test("Anthropic's tool-use stream: text then a tool call assembled from input_json_delta")
    func anthropicToolUse() throws {
        let (_, response) = try anthropic([Array(AnthropicFixtures.toolUseStream.utf8)])
        #expect(response.text == "I'll check the current weather in Paris for you.")
        #expect(
            response.toolCalls
                == [
                    ModelToolCall(
                        id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
                        name: "get_weather",
                        arguments: ["location": "Paris"]
                    )
                ]
        )
        #expect(response.usage == ModelUsage(inputTokens: 377, outputTokens: 65))
        #expect(response.finishReason == .toolCalls)
    }

    @Test("split at every byte position, each fixture stream gives the same deltas and response", .plainRunOnly)
    func everySplit() throws {
        let openAIBytes = Array(OpenAIFixtures.toolCallStreamBody.utf8)
        let openAIWhole = try openAI([openAIBytes])
        for chunks in splits(of: openAIBytes) {
            let (deltas, response) = try openAI(chunks)
            #expect(response == openAIWhole.1)
            #expect(deltas == openAIWhole.0)
        }
        let anthropicBytes = Array(AnthropicFixtures.toolUseStream.utf8)
        let anthropicWhole = try anthropic([anthropicBytes])
        for chunks in splits(of: anthropicBytes) {
            let (deltas, response) = try anthropic(chunks)
            #expect(response == anthropicWhole.1)
            #expect(deltas == anthropicWhole.0)
        }
    }

    @Test("a stream cut anywhere before [DONE] or message_stop is a truncated stream")
    func truncation() {
        for (bytes, isOpenAI) in [
            (Array(OpenAIFixtures.streamingBody.utf8), true), (Array(AnthropicFixtures.basicStream.utf8), false),
        ] {
            let closing = isOpenAI ? "data: [DONE]" : "event: message_stop"
            // The closing event ends at the last byte, so every shorter prefix lacks it.
            for cut in Array(stride(from: 0, to: bytes.count, by: 7)) + [bytes.count - 1] {
                let chunk = Array(bytes[..<cut])
                do {
                    _ = try isOpenAI ? openAI([chunk]) : anthropic([chunk])
                    Issue.record("a stream cut at \(cut) before \(closing) was accepted")
                } catch {
                    #expect(error.code == .truncatedStream)
                    #expect(error.isRetryable)
                }
            }
        }
    }

    @Test("an error event mid-stream throws the mapped error")
    func errorEvents() {
        let fixture = AnthropicFixtures.basicStream
        let start = String(
            fixture[..<(fixture.firstRange(of: "event: content_block_stop")?.lowerBound ?? fixture.endIndex)]
        )
        #expect(throws: ModelError.self) { try anthropic([Array((start + AnthropicFixtures.errorEvent).utf8)]) }
        do {
            _ = try anthropic([Array((start + AnthropicFixtures.errorEvent).utf8)])
        } catch {
            #expect(error.code == .overloaded)
            #expect(error.message.contains("Overloaded"))
        }
        let openAIError = "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n"
        do {
            _ = try openAI([Array(openAIError.utf8)])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.message.contains("The server had an error"))
        }
        do {
            _ = try openAI([Array("data: {not json\n\n".utf8)])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidResponse)
        }
    }

    @Test("Anthropic's forced structured-output tool streams as text")
    func anthropicStructured() throws {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"structured_output","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"answer\\": "}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\"42\\"}"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let (_, response) = try anthropic([Array(stream.utf8)])
        #expect(response.text == #"{"answer": "42"}"#)
        #expect(response.toolCalls.isEmpty)
        #expect(response.finishReason == .stop)
    }
}
