public import AgentAdapters
@_spi(Internals) import AgentPolicy

/// A `ChatModel` test double that plays a script of turns: answers (optionally streamed as deltas), failures on
/// cue, or a hang until the calling task is cancelled.
///
/// ```swift
/// let model = ScriptedModel(turns: [
///     .toolCalls([ModelToolCall(id: "c1", name: "search", arguments: ["q": "swift"])]),
///     .text("Swift is a programming language."),
/// ])
/// ```
///
/// Like a provider, it **honours the maximum output tokens it is asked for**: a turn whose answer is longer than
/// `ModelOptions.maximumOutputTokens` is cut to fit (text first, then whole tool calls while they fit), its finish
/// reason becomes `FinishReason.length` and its usage reports the tokens kept. An answer's length is its turn's
/// scripted output tokens, or else one token per three UTF-8 bytes of its text and tool calls. The input tokens it
/// reports are the turn's, or else `ConservativeTokenCounter`'s estimate of the request (the governed call's
/// default estimate, so a reservation and its true-up agree).
///
/// Every request is recorded (``requests``), thread-safely, before the turn plays. When the script runs out, the
/// model repeats its last turn or fails, as ``Exhaustion`` says; a script can also be a function of the call number.
public final class ScriptedModel: ChatModel {
    /// One scripted turn.
    public struct Turn: Hashable, Sendable {
        enum Action: Hashable, Sendable {
            case respond(ModelResponse)
            case fail(ModelError)
            case hang([ModelDelta])
        }

        let action: Action
        /// Whether the answer is also yielded as deltas (text, tool calls, usage, finish).
        public var streams = false
        /// Whether the answer reports usage; `false` plays a provider that reports none.
        public var reportsUsage = true

        /// An answer with `text`.
        ///
        /// - Parameters:
        ///   - text: The answer.
        ///   - outputTokens: The output tokens the answer is worth; by default one per three UTF-8 bytes.
        ///   - inputTokens: The input tokens to report; by default the conservative estimate of the request.
        /// - Returns: The turn.
        public static func text(_ text: String, outputTokens: Int64? = nil, inputTokens: Int64? = nil) -> Turn {
            .response(ModelResponse(text: text, usage: usage(inputTokens, outputTokens), finishReason: .stop))
        }

        /// An answer asking for tool calls.
        ///
        /// - Parameters:
        ///   - calls: The tool calls, in order.
        ///   - text: Text beside the calls.
        ///   - outputTokens: The output tokens the answer is worth; by default one per three UTF-8 bytes.
        /// - Returns: The turn.
        public static func toolCalls(_ calls: [ModelToolCall], text: String = "", outputTokens: Int64? = nil) -> Turn {
            .response(
                ModelResponse(
                    text: text,
                    toolCalls: calls,
                    usage: usage(nil, outputTokens),
                    finishReason: .toolCalls
                )
            )
        }

        /// A complete response, played as given (cut to the maximum output if longer).
        ///
        /// - Parameter response: The response; a `nil` usage means the defaults described on ``ScriptedModel``.
        /// - Returns: The turn.
        public static func response(_ response: ModelResponse) -> Turn { Turn(action: .respond(response)) }

        /// A failure: the call throws `error` (retryable or not, with its `retryAfter`).
        ///
        /// - Parameter error: The error to throw.
        /// - Returns: The turn.
        public static func failure(_ error: ModelError) -> Turn { Turn(action: .fail(error)) }

        /// Yields `deltas`, then waits until the calling task is cancelled and throws `CancellationError`.
        ///
        /// - Parameter deltas: The deltas to yield first.
        /// - Returns: The turn.
        public static func hang(afterYielding deltas: [ModelDelta] = []) -> Turn { Turn(action: .hang(deltas)) }

        /// This turn, streamed as deltas too.
        public var streamed: Turn {
            var turn = self
            turn.streams = true
            return turn
        }

        /// This turn, reporting no usage.
        public var withoutUsage: Turn {
            var turn = self
            turn.reportsUsage = false
            return turn
        }

        private static func usage(_ input: Int64?, _ output: Int64?) -> ModelUsage? {
            guard input != nil || output != nil else { return nil }
            return ModelUsage(inputTokens: input ?? -1, outputTokens: output ?? -1)
        }
    }

    /// What the model does when asked more often than its script has turns.
    public enum Exhaustion: Hashable, Sendable {
        /// Plays the last turn again.
        case repeatLast
        /// Throws a non-retryable `ModelError` with code `ModelError.Code.invalidRequest`.
        case fail
    }

    private struct State {
        var requests: [ModelRequest] = []
    }

    /// The model's name, context window, output cap and prices.
    public let descriptor: ModelDescriptor
    private let script: @Sendable (Int, ModelRequest) -> Turn?
    private let exhaustion: Exhaustion
    private let state = LockedState(State())

    /// Creates a model that plays `turns` in order.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor; a 128,000-token window, no prices, by default.
    ///   - turns: The turns, one per call.
    ///   - whenExhausted: What happens after the last turn.
    public init(
        descriptor: ModelDescriptor = ModelDescriptor(name: "scripted", contextWindowTokens: 128_000),
        turns: [Turn],
        whenExhausted: Exhaustion = .fail
    ) {
        self.descriptor = descriptor
        self.exhaustion = whenExhausted
        self.script = { index, _ in
            if index < turns.count { return turns[index] }
            return whenExhausted == .repeatLast ? turns.last : nil
        }
    }

    /// Creates a model whose turn is a function of the call number (from 0) and the request.
    ///
    /// - Parameters:
    ///   - descriptor: The descriptor.
    ///   - turn: The turn for a call.
    public init(
        descriptor: ModelDescriptor = ModelDescriptor(name: "scripted", contextWindowTokens: 128_000),
        turn: @escaping @Sendable (Int, ModelRequest) -> Turn
    ) {
        self.descriptor = descriptor
        self.exhaustion = .fail
        self.script = { index, request in turn(index, request) }
    }

    /// Every request the model was asked, in order.
    public var requests: [ModelRequest] { state.withLock { $0.requests } }

    /// How many times the model was asked.
    public var callCount: Int { state.withLock { $0.requests.count } }

    /// Plays the next turn.
    ///
    /// - Parameters:
    ///   - request: The request; recorded before the turn plays.
    ///   - sink: Where a streamed turn's deltas go.
    /// - Returns: The turn's response, cut to the maximum output tokens asked for.
    /// - Throws: The turn's `ModelError`; `CancellationError` for a hang once cancelled; `ModelError` with code
    ///   `ModelError.Code.invalidRequest` when the script is exhausted.
    public func respond(to request: ModelRequest, streamingInto sink: ModelDeltaSink) async throws -> ModelResponse {
        let index = state.withLock { state in
            state.requests.append(request)
            return state.requests.count - 1
        }
        guard let turn = script(index, request) else {
            throw ModelError(
                code: .invalidRequest,
                model: descriptor.name,
                message: "the script has no turn \(index + 1); add turns or use whenExhausted: .repeatLast"
            )
        }
        try Task.checkCancellation()
        switch turn.action {
        case .fail(let error):
            throw error
        case .hang(let deltas):
            for delta in deltas { sink.yield(delta) }
            await CancellationWaiter().wait()
            throw CancellationError()
        case .respond(let scripted):
            let response = Self.fit(scripted, to: request, reportsUsage: turn.reportsUsage)
            if turn.streams {
                if !response.text.isEmpty { sink.yield(.response(response.text)) }
                if !response.toolCalls.isEmpty { sink.yield(.toolCalls(response.toolCalls)) }
                if let usage = response.usage {
                    sink.yield(.updateUsage(input: usage.inputTokens, output: usage.outputTokens))
                }
                sink.yield(.finished(response.finishReason))
            }
            return response
        }
    }

    /// One token per three UTF-8 bytes, rounded up.
    static func tokens(_ text: String) -> Int64 { Int64((text.utf8.count + 2) / 3) }

    static func tokens(_ call: ModelToolCall) -> Int64 {
        max(1, tokens(call.name) + tokens(call.arguments.jsonText()))
    }

    /// The response as a provider would send it under the request's maximum output.
    static func fit(_ scripted: ModelResponse, to request: ModelRequest, reportsUsage: Bool) -> ModelResponse {
        var response = scripted
        let textTokens = tokens(scripted.text)
        let natural =
            scripted.usage.flatMap { $0.outputTokens >= 0 ? $0.outputTokens : nil }
            ?? textTokens + scripted.toolCalls.reduce(0) { $0 + tokens($1) }
        var produced = natural
        if let maximum = request.options.maximumOutputTokens, natural > maximum {
            produced = max(0, maximum)
            response.finishReason = .length
            if natural > 0 {
                // Keep the share of the text the maximum pays for, then whole tool calls while they fit.
                let keptText = Int64(scripted.text.utf8.count) * produced / natural
                response.text = prefix(of: scripted.text, bytes: Int(keptText))
                var left = produced - tokens(response.text)
                response.toolCalls = []
                for call in scripted.toolCalls {
                    let cost = tokens(call)
                    guard cost <= left else { break }
                    response.toolCalls.append(call)
                    left -= cost
                }
            }
        }
        guard reportsUsage else {
            response.usage = nil
            return response
        }
        let input =
            scripted.usage.flatMap { $0.inputTokens >= 0 ? $0.inputTokens : nil }
            ?? ConservativeTokenCounter().inputTokens(of: request)
        response.usage = ModelUsage(inputTokens: input, outputTokens: produced)
        return response
    }

    private static func prefix(of text: String, bytes: Int) -> String {
        var kept = ""
        var count = 0
        for character in text {
            count += character.utf8.count
            guard count <= bytes else { break }
            kept.append(character)
        }
        return kept
    }
}

/// Suspends until the calling task is cancelled.
private final class CancellationWaiter: Sendable {
    private struct State {
        var cancelled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = LockedState(State())

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.cancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
