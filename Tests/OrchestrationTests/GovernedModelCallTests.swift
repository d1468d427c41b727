import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Governed model calls: reserve, call, settle, record", .timeLimit(.suite))
struct GovernedModelCallTests {
    @Test("A call reserves input, the maximum output and their cost, then settles from the reported usage")
    func reservationAndTrueUp() async throws {
        let model = ScriptedModel(descriptor: pricedDescriptor(), turns: [.text("hi", outputTokens: 40)])
        let report = try await makeOrchestrator().run(oneCall(model), task: nil)
        #expect(report.status == .succeeded)
        let request = try #require(model.requests.first)
        let input = ConservativeTokenCounter().inputTokens(of: request)
        #expect(request.options.maximumOutputTokens == 4_096, "the policy's per-call maximum binds")
        let record = try #require(modelCalls(report).first)
        #expect(record.status == .succeeded)
        #expect(record.attempt == 1)
        #expect(record.maximumOutputTokens == 4_096)
        #expect(record.reservedUsage == ModelUsage(inputTokens: input, outputTokens: 4_096, cost: input + 8_192))
        #expect(record.usage == ModelUsage(inputTokens: input, outputTokens: 40, cost: input + 80))
        #expect(!record.usageEstimated)
        #expect(record.finishReason == .stop)
        #expect(report.totals.modelCalls == 1)
        #expect(report.totals.usage == record.usage)
        #expect(report.ledger.first { $0.budget == "modelCalls" }?.used == 1)
        #expect(report.ledger.first { $0.budget == "cost" }?.used == input + 80, "cost is priced by the library")
        #expect(report.ledger.first { $0.budget == "outputTokens" }?.used == 40)
    }

    @Test("The model's own cost figure is ignored: the descriptor's prices bill the call")
    func costFromDescriptor() async throws {
        let response = ModelResponse(
            text: "x",
            usage: ModelUsage(inputTokens: 10, outputTokens: 5, cost: 999_999),
            finishReason: .stop
        )
        let model = ScriptedModel(descriptor: pricedDescriptor(), turns: [.response(response)])
        let report = try await makeOrchestrator().run(oneCall(model), task: nil)
        #expect(modelCalls(report).first?.usage == ModelUsage(inputTokens: 10, outputTokens: 5, cost: 20))
    }

    @Test("Without reported usage the reservation counts as used, and the record says estimated")
    func estimatedUsage() async throws {
        let model = ScriptedModel(descriptor: pricedDescriptor(), turns: [ScriptedModel.Turn.text("hi").withoutUsage])
        let policy = try StrictPolicy(maxOutputTokensPerModelCall: 100)
        let report = try await makeOrchestrator().run(oneCall(model), task: nil, policy: policy)
        let record = try #require(modelCalls(report).first)
        #expect(record.usageEstimated)
        #expect(record.usage == record.reservedUsage)
        #expect(record.usage.outputTokens == 100)
        #expect(report.ledger.first { $0.budget == "outputTokens" }?.used == 100)
    }

    @Test("Below one affordable output token the call is refused before it is made, never sent with 0")
    func refusedBelowOneToken() async throws {
        let model = ScriptedModel(turns: [.text("never")])
        let policy = try StrictPolicy(maxOutputTokens: 0)
        let report = try await makeOrchestrator().run(oneCall(model), task: nil, policy: policy)
        #expect(model.callCount == 0, "the model was called")
        #expect(report.stopReason.violation?.limit == .maxOutputTokens)
        #expect(report.violations.first?.limit == .maxOutputTokens)
        let record = try #require(modelCalls(report).first)
        #expect(record.status == .refused)
        #expect(record.maximumOutputTokens == nil)
        #expect(report.totals.modelCalls == 0)
        #expect(report.ledger.first { $0.budget == "modelCalls" }?.used == 0, "a refused call keeps its unit")
    }

    @Test("Tokens left minus the input estimate bind; when nothing is left the violation names maxTokens")
    func tokensLeftBind() async throws {
        let model = ScriptedModel(turns: [.text("a")], whenExhausted: .repeatLast)
        let request = ModelRequest(messages: [.user("go on")])
        let input = ConservativeTokenCounter().inputTokens(of: request)
        let policy = try StrictPolicy(maxTokens: input + 5)
        let report = try await makeOrchestrator().run(callUntilRefused(model), task: nil, policy: policy)
        #expect(model.requests.first?.options.maximumOutputTokens == 5)
        #expect(model.requests.allSatisfy { ($0.options.maximumOutputTokens ?? 0) >= 1 })
        #expect(report.violations.first?.limit == .maxTokens)
        #expect(report.violations.first?.message.contains("input estimate is \(input)") == true)
        #expect((report.ledger.first { $0.budget == "tokens" }?.used ?? .max) <= input + 5)
    }

    @Test("An input that does not fit the context window is refused with a typed error naming both numbers")
    func contextWindow() async throws {
        let model = ScriptedModel(descriptor: pricedDescriptor("tiny", window: 10), turns: [.text("never")])
        let prompt = String(repeating: "word ", count: 40)
        let report = try await makeOrchestrator().run(oneCall(model, prompt: prompt), task: nil)
        #expect(model.callCount == 0)
        #expect(report.status == .failed)
        guard case .agentFailed(let error) = report.stopReason else {
            Issue.record("expected agentFailed, got \(report.stopReason)")
            return
        }
        #expect(error.code == "contextWindowExceeded")
        #expect(error.message.contains("\"tiny\""))
        #expect(error.message.contains("10 tokens"))
        #expect(modelCalls(report).first?.status == .refused)
    }

    @Test("The request's own maximum and the model's cap are upper bounds too")
    func requestAndDescriptorBounds() async throws {
        let capped = ScriptedModel(descriptor: pricedDescriptor(maximumOutput: 64), turns: [.text("a")])
        _ = try await makeOrchestrator().run(oneCall(capped), task: nil)
        #expect(capped.requests.first?.options.maximumOutputTokens == 64)
        let asked = ScriptedModel(turns: [.text("a")])
        _ = try await makeOrchestrator().run(oneCall(asked, requested: 7), task: nil)
        #expect(asked.requests.first?.options.maximumOutputTokens == 7)
    }

    @Test("A response longer than the maximum is cut by the model and billed at the maximum")
    func truncatedAtMaximum() async throws {
        let model = ScriptedModel(turns: [.text(String(repeating: "abc", count: 100))])
        let policy = try StrictPolicy(maxOutputTokensPerModelCall: 10)
        let report = try await makeOrchestrator().run(oneCall(model), task: nil, policy: policy)
        let record = try #require(modelCalls(report).first)
        #expect(record.finishReason == .length)
        #expect(record.usage.outputTokens == 10)
        #expect(report.finalOutput == .string(String(repeating: "abc", count: 10)))
    }

    @Test("maxModelCalls admits exactly N calls; the next is refused before the model is asked")
    func maxModelCalls() async throws {
        let model = ScriptedModel(turns: [.text("a")], whenExhausted: .repeatLast)
        let policy = try StrictPolicy(maxModelCalls: 3)
        let report = try await makeOrchestrator().run(callUntilRefused(model), task: nil, policy: policy)
        #expect(model.callCount == 3)
        #expect(report.finalOutput == nil)
        #expect(report.violations.first?.limit == .maxModelCalls)
        #expect(
            report.ledger.first { $0.budget == "modelCalls" } == BudgetLine(budget: "modelCalls", limit: 3, used: 3)
        )
    }

    @Test("Events: started, deltas, finished, in order, counted in the report")
    func events() async throws {
        let model = ScriptedModel(turns: [ScriptedModel.Turn.text("Hello").streamed])
        let handle = try makeOrchestrator().start(oneCall(model), task: nil)
        let report = await handle.report
        var kinds: [OrchestrationEvent.Kind] = []
        for await event in handle.events { kinds.append(event.kind) }
        let modelKinds = kinds.filter { $0.name.hasPrefix("model") }
        let record = try #require(modelCalls(report).first)
        #expect(
            modelKinds == [
                .modelCallStarted(model: "scripted", attempt: 1, maximumOutputTokens: 4_096),
                .modelDelta(.response("Hello")),
                .modelDelta(.updateUsage(input: record.usage.inputTokens, output: 2)),
                .modelDelta(.finished(.stop)),
                .modelCallFinished(model: "scripted", attempt: 1, status: .succeeded, usage: record.usage),
            ]
        )
        #expect(report.events.modelCallStarted == 1)
        #expect(report.events.modelDelta == 3)
        #expect(report.events.modelCallFinished == 1)
    }

    @Test("The report keeps the model records and the transcript through its JSON round trip")
    func reportRoundTrip() async throws {
        let model = ScriptedModel(turns: [.text("done")])
        let agent = ModelAgent(name: "talker", model: model, retry: .none)
        let report = try await makeOrchestrator().run(agent, task: "say done")
        #expect(report.modelTranscript == [.user("say done"), .assistant("done")])
        let text = report.jsonText()
        #expect(text.contains(#""modelTranscript""#))
        #expect(text.contains(#""modelCalls":[{"#))
        let decoded = try ExecutionReport(jsonText: text)
        #expect(decoded == report)
        let plain = try await makeOrchestrator().run(ClosureAgent(name: "plain") { _, _ in 1 }, task: nil)
        #expect(!plain.jsonText().contains("modelTranscript"), "runs without model calls write what they wrote")
        #expect(!plain.jsonText().contains(#""modelCalls":["#))
    }
}
