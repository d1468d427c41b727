import AgentPolicy

/// Builds a ``ModelResponse`` from streamed ``ModelDelta`` values: a value type that stream decoders and models
/// feed as deltas arrive.
///
/// Text and reasoning fragments are concatenated; tool-call fragments are gathered by index (the id and name from
/// the first fragment that has them, the arguments text concatenated and parsed as JSON at the end: text that does
/// not parse is kept as a ``JSONValue/string(_:)``); complete tool calls are appended; the last usage update wins
/// field by field; the last finish reason wins.
public struct ModelResponseAssembler: Sendable {
    private struct PartialCall: Sendable {
        var id: String?
        var name: String?
        var arguments = ""
    }

    private var text = ""
    private var reasoning = ""
    private var partialCalls: [Int: PartialCall] = [:]
    private var completeCalls: [ModelToolCall] = []
    private var inputTokens: Int64?
    private var outputTokens: Int64?
    /// The finish reason received so far, if any.
    public private(set) var finishReason: FinishReason?

    /// Creates an empty assembler.
    public init() {}

    /// Adds one delta.
    ///
    /// - Parameter delta: The delta.
    public mutating func add(_ delta: ModelDelta) {
        switch delta {
        case .response(let fragment): text += fragment
        case .reasoning(let fragment): reasoning += fragment
        case .toolCallFragment(let index, let id, let name, let arguments):
            var call = partialCalls[index] ?? PartialCall()
            if call.id == nil { call.id = id }
            if call.name == nil { call.name = name }
            call.arguments += arguments
            partialCalls[index] = call
        case .toolCalls(let calls): completeCalls += calls
        case .updateUsage(let input, let output):
            if let input { inputTokens = input }
            if let output { outputTokens = output }
        case .finished(let reason): finishReason = reason
        }
    }

    /// The response assembled so far.
    ///
    /// - Parameter defaultFinishReason: The reason to report when no ``ModelDelta/finished(_:)`` arrived.
    /// - Returns: The response; usage is present when the stream reported input or output tokens.
    public func response(defaultFinishReason: FinishReason = .stop) -> ModelResponse {
        var calls = completeCalls
        for index in partialCalls.keys.sorted() {
            let call = partialCalls[index] ?? PartialCall()
            let arguments: JSONValue
            if call.arguments.isEmpty {
                arguments = .object([:])
            } else {
                arguments = (try? JSONValue(parsing: call.arguments)) ?? .string(call.arguments)
            }
            calls.append(ModelToolCall(id: call.id ?? "call_\(index)", name: call.name ?? "", arguments: arguments))
        }
        let usage: ModelUsage? =
            inputTokens == nil && outputTokens == nil
            ? nil : ModelUsage(inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0)
        return ModelResponse(
            text: text,
            reasoning: reasoning.isEmpty ? nil : reasoning,
            toolCalls: calls,
            usage: usage,
            finishReason: finishReason ?? (calls.isEmpty ? defaultFinishReason : .toolCalls)
        )
    }
}
