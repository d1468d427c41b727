import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

/// A priced model descriptor: 1,000,000 units per million input tokens (1 per token), 2 per output token.
func pricedDescriptor(
    _ name: String = "priced",
    window: Int64 = 128_000,
    maximumOutput: Int64? = nil
) -> ModelDescriptor {
    ModelDescriptor(
        name: name,
        contextWindowTokens: window,
        maximumOutputTokens: maximumOutput,
        pricing: ModelPricing(inputPerMillionTokens: 1_000_000, outputPerMillionTokens: 2_000_000)
    )
}

/// An agent that makes one governed call of `model` with the message `prompt`, returning the answer's text.
func oneCall(
    _ model: some ChatModel,
    prompt: String = "hello",
    retry: RetryPolicy = .none,
    requested: Int64? = nil
) -> ClosureAgent {
    ClosureAgent(name: "caller") { _, context in
        let request = ModelRequest(
            messages: [.user(prompt)],
            options: ModelOptions(maximumOutputTokens: requested)
        )
        let response = try await context.respond(using: model, to: request, retry: retry)
        return .string(response.text)
    }
}

/// An agent that calls `model` until a call throws, returning how many calls succeeded.
func callUntilRefused(_ model: some ChatModel, prompt: String = "go on") -> ClosureAgent {
    ClosureAgent(name: "looper") { _, context in
        var calls: Int64 = 0
        while true {
            do {
                _ = try await context.respond(using: model, to: ModelRequest(messages: [.user(prompt)]), retry: .none)
            } catch {
                return .integer(calls)
            }
            calls += 1
        }
    }
}

/// Every model-call record of a report, steps first, in order.
func modelCalls(_ report: ExecutionReport) -> [ModelCallRecord] {
    report.steps.flatMap(\.modelCalls) + report.modelCallsOutsideSteps
}

/// A model that forwards to a scripted one and fires `yielded` after each delta it passes on.
struct SignallingModel: ChatModel {
    let inner: ScriptedModel
    let yielded: Signal
    var descriptor: ModelDescriptor { inner.descriptor }

    func respond(to request: ModelRequest, streamingInto sink: ModelDeltaSink) async throws -> ModelResponse {
        let signal = yielded
        return try await inner.respond(
            to: request,
            streamingInto: ModelDeltaSink { delta in
                sink.yield(delta)
                signal.fire()
            }
        )
    }
}
