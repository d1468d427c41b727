/// A language model the library can govern: it answers a ``ModelRequest`` with a ``ModelResponse``, streaming
/// ``ModelDelta`` values into a sink as they arrive.
///
/// The shape follows FoundationModels' `LanguageModel`/`LanguageModelExecutor` pair, which streams `.response`,
/// `.reasoning`, `.toolCalls` and `.updateUsage(input:output:)` into a channel: here the channel is the
/// ``ModelDeltaSink`` passed to ``respond(to:streamingInto:)``, and the complete response is the return value. The
/// protocol is deliberately not named `LanguageModel`, so that it never clashes with FoundationModels in a file that
/// imports both.
///
/// ```swift
/// struct Echo: ChatModel {
///     let descriptor = ModelDescriptor(name: "echo", contextWindowTokens: 8_192)
///     func respond(to request: ModelRequest, streamingInto sink: ModelDeltaSink) async throws -> ModelResponse {
///         let text = request.messages.last?.content ?? ""
///         sink.yield(.response(text))
///         return ModelResponse(text: text, finishReason: .stop)
///     }
/// }
/// ```
///
/// Agents never call a model directly: ``AgentContext`` reserves every call from the run's budget first (one model
/// call, the estimated input tokens and the most output tokens it may produce), asks for no more output than the
/// budget has left (``ModelOptions/maximumOutputTokens``), records the call in the report and settles the usage it
/// reports. The provider codecs (OpenAI Chat Completions, Anthropic Messages) turn requests into bytes for a
/// ``ModelTransport``, the one seam through which bytes leave the process.
///
/// Implementations must observe task cancellation: when the run times out or is cancelled, the task calling
/// ``respond(to:streamingInto:)`` is cancelled and the call should end promptly (throwing `CancellationError` or
/// returning what it has). Throw ``ModelError`` for failures, with a retryable code for transient ones, so that the
/// library's retry policy applies.
public protocol ChatModel: Sendable {
    /// The model's name, context window and prices.
    var descriptor: ModelDescriptor { get }

    /// Answers `request`, yielding deltas into `sink` as they arrive.
    ///
    /// - Parameters:
    ///   - request: The instructions, transcript, tools, response schema and options; never ask for more than
    ///     ``ModelOptions/maximumOutputTokens`` output tokens.
    ///   - sink: Where streamed deltas go; a model that does not stream may yield nothing.
    /// - Returns: The complete response, with the provider's usage when it reports one.
    /// - Throws: ``ModelError`` (retryable for transient failures), or `CancellationError`.
    func respond(to request: ModelRequest, streamingInto sink: ModelDeltaSink) async throws -> ModelResponse

    /// The provider's own count of the request's input tokens, if it can give one; `nil` lets the library estimate
    /// with its ``TokenCounter``.
    ///
    /// - Parameter request: The request about to be sent.
    /// - Returns: The input token count, or `nil`.
    /// - Throws: Any error; the library then falls back to its estimate.
    func countInputTokens(of request: ModelRequest) async throws -> Int64?
}

extension ChatModel {
    /// No provider count: the library estimates input tokens with its ``TokenCounter``.
    ///
    /// - Parameter request: The request about to be sent.
    /// - Returns: `nil`.
    /// - Throws: Never.
    public func countInputTokens(of request: ModelRequest) async throws -> Int64? { nil }
}

/// What the library needs to know about a model to govern it: its name, its context window, its own output cap and
/// its prices.
public struct ModelDescriptor: Hashable, Codable, Sendable {
    /// The model's name as the provider knows it, such as `gpt-4.1-mini`.
    public var name: String
    /// The most tokens the model accepts as input plus output; a request whose estimated input exceeds it is
    /// refused before the call with ``ModelError/Code/contextWindowExceeded``.
    public var contextWindowTokens: Int64
    /// The most output tokens the model produces in one response, if it has a cap of its own.
    public var maximumOutputTokens: Int64?
    /// Integer cost units per million tokens; `nil` when calls cost nothing the budget tracks.
    public var pricing: ModelPricing?

    /// Creates a descriptor.
    ///
    /// - Parameters:
    ///   - name: The model's name.
    ///   - contextWindowTokens: The context window, in tokens.
    ///   - maximumOutputTokens: The model's own output cap, if any.
    ///   - pricing: The model's prices, if the budget should track cost.
    public init(
        name: String,
        contextWindowTokens: Int64,
        maximumOutputTokens: Int64? = nil,
        pricing: ModelPricing? = nil
    ) {
        self.name = name
        self.contextWindowTokens = contextWindowTokens
        self.maximumOutputTokens = maximumOutputTokens
        self.pricing = pricing
    }
}

/// A model's prices in the budget's integer cost units per million tokens.
///
/// With cost units of a millionth of a dollar, a model priced at $0.40 per million input tokens and $1.60 per
/// million output tokens is `ModelPricing(inputPerMillionTokens: 400_000, outputPerMillionTokens: 1_600_000)`.
/// Costs round up, so a reservation never undercounts.
public struct ModelPricing: Hashable, Codable, Sendable {
    /// Cost units per million input tokens.
    public var inputPerMillionTokens: Int64
    /// Cost units per million output tokens.
    public var outputPerMillionTokens: Int64

    /// Creates a price table.
    ///
    /// - Parameters:
    ///   - inputPerMillionTokens: Cost units per million input tokens; negative values count as zero.
    ///   - outputPerMillionTokens: Cost units per million output tokens; negative values count as zero.
    public init(inputPerMillionTokens: Int64, outputPerMillionTokens: Int64) {
        self.inputPerMillionTokens = max(0, inputPerMillionTokens)
        self.outputPerMillionTokens = max(0, outputPerMillionTokens)
    }

    /// The cost of `tokens` input tokens, rounded up, saturating at `Int64.max`.
    ///
    /// - Parameter tokens: Input tokens; negative counts as zero.
    /// - Returns: The cost in units.
    public func inputCost(_ tokens: Int64) -> Int64 { Self.cost(tokens, max(0, inputPerMillionTokens)) }

    /// The cost of `tokens` output tokens, rounded up, saturating at `Int64.max`.
    ///
    /// - Parameter tokens: Output tokens; negative counts as zero.
    /// - Returns: The cost in units.
    public func outputCost(_ tokens: Int64) -> Int64 { Self.cost(tokens, max(0, outputPerMillionTokens)) }

    /// The cost of a call with the given token counts: input and output costs, each rounded up, added saturating.
    ///
    /// - Parameters:
    ///   - inputTokens: Input tokens.
    ///   - outputTokens: Output tokens.
    /// - Returns: The cost in units.
    public func cost(inputTokens: Int64, outputTokens: Int64) -> Int64 {
        let (sum, overflow) = inputCost(inputTokens).addingReportingOverflow(outputCost(outputTokens))
        return overflow ? .max : sum
    }

    /// The most output tokens `budget` cost units pay for, rounded down; `Int64.max` when output is free.
    ///
    /// - Parameter budget: Cost units available for output.
    /// - Returns: The largest token count whose ``outputCost(_:)`` is at most `budget`, never negative.
    public func outputTokens(affordableWith budget: Int64) -> Int64 {
        guard budget > 0 else { return outputPerMillionTokens == 0 ? .max : 0 }
        guard outputPerMillionTokens > 0 else { return .max }
        // outputCost(t) = ceil(t * price / 1e6) <= budget  ⇔  t * price <= budget * 1e6.
        let tokens = Int128(budget) * 1_000_000 / Int128(outputPerMillionTokens)
        return tokens > Int128(Int64.max) ? .max : Int64(tokens)
    }

    private static func cost(_ tokens: Int64, _ price: Int64) -> Int64 {
        // Int128 (macOS 15, iOS 18 and later: the package's minimums) holds any product of two Int64s exactly.
        let product = Int128(max(0, tokens)) * Int128(max(0, price))
        let units = (product + 999_999) / 1_000_000
        return units > Int128(Int64.max) ? .max : Int64(units)
    }
}
