import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Governed model calls: budgets are never overshot", .timeLimit(.suite))
struct ModelBudgetPropertyTests {
    /// A random script: output sizes, usage reported or not, streamed or not.
    static func script(_ generator: inout SplitMix64, turns: Int) -> [ScriptedModel.Turn] {
        (0..<turns).map { _ in
            var turn = ScriptedModel.Turn.text("answer", outputTokens: Int64(generator.next() % 500))
            if generator.next() % 4 == 0 { turn = turn.withoutUsage }
            if generator.next() % 3 == 0 { turn = turn.streamed }
            return turn
        }
    }

    @Test(
        "Output tokens, tokens and cost never pass their limits, alone or shared, across random scripts",
        arguments: 1...40 as ClosedRange<UInt64>
    )
    func neverOvershoot(seed: UInt64) async throws {
        var generator = SplitMix64(seed: seed)
        let maxOutput = 1 + Int64(generator.next() % 800)
        let maxTokens = 50 + Int64(generator.next() % 4_000)
        let maxCost = 20 + Int64(generator.next() % 3_000)
        let perCall = 1 + Int64(generator.next() % 300)
        let runs = 1 + Int(generator.next() % 4)
        let model = ScriptedModel(
            descriptor: pricedDescriptor(),
            turns: Self.script(&generator, turns: 60),
            whenExhausted: .repeatLast
        )
        let limits = try BudgetLimits(maxTokens: maxTokens, maxOutputTokens: maxOutput, maxCost: maxCost)
        let shared: SharedBudget? = runs > 1 ? SharedBudget(limits) : nil
        let policy =
            shared == nil
            ? try StrictPolicy(budget: limits, maxOutputTokensPerModelCall: perCall)
            : try StrictPolicy(maxOutputTokensPerModelCall: perCall)
        let orchestrator = try makeOrchestrator()
        let reports = await withTaskGroup(of: ExecutionReport.self) { group in
            for _ in 0..<runs {
                group.addTask {
                    await orchestrator.run(callUntilRefused(model), task: nil, policy: policy, sharedBudget: shared)
                }
            }
            var reports: [ExecutionReport] = []
            for await report in group { reports.append(report) }
            return reports
        }
        #expect(model.requests.allSatisfy { ($0.options.maximumOutputTokens ?? 0) >= 1 }, "asked for 0 tokens")
        #expect(model.requests.allSatisfy { ($0.options.maximumOutputTokens ?? .max) <= perCall })
        let used = reports.reduce(ModelUsage.zero) { $0 + $1.totals.usage }
        #expect(used.outputTokens <= maxOutput, "seed \(seed): output \(used.outputTokens) > \(maxOutput)")
        #expect(used.totalTokens <= maxTokens, "seed \(seed): tokens \(used.totalTokens) > \(maxTokens)")
        #expect(used.cost <= maxCost, "seed \(seed): cost \(used.cost) > \(maxCost)")
        if let shared {
            #expect(shared.ledger.usage == used)
            #expect(shared.ledger.reservedUsage == .zero)
        }
        for report in reports {
            #expect(report.status == .failed, "every run ends on a limit: \(report.stopReason)")
            for record in modelCalls(report) where record.status == .succeeded {
                #expect(record.usage.outputTokens <= record.reservedUsage.outputTokens)
                #expect(record.usage.cost <= record.reservedUsage.cost)
            }
        }
    }

    @Test("Eight concurrent runs on one shared output budget stop at it, never above")
    func concurrentSharedBudget() async throws {
        let shared = SharedBudget(try BudgetLimits(maxOutputTokens: 1_000))
        let model = ScriptedModel(turns: [.text("x", outputTokens: 300)], whenExhausted: .repeatLast)
        let policy = try StrictPolicy(maxOutputTokensPerModelCall: 250)
        let orchestrator = try makeOrchestrator()
        let reports = await withTaskGroup(of: ExecutionReport.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await orchestrator.run(callUntilRefused(model), task: nil, policy: policy, sharedBudget: shared)
                }
            }
            var reports: [ExecutionReport] = []
            for await report in group { reports.append(report) }
            return reports
        }
        let output = reports.reduce(0) { $0 + $1.totals.usage.outputTokens }
        #expect(shared.ledger.used(.outputTokens) == output)
        #expect(output == 1_000, "the budget is spent exactly: 4 calls of 250")
        #expect(reports.allSatisfy { $0.violations.first?.limit == .maxOutputTokens })
    }
}

@Suite("The output allowance of one model call")
struct ModelCallAllowanceTests {
    static let descriptor = pricedDescriptor(window: 1_000)

    static func allowance(
        input: Int64 = 100,
        descriptor: ModelDescriptor = descriptor,
        requested: Int64? = nil,
        perCall: Int64 = 4_096,
        _ remaining: [BudgetKind: Int64] = [:]
    ) throws(PolicyViolation) -> ModelCallAllowance {
        try ModelCallAllowance.compute(
            input: input,
            descriptor: descriptor,
            requested: requested,
            perCall: perCall,
            remaining: RemainingBudget(remaining),
            limit: { _ in 10_000 }
        )
    }

    @Test("Each bound binds when it is the smallest")
    func eachBoundBinds() throws {
        #expect(try Self.allowance(perCall: 50).maximumOutputTokens == 50)
        #expect(try Self.allowance(requested: 40).maximumOutputTokens == 40)
        #expect(
            try Self.allowance(descriptor: pricedDescriptor(window: 1_000, maximumOutput: 30)).maximumOutputTokens == 30
        )
        #expect(try Self.allowance().maximumOutputTokens == 900, "the context window minus the input")
        #expect(try Self.allowance([.outputTokens: 20]).maximumOutputTokens == 20)
        #expect(try Self.allowance([.tokens: 110]).maximumOutputTokens == 10)
        // Cost: 100 input tokens cost 100; 130 left pays for 15 output tokens at 2 each.
        #expect(try Self.allowance([.cost: 130]).maximumOutputTokens == 15)
        #expect(try Self.allowance([.cost: 131]).maximumOutputTokens == 15)
        #expect(try Self.allowance([.cost: 132]).estimate == ModelUsage(inputTokens: 100, outputTokens: 16, cost: 132))
    }

    @Test(
        "Below one token the violation names the binding limit",
        arguments: [
            (BudgetKind.outputTokens, Int64(0), PolicyViolation.Limit.maxOutputTokens),
            (.tokens, 100, .maxTokens),
            (.cost, 101, .maxCost),
            (.inputTokens, 99, .maxInputTokens),
        ]
    )
    func refusal(kind: BudgetKind, left: Int64, limit: PolicyViolation.Limit) {
        #expect(throws: PolicyViolation.self) { try Self.allowance([kind: left]) }
        do {
            _ = try Self.allowance([kind: left])
        } catch {
            #expect(error.limit == limit)
            #expect(error.limitValue == 10_000)
            #expect(error.message.contains("\"priced\""))
        }
    }

    @Test("The worked example of the Governing model calls article")
    func workedExample() throws {
        let model = ModelDescriptor(
            name: "example",
            contextWindowTokens: 128_000,
            maximumOutputTokens: 8_192,
            pricing: ModelPricing(inputPerMillionTokens: 400_000, outputPerMillionTokens: 1_600_000)
        )
        let first = try ModelCallAllowance.compute(
            input: 2_400,
            descriptor: model,
            requested: nil,
            perCall: 4_096,
            remaining: RemainingBudget([.tokens: 3_000, .outputTokens: 300, .cost: 3_000]),
            limit: { kind in [BudgetKind.tokens: 10_000, .outputTokens: 2_000, .cost: 15_000][kind] ?? 0 }
        )
        #expect(first.maximumOutputTokens == 300)
        #expect(first.estimate == ModelUsage(inputTokens: 2_400, outputTokens: 300, cost: 1_440))
        #expect(model.pricing?.cost(inputTokens: 2_310, outputTokens: 120) == 1_116)
        let refused = try #require(throws: PolicyViolation.self) {
            try ModelCallAllowance.compute(
                input: 2_400,
                descriptor: model,
                requested: nil,
                perCall: 4_096,
                remaining: RemainingBudget([.tokens: 570, .outputTokens: 180, .cost: 1_884]),
                limit: { kind in [BudgetKind.tokens: 10_000, .outputTokens: 2_000, .cost: 15_000][kind] ?? 0 }
            )
        }
        #expect(refused.limit == .maxTokens)
        #expect(refused.limitValue == 10_000)
        #expect(refused.attempted == 11_831)
    }

    @Test("A per-call maximum of zero refuses every call")
    func zeroPerCall() {
        #expect(throws: PolicyViolation.self) { try Self.allowance(perCall: 0) }
    }
}
