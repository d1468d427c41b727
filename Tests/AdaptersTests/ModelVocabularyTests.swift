import AgentAdapters
import AgentPolicy
import Testing

@Suite("Model vocabulary")
struct ModelVocabularyTests {
    @Test("prices round up per kind and saturate")
    func pricing() {
        let pricing = ModelPricing(inputPerMillionTokens: 400_000, outputPerMillionTokens: 1_600_000)
        #expect(pricing.inputCost(1) == 1)  // 0.4 rounds up
        #expect(pricing.inputCost(1_000_000) == 400_000)
        #expect(pricing.outputCost(3) == 5)  // 4.8 rounds up
        #expect(pricing.cost(inputTokens: 10, outputTokens: 10) == 4 + 16)
        #expect(pricing.inputCost(.max) == Int64.max / 5 * 2 + 1)
        #expect(ModelPricing(inputPerMillionTokens: 100_000_000, outputPerMillionTokens: 0).inputCost(.max) == .max)
        #expect(pricing.inputCost(-5) == 0)
        #expect(ModelPricing(inputPerMillionTokens: -1, outputPerMillionTokens: 0).inputPerMillionTokens == 0)
    }

    @Test("the output a cost budget affords is the largest count whose cost fits")
    func affordableOutput() {
        let pricing = ModelPricing(inputPerMillionTokens: 0, outputPerMillionTokens: 1_600_000)
        for budget: Int64 in [0, 1, 2, 5, 16, 1_000, 123_457] {
            let tokens = pricing.outputTokens(affordableWith: budget)
            #expect(pricing.outputCost(tokens) <= budget, "budget \(budget)")
            #expect(pricing.outputCost(tokens + 1) > budget, "budget \(budget)")
        }
        #expect(
            ModelPricing(inputPerMillionTokens: 1, outputPerMillionTokens: 0).outputTokens(affordableWith: 0) == .max
        )
        #expect(pricing.outputTokens(affordableWith: -3) == 0)
    }

    @Test("the assembler joins text, tool-call fragments and usage")
    func assembler() {
        var assembler = ModelResponseAssembler()
        assembler.add(.response("Hel"))
        assembler.add(.response("lo"))
        assembler.add(.toolCallFragment(index: 0, id: "call_1", name: "add", arguments: "{\"a\":"))
        assembler.add(.toolCallFragment(index: 0, id: nil, name: nil, arguments: "1}"))
        assembler.add(.toolCallFragment(index: 1, id: "call_2", name: "bad", arguments: "{oops"))
        assembler.add(.updateUsage(input: 12, output: nil))
        assembler.add(.updateUsage(input: nil, output: 7))
        let response = assembler.response()
        #expect(response.text == "Hello")
        #expect(
            response.toolCalls == [
                ModelToolCall(id: "call_1", name: "add", arguments: ["a": 1]),
                ModelToolCall(id: "call_2", name: "bad", arguments: .string("{oops")),
            ]
        )
        #expect(response.usage == ModelUsage(inputTokens: 12, outputTokens: 7))
        #expect(response.finishReason == .toolCalls)
        #expect(ModelResponseAssembler().response().usage == nil)
    }

    @Test("deltas encode flat and round-trip")
    func deltaCoding() throws {
        let deltas: [ModelDelta] = [
            .response("a"), .reasoning("b"), .toolCallFragment(index: 2, id: nil, name: "t", arguments: "{"),
            .toolCalls([ModelToolCall(id: "1", name: "t", arguments: [:])]), .updateUsage(input: 1, output: nil),
            .finished(.length),
        ]
        for delta in deltas {
            let json = try JSONValueEncoder().encode(delta)
            #expect(json["kind"] != nil)
            #expect(try JSONValueDecoder().decode(ModelDelta.self, from: json) == delta)
        }
        #expect(try JSONValueEncoder().encode(ModelDelta.response("x")) == ["kind": "response", "text": "x"])
    }

    @Test("HTTP statuses map to codes; transient ones are retryable")
    func statusCodes() {
        #expect(ModelError.code(forStatus: 429) == .rateLimited)
        #expect(ModelError.code(forStatus: 529) == .overloaded)
        #expect(ModelError.code(forStatus: 502) == .serverError)
        #expect(ModelError.code(forStatus: 401) == .authenticationFailed)
        #expect(ModelError.code(forStatus: 418) == .requestFailed)
        #expect(ModelError(code: .rateLimited, model: "m", message: "").isRetryable)
        #expect(!ModelError(code: .invalidRequest, model: "m", message: "").isRetryable)
    }

    @Test("the conservative counter counts a token per three bytes plus overheads")
    func tokenCounter() {
        let counter = ConservativeTokenCounter()
        let request = ModelRequest(instructions: "abc", messages: [.user("abcdef")])
        #expect(counter.inputTokens(of: request) == 3 + 4)
        #expect(counter.inputTokens(of: ModelRequest(messages: [])) == 1)
        let withTool = ModelRequest(
            messages: [.user("abcdef")],
            tools: [ToolDescription(name: "t", description: "", parameters: .any)]
        )
        #expect(counter.inputTokens(of: withTool) > counter.inputTokens(of: ModelRequest(messages: [.user("abcdef")])))
    }
}
