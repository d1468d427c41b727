/// Estimates how many input tokens a ``ModelRequest`` will use, before it is sent.
///
/// The governed call reserves the estimate from the budget before the call and trues it up from the usage the
/// provider reports. A ``ChatModel`` whose provider can count (``ChatModel/countInputTokens(of:)``) is asked first.
/// An estimate should err high: an estimate that is too low lets the reservation undercount until the true-up.
public protocol TokenCounter: Sendable {
    /// The estimated input tokens of `request`: instructions, messages, tool descriptions and response schema.
    ///
    /// - Parameter request: The request about to be sent.
    /// - Returns: The estimate, at least 1.
    func inputTokens(of request: ModelRequest) -> Int64
}

/// The default ``TokenCounter``: one token per three UTF-8 bytes of every text the request carries, rounded up, plus
/// a fixed overhead per message and per tool.
///
/// English text averages about four bytes per token with the common tokenizers, JSON and code about three, and text
/// in scripts of three-byte characters about one character per token; counting a token per three bytes therefore
/// errs high for most text. Messages cost ``perMessageOverhead`` tokens each and tools ``perToolOverhead`` each, for
/// the framing providers add.
public struct ConservativeTokenCounter: TokenCounter {
    /// Tokens added per message for the provider's framing; 4 by default.
    public var perMessageOverhead: Int64
    /// Tokens added per tool description; 8 by default.
    public var perToolOverhead: Int64

    /// Creates a counter.
    ///
    /// - Parameters:
    ///   - perMessageOverhead: Tokens added per message.
    ///   - perToolOverhead: Tokens added per tool description.
    public init(perMessageOverhead: Int64 = 4, perToolOverhead: Int64 = 8) {
        self.perMessageOverhead = perMessageOverhead
        self.perToolOverhead = perToolOverhead
    }

    /// The estimate: a token per three UTF-8 bytes of every text, rounded up, plus the overheads.
    ///
    /// - Parameter request: The request about to be sent.
    /// - Returns: The estimate, at least 1.
    public func inputTokens(of request: ModelRequest) -> Int64 {
        var bytes = Int64(request.instructions?.utf8.count ?? 0)
        var overhead: Int64 = 0
        for message in request.messages {
            bytes += Int64(message.content.utf8.count)
            for call in message.toolCalls {
                bytes += Int64(call.id.utf8.count + call.name.utf8.count + call.argumentsTextBytes)
            }
            bytes += Int64(message.toolCallID?.utf8.count ?? 0)
            overhead += perMessageOverhead
        }
        for tool in request.tools {
            // The schema's text length is kept by the description (set when it is made or its schema changes).
            bytes += Int64(tool.name.utf8.count + tool.description.utf8.count + tool.parametersTextBytes)
            overhead += perToolOverhead
        }
        if let schema = request.responseSchema { bytes += Int64(schema.jsonSchema.jsonText().utf8.count) }
        return max(1, (bytes + 2) / 3 + overhead)
    }
}
