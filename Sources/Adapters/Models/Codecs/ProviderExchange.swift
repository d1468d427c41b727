/// What the HTTP models need from a codec: the request bytes, the decoders and the error mapping.
protocol ProviderCodec: Sendable {
    associatedtype StreamDecoder: ProviderStreamDecoder
    var model: String { get }
    func encode(_ request: ModelRequest, stream: Bool) -> TransportRequest
    func decodeResponse(_ body: [UInt8]) throws(ModelError) -> ModelResponse
    func decodeError(status: Int, headers: [TransportHeader], body: [UInt8]) -> ModelError
    func streamDecoder() -> StreamDecoder
}

/// What the HTTP models need from a stream decoder.
protocol ProviderStreamDecoder: Sendable {
    mutating func feed(_ bytes: some Collection<UInt8>) throws(ModelError) -> [ModelDelta]
    mutating func finish() throws(ModelError) -> ModelResponse
}

extension OpenAIChatCompletionsCodec: ProviderCodec {}
extension OpenAIChatStreamDecoder: ProviderStreamDecoder {}
extension AnthropicMessagesCodec: ProviderCodec {}
extension AnthropicMessagesStreamDecoder: ProviderStreamDecoder {}

/// One model call over a transport, shared by ``OpenAICompatibleModel`` and ``AnthropicModel``.
enum ProviderExchange {
    /// The most bytes of an error body read from a streamed response before mapping it.
    static let maximumErrorBodyBytes = 64 * 1024

    static func respond<Codec: ProviderCodec>(
        to request: ModelRequest,
        codec: Codec,
        transport: any ModelTransport,
        streams: Bool,
        sink: ModelDeltaSink
    ) async throws -> ModelResponse {
        try Task.checkCancellation()
        let transportRequest = codec.encode(request, stream: streams)
        guard streams else {
            let response = try await mappingTransportFailures(model: codec.model) {
                try await transport.send(transportRequest)
            }
            if response.status >= 400 {
                throw codec.decodeError(status: response.status, headers: response.headers, body: response.body)
            }
            try Task.checkCancellation()
            return try codec.decodeResponse(response.body)
        }
        let stream = try await mappingTransportFailures(model: codec.model) {
            try await transport.stream(transportRequest)
        }
        if stream.status >= 400 {
            var body: [UInt8] = []
            try await mappingTransportFailures(model: codec.model) {
                for try await chunk in stream.chunks {
                    body += chunk.prefix(maximumErrorBodyBytes - body.count)
                    if body.count >= maximumErrorBodyBytes { break }
                }
            }
            throw codec.decodeError(status: stream.status, headers: stream.headers, body: body)
        }
        var decoder = codec.streamDecoder()
        try await mappingTransportFailures(model: codec.model) {
            for try await chunk in stream.chunks {
                try Task.checkCancellation()
                for delta in try decoder.feed(chunk) { sink.yield(delta) }
            }
        }
        try Task.checkCancellation()
        return try decoder.finish()
    }

    /// Runs `body`, passing ``ModelError`` and `CancellationError` through and turning any other failure (the
    /// transport's) into ``ModelError/Code/connectionFailed``.
    static func mappingTransportFailures<Value>(
        model: String,
        _ body: () async throws -> Value
    ) async throws -> Value {
        do {
            return try await body()
        } catch let error as ModelError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ModelError(
                code: .connectionFailed,
                model: model,
                message: "the transport failed: \(error); check that the server is running and reachable"
            )
        }
    }
}
