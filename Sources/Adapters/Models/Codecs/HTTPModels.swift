/// A ``ChatModel`` that talks to an OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, llama.cpp, vLLM,
/// LM Studio, …) through a ``ModelTransport`` you supply.
///
/// ```swift
/// let model = OpenAICompatibleModel(
///     baseURL: "http://127.0.0.1:8080/v1",
///     apiKey: nil,
///     descriptor: ModelDescriptor(name: "llama3", contextWindowTokens: 8_192),
///     transport: myTransport
/// )
/// ```
///
/// With `streams` on, the call goes through ``ModelTransport/stream(_:)`` and yields each ``ModelDelta`` into the
/// sink as it arrives; otherwise through ``ModelTransport/send(_:)``. An HTTP status of 400 or more becomes a
/// ``ModelError`` read from the body (with `retry-after`); a transport failure becomes
/// ``ModelError/Code/connectionFailed``; a stream cut before `[DONE]` becomes ``ModelError/Code/truncatedStream``.
/// Cancellation is checked before the call and between chunks, and throws `CancellationError`.
public struct OpenAICompatibleModel: ChatModel {
    /// The model's name (sent as `model`), context window and prices.
    public let descriptor: ModelDescriptor
    /// The codec that shapes the bytes.
    public let codec: OpenAIChatCompletionsCodec
    /// Whether calls stream.
    public let streams: Bool
    private let transport: any ModelTransport

    /// Creates a model.
    ///
    /// - Parameters:
    ///   - baseURL: The API's base URL including its version path, such as `http://127.0.0.1:8080/v1`.
    ///   - apiKey: The bearer key; `nil` for local servers that need none.
    ///   - descriptor: The model's name, context window and prices.
    ///   - transport: The HTTP transport.
    ///   - streams: Whether to stream responses (server-sent events); `false` by default.
    ///   - outputLimitField: Which body field carries the output cap (see
    ///     ``OpenAIChatCompletionsCodec/OutputLimitField``).
    public init(
        baseURL: String,
        apiKey: String? = nil,
        descriptor: ModelDescriptor,
        transport: some ModelTransport,
        streams: Bool = false,
        outputLimitField: OpenAIChatCompletionsCodec.OutputLimitField = .maxTokens
    ) {
        self.descriptor = descriptor
        self.codec = OpenAIChatCompletionsCodec(
            baseURL: baseURL,
            apiKey: apiKey,
            model: descriptor.name,
            outputLimitField: outputLimitField
        )
        self.transport = transport
        self.streams = streams
    }

    /// Sends `request` and returns the response, yielding deltas into `sink` when streaming.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - sink: Where streamed deltas go.
    /// - Returns: The complete response.
    /// - Throws: ``ModelError``, or `CancellationError`.
    public func respond(to request: ModelRequest, streamingInto sink: ModelDeltaSink) async throws -> ModelResponse {
        try await ProviderExchange.respond(
            to: request,
            codec: codec,
            transport: transport,
            streams: streams,
            sink: sink
        )
    }
}

/// A ``ChatModel`` that talks to the Anthropic Messages API through a ``ModelTransport`` you supply.
///
/// Behaves as ``OpenAICompatibleModel`` does (streaming, errors, cancellation), with ``AnthropicMessagesCodec``'s
/// bytes: a stream cut before `message_stop` becomes ``ModelError/Code/truncatedStream``, HTTP 529 and
/// `overloaded_error` become ``ModelError/Code/overloaded``.
public struct AnthropicModel: ChatModel {
    /// The model's name (sent as `model`), context window and prices.
    public let descriptor: ModelDescriptor
    /// The codec that shapes the bytes.
    public let codec: AnthropicMessagesCodec
    /// Whether calls stream.
    public let streams: Bool
    private let transport: any ModelTransport

    /// Creates a model.
    ///
    /// - Parameters:
    ///   - baseURL: The API's base URL without the version path; `https://api.anthropic.com` by default.
    ///   - apiKey: The key sent as `x-api-key`.
    ///   - descriptor: The model's name, context window and prices; its ``ModelDescriptor/maximumOutputTokens``
    ///     (or 4,096) is the `max_tokens` of requests that set none.
    ///   - transport: The HTTP transport.
    ///   - streams: Whether to stream responses (server-sent events); `false` by default.
    public init(
        baseURL: String = "https://api.anthropic.com",
        apiKey: String?,
        descriptor: ModelDescriptor,
        transport: some ModelTransport,
        streams: Bool = false
    ) {
        self.descriptor = descriptor
        self.codec = AnthropicMessagesCodec(
            baseURL: baseURL,
            apiKey: apiKey,
            model: descriptor.name,
            defaultMaximumOutputTokens: descriptor.maximumOutputTokens ?? 4_096
        )
        self.transport = transport
        self.streams = streams
    }

    /// Sends `request` and returns the response, yielding deltas into `sink` when streaming.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - sink: Where streamed deltas go.
    /// - Returns: The complete response.
    /// - Throws: ``ModelError``, or `CancellationError`.
    public func respond(to request: ModelRequest, streamingInto sink: ModelDeltaSink) async throws -> ModelResponse {
        try await ProviderExchange.respond(
            to: request,
            codec: codec,
            transport: transport,
            streams: streams,
            sink: sink
        )
    }
}
