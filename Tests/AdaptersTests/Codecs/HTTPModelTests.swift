import AgentAdapters
@_spi(Internals) import AgentPolicy
import Testing

/// A transport that plays scripted responses and records what it was sent.
private final class FakeTransport: ModelTransport {
    enum Reply: Sendable {
        case response(TransportResponse)
        case stream(status: Int, headers: [TransportHeader], chunks: [[UInt8]])
        case failure(any Error)
    }

    private let state: LockedState<(replies: [Reply], sent: [TransportRequest])>

    init(_ replies: [Reply]) { state = LockedState((replies, [])) }

    var sent: [TransportRequest] { state.withLock { $0.sent } }

    private func next(_ request: TransportRequest) -> Reply {
        state.withLock { state in
            state.sent.append(request)
            return state.replies.isEmpty ? .failure(TestTransportError()) : state.replies.removeFirst()
        }
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        switch next(request) {
        case .response(let response): return response
        case .stream(let status, let headers, let chunks):
            return TransportResponse(status: status, headers: headers, body: chunks.flatMap { $0 })
        case .failure(let error): throw error
        }
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        switch next(request) {
        case .response(let response):
            let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            continuation.yield(response.body)
            continuation.finish()
            return TransportStream(status: response.status, headers: response.headers, chunks: chunks)
        case .stream(let status, let headers, let parts):
            let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            for part in parts { continuation.yield(part) }
            continuation.finish()
            return TransportStream(status: status, headers: headers, chunks: chunks)
        case .failure(let error): throw error
        }
    }
}

private struct TestTransportError: Error {}

/// Collects the deltas a model yields.
private final class DeltaCollector: Sendable {
    private let state = LockedState<[ModelDelta]>([])
    var sink: ModelDeltaSink { ModelDeltaSink { delta in self.state.withLock { $0.append(delta) } } }
    var deltas: [ModelDelta] { state.withLock { $0 } }
}

/// A transport whose stream the test feeds by hand.
private final class ManualStreamTransport: ModelTransport {
    let chunks: AsyncThrowingStream<[UInt8], any Error>
    let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation

    init() { (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream() }

    func send(_ request: TransportRequest) async throws -> TransportResponse { TransportResponse(status: 500) }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        TransportStream(status: 200, headers: [], chunks: chunks)
    }
}

@Suite("HTTP models over a transport", .timeLimit(.suite))
struct HTTPModelTests {
    let descriptor = ModelDescriptor(name: "llama3", contextWindowTokens: 8_192)
    let request = ModelRequest(
        instructions: "Be brief.",
        messages: [.user("Hello!")],
        options: ModelOptions(maximumOutputTokens: 50)
    )

    private func chunked(_ text: String, size: Int = 17) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    @Test("OpenAI-compatible, not streaming: the codec's request goes out, the response comes back")
    func openAINonStreaming() async throws {
        let transport = FakeTransport([
            .response(TransportResponse(status: 200, body: Array(OpenAIFixtures.defaultResponse.utf8)))
        ])
        let model = OpenAICompatibleModel(
            baseURL: "http://127.0.0.1:8080/v1",
            apiKey: nil,
            descriptor: descriptor,
            transport: transport
        )
        let collector = DeltaCollector()
        let response = try await model.respond(to: request, streamingInto: collector.sink)
        #expect(response.text == "Hello! How can I assist you today?")
        #expect(response.usage == ModelUsage(inputTokens: 19, outputTokens: 10))
        #expect(collector.deltas.isEmpty)
        let sent = try #require(transport.sent.first)
        #expect(sent.url == "http://127.0.0.1:8080/v1/chat/completions")
        #expect(body(sent)["model"] == "llama3")
        #expect(body(sent)["max_tokens"] == 50)
        #expect(body(sent)["stream"] == nil)
    }

    @Test("OpenAI-compatible, streaming: deltas reach the sink in order, the response is assembled")
    func openAIStreaming() async throws {
        let transport = FakeTransport([
            .stream(status: 200, headers: [], chunks: chunked(OpenAIFixtures.toolCallStreamBody))
        ])
        let model = OpenAICompatibleModel(
            baseURL: "http://127.0.0.1:8080/v1",
            descriptor: descriptor,
            transport: transport,
            streams: true
        )
        let collector = DeltaCollector()
        let response = try await model.respond(to: request, streamingInto: collector.sink)
        #expect(
            response.toolCalls
                == [
                    ModelToolCall(id: "call_abc123", name: "get_current_weather", arguments: ["location": "Boston, MA"])
                ]
        )
        var assembler = ModelResponseAssembler()
        for delta in collector.deltas { assembler.add(delta) }
        #expect(assembler.response() == response)
        #expect(body(try #require(transport.sent.first))["stream"] == true)
    }

    @Test("a 429 with retry-after becomes a retryable rateLimited error, streaming or not", arguments: [false, true])
    func rateLimited(streams: Bool) async throws {
        let transport = FakeTransport([
            .stream(
                status: 429,
                headers: [TransportHeader("Retry-After", "3")],
                chunks: chunked(OpenAIFixtures.rateLimitError)
            )
        ])
        let model = OpenAICompatibleModel(
            baseURL: "https://api.openai.com/v1",
            apiKey: "sk",
            descriptor: descriptor,
            transport: transport,
            streams: streams
        )
        let error = await #expect(throws: ModelError.self) {
            try await model.respond(to: request, streamingInto: .discarding)
        }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfter == .seconds(3))
        #expect(error?.isRetryable == true)
        #expect(error?.message.contains("Rate limit reached") == true)
    }

    @Test(
        "Anthropic: a 529 overloaded is retryable; then a streamed answer with a tool call",
        arguments: [false, true]
    )
    func anthropic(streams: Bool) async throws {
        let success: FakeTransport.Reply =
            streams
            ? .stream(status: 200, headers: [], chunks: chunked(AnthropicFixtures.toolUseStream, size: 5))
            : .response(TransportResponse(status: 200, body: Array(AnthropicFixtures.toolUseResponse.utf8)))
        let transport = FakeTransport([
            .response(TransportResponse(status: 529, body: Array(AnthropicFixtures.overloadedError.utf8))), success,
        ])
        let model = AnthropicModel(
            apiKey: "sk-ant",
            descriptor: ModelDescriptor(name: "claude-sonnet-4-5", contextWindowTokens: 200_000),
            transport: transport,
            streams: streams
        )
        let error = await #expect(throws: ModelError.self) {
            try await model.respond(to: request, streamingInto: .discarding)
        }
        #expect(error?.code == .overloaded)
        #expect(error?.status == 529)
        #expect(error?.isRetryable == true)
        let collector = DeltaCollector()
        let response = try await model.respond(to: request, streamingInto: collector.sink)
        #expect(response.toolCalls.first?.name == "get_weather")
        #expect(response.finishReason == .toolCalls)
        #expect(collector.deltas.isEmpty == !streams)
        let sent = try #require(transport.sent.last)
        #expect(sent.url == "https://api.anthropic.com/v1/messages")
        #expect(body(sent)["max_tokens"] == 50)
        #expect(body(sent)["system"] == "Be brief.")
    }

    @Test("transport failures become connectionFailed; a transport's ModelError passes through")
    func transportFailures() async throws {
        let timedOut = ModelError(code: .timedOut, model: "llama3", message: "the request timed out")
        let transport = FakeTransport([.failure(TestTransportError()), .failure(timedOut)])
        let model = OpenAICompatibleModel(baseURL: "http://x/v1", descriptor: descriptor, transport: transport)
        let first = await #expect(throws: ModelError.self) {
            try await model.respond(to: request, streamingInto: .discarding)
        }
        #expect(first?.code == .connectionFailed)
        #expect(first?.isRetryable == true)
        let second = await #expect(throws: ModelError.self) {
            try await model.respond(to: request, streamingInto: .discarding)
        }
        #expect(second == timedOut)
    }

    @Test("a stream that ends before message_stop is a truncated stream")
    func truncatedStream() async throws {
        let cut = String(AnthropicFixtures.basicStream.utf8.prefix(400)) ?? ""
        let transport = FakeTransport([.stream(status: 200, headers: [], chunks: chunked(cut))])
        let model = AnthropicModel(apiKey: nil, descriptor: descriptor, transport: transport, streams: true)
        let error = await #expect(throws: ModelError.self) {
            try await model.respond(to: request, streamingInto: .discarding)
        }
        #expect(error?.code == .truncatedStream)
    }

    @Test("cancellation between chunks ends the call with CancellationError")
    func cancellationBetweenChunks() async throws {
        let transport = ManualStreamTransport()
        let model = OpenAICompatibleModel(
            baseURL: "http://x/v1",
            descriptor: descriptor,
            transport: transport,
            streams: true
        )
        let (firstDelta, firstDeltaContinuation) = AsyncStream<Void>.makeStream()
        let sink = ModelDeltaSink { _ in firstDeltaContinuation.yield() }
        let call = Task { try await model.respond(to: request, streamingInto: sink) }
        let firstTwo = OpenAIFixtures.streamingChunks.prefix(2).map { "data: \($0)\n\n" }.joined()
        let whole = Array(OpenAIFixtures.streamingBody.utf8)
        transport.continuation.yield(Array(firstTwo.utf8))  // the second event carries the "Hello" delta
        var iterator = firstDelta.makeAsyncIterator()
        _ = await iterator.next()  // the first delta arrived: the call is between chunks
        call.cancel()
        transport.continuation.yield(Array(whole.dropFirst(firstTwo.utf8.count)))
        transport.continuation.finish()
        await #expect(throws: CancellationError.self) { try await call.value }
    }
}
