import AgentPolicy
import Testing

@Suite("Budget ledger: a limit of N allows exactly N")
struct BudgetLedgerTests {
    static let sizes: [Int64] = [0, 1, 5]

    @Test("Steps at N-1, N and N+1", arguments: sizes)
    func steps(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxSteps: limit))
        for _ in 0..<limit { try ledger.reserveStep() }
        #expect(ledger.steps == limit)
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserveStep() }
        #expect(violation == PolicyViolation(limit: .maxSteps, limitValue: limit, attempted: limit + 1))
        #expect(ledger.steps == limit)
    }

    @Test("Revisions at N and N+1", arguments: sizes)
    func revisions(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRevisions: limit))
        for _ in 0..<limit { try ledger.reserveRevision() }
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserveRevision() }
        #expect(violation.limit == .maxRevisions)
        #expect(violation.attempted == limit + 1)
    }

    @Test("Tool calls in total at N and N+1", arguments: sizes)
    func toolCalls(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxToolCalls: limit))
        for index in 0..<limit { try ledger.reserveToolCall("t\(index % 2)") }
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserveToolCall("t9") }
        #expect(violation.limit == .maxToolCalls)
        #expect(violation.tool == "t9")
        #expect(violation.limitValue == limit)
        #expect(violation.attempted == limit + 1)
        #expect(ledger.toolCalls == limit)
    }

    @Test("Per-tool limits count one tool only")
    func perTool() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxToolCalls: 100, maxCallsPerTool: ["search": 2]))
        try ledger.reserveToolCall("search")
        try ledger.reserveToolCall("calc")
        try ledger.reserveToolCall("search")
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserveToolCall("search") }
        #expect(violation.limit == .maxCallsPerTool)
        #expect(violation.tool == "search")
        #expect(violation.attempted == 3)
        try ledger.reserveToolCall("calc")
        #expect(ledger.callsPerTool == ["search": 2, "calc": 2])
        #expect(ledger.remaining.toolCalls(for: "search") == 0)
        #expect(ledger.remaining.toolCalls(for: "calc") == 96)
    }

    @Test("Loop detection: identical calls at N and N+1, other arguments unaffected")
    func repeatedCalls() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRepeatedToolCalls: 3))
        for _ in 0..<3 { try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"a"}"#) }
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"a"}"#)
        }
        #expect(violation.limit == .maxRepeatedToolCalls)
        #expect(violation.attempted == 4)
        try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"b"}"#)
        try ledger.reserveToolCall("other", argumentsKey: #"{"url":"a"}"#)
        #expect(ledger.toolCalls == 5)
    }

    @Test("Token reservations: the one that would pass N is refused", arguments: [Int64(9), 10, 11])
    func tokens(estimate: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 10))
        if estimate <= 10 {
            let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: estimate))
            #expect(ledger.remaining.tokens == 10 - estimate)
            try ledger.settle(reservation, actual: ModelUsage(inputTokens: 3, outputTokens: 1))
            #expect(ledger.usage.totalTokens == 4)
            #expect(ledger.reservedUsage == .zero)
        } else {
            let violation = try #require(throws: PolicyViolation.self) {
                try ledger.reserveUsage(ModelUsage(inputTokens: estimate))
            }
            #expect(violation.limit == .maxTokens)
            #expect(violation.attempted == 11)
            #expect(ledger.reservedUsage == .zero)
        }
    }

    @Test("Usage reported after the fact past the limit is recorded and reported with the actual figure")
    func overrunAfterTheFact() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 10, maxCost: 100))
        let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: 5))
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.settle(reservation, actual: ModelUsage(inputTokens: 400_000, outputTokens: 600_000))
        }
        #expect(violation.limit == .maxTokens)
        #expect(violation.attempted == 1_000_000)
        #expect(ledger.usage.totalTokens == 1_000_000)

        var costly = BudgetLedger(limits: try BudgetLimits(maxCost: 100))
        try costly.recordUsage(ModelUsage(cost: 100))
        let cost = try #require(throws: PolicyViolation.self) { try costly.recordUsage(ModelUsage(cost: 1)) }
        #expect(cost == PolicyViolation(limit: .maxCost, limitValue: 100, attempted: 101))
    }

    @Test("Separate input and output token limits")
    func inputOutput() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxInputTokens: 5, maxOutputTokens: 3))
        _ = try ledger.reserveUsage(ModelUsage(inputTokens: 5, outputTokens: 3))
        let input = try #require(throws: PolicyViolation.self) {
            try ledger.reserveUsage(ModelUsage(inputTokens: 1))
        }
        #expect(input.limit == .maxInputTokens)
        let output = try #require(throws: PolicyViolation.self) {
            try ledger.reserveUsage(ModelUsage(outputTokens: 1))
        }
        #expect(output.limit == .maxOutputTokens)
    }

    @Test("The ledger table lists every budget in a fixed order")
    func table() throws {
        var ledger = BudgetLedger(limits: StrictPolicy().budgetLimits)
        try ledger.reserveStep()
        try ledger.reserveToolCall("b")
        try ledger.reserveToolCall("a")
        #expect(
            ledger.lines.map(\.budget) == [
                "steps", "tokens", "inputTokens", "outputTokens", "toolCalls", "toolCalls[a]", "toolCalls[b]",
                "repeatedToolCalls", "cost", "revisions",
            ]
        )
        #expect(ledger.lines.first == BudgetLine(budget: "steps", limit: 25, used: 1))
    }
}

@Suite("Shared budget")
struct SharedBudgetTests {
    @Test("100 concurrent runs of 5 calls under a shared limit of 50 get exactly 50")
    func exactUnderConcurrency() async throws {
        let shared = SharedBudget(try BudgetLimits(maxToolCalls: 50))
        let granted = await withTaskGroup(of: Int.self) { group in
            for run in 0..<100 {
                group.addTask {
                    let own = SharedBudget(try! BudgetLimits(maxToolCalls: 5), parent: shared)
                    var count = 0
                    for call in 0..<5 {
                        do {
                            try own.reserveToolCall("t", argumentsKey: "\(run)-\(call)")
                            count += 1
                        } catch {
                            break
                        }
                        await Task.yield()
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 50)
        #expect(shared.ledger.toolCalls == 50)
    }

    @Test("A parent's refusal leaves nothing debited in the child")
    func parentRefusalRefunds() throws {
        let parent = SharedBudget(try BudgetLimits(maxSteps: 1, maxTokens: 10))
        let child = SharedBudget(try BudgetLimits(maxSteps: 5, maxTokens: 100), parent: parent)
        try child.reserveStep()
        #expect(throws: PolicyViolation.self) { try child.reserveStep() }
        #expect(child.ledger.steps == 1)
        #expect(throws: PolicyViolation.self) { try child.reserveUsage(ModelUsage(inputTokens: 11)) }
        #expect(child.ledger.reservedUsage == .zero)
        #expect(child.remaining.tokens == 10)
        #expect(child.remaining.steps == 0)
    }

    @Test("Loop detection is per run: the parent never checks identical calls")
    func loopDetectionIsLocal() throws {
        let parent = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1))
        let first = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1), parent: parent)
        let second = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1), parent: parent)
        try first.reserveToolCall("t", argumentsKey: "same")
        try second.reserveToolCall("t", argumentsKey: "same")
        #expect(throws: PolicyViolation.self) { try first.reserveToolCall("t", argumentsKey: "same") }
        #expect(parent.ledger.toolCalls == 2)
    }
}

@Suite("Budget ledger against adversarial usage")
struct AdversarialUsageTests {
    @Test("Releasing or settling a reservation twice gives nothing back the second time")
    func doubleRelease() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 1_000))
        let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: 1_000))
        for _ in 0..<10 { ledger.release(reservation) }
        #expect(ledger.reservedUsage == .zero)
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.recordUsage(ModelUsage(inputTokens: 10_000))
        }
        #expect(violation.attempted == 10_000)

        var settled = BudgetLedger(limits: try BudgetLimits(maxTokens: 100))
        let once = try settled.reserveUsage(ModelUsage(inputTokens: 50))
        try settled.settle(once, actual: ModelUsage(inputTokens: 10))
        try settled.settle(once, actual: ModelUsage(inputTokens: 10))
        #expect(settled.usage.inputTokens == 20)
        #expect(settled.reservedUsage == .zero)
    }

    @Test("Negative usage counts as zero and cannot give budget back")
    func negativeUsage() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 10, maxCost: 10))
        try ledger.recordUsage(ModelUsage(inputTokens: 10, cost: 10))
        try ledger.recordUsage(ModelUsage(inputTokens: -1_000_000, cost: -5))
        #expect(ledger.usage == ModelUsage(inputTokens: 10, cost: 10))
        #expect(throws: PolicyViolation.self) { try ledger.reserveUsage(ModelUsage(inputTokens: 1)) }
        let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: -5))
        #expect(reservation.estimate == .zero)
    }

    @Test("Token counts near Int64.max saturate instead of wrapping past the limit")
    func overflow() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 100))
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.reserveUsage(ModelUsage(inputTokens: .max, outputTokens: 1))
        }
        #expect(violation.limit == .maxTokens)
        #expect(violation.attempted == .max)
    }

    @Test("An overrun reports the actual total, without other calls' reservations")
    func overrunIsActual() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 1_000))
        let first = try ledger.reserveUsage(ModelUsage(inputTokens: 600))
        _ = try ledger.reserveUsage(ModelUsage(inputTokens: 400))
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.settle(first, actual: ModelUsage(inputTokens: 1_001))
        }
        // The overrun names the actual total (1,001), not the total plus the other call's 400 still reserved.
        #expect(violation == PolicyViolation(limit: .maxTokens, limitValue: 1_000, attempted: 1_001))
        #expect(ledger.usage.inputTokens == 1_001)  // recorded all the same
        #expect(ledger.reservedUsage == ModelUsage(inputTokens: 400))
    }

    @Test("A shared budget's reservations are given back once, also through the parent")
    func sharedRelease() throws {
        let parent = SharedBudget(try BudgetLimits(maxTokens: 100))
        let child = SharedBudget(.unlimited, parent: parent)
        let reservation = try child.reserveUsage(ModelUsage(inputTokens: 60))
        child.release(reservation)
        child.release(reservation)
        #expect(parent.ledger.reservedUsage == .zero)
        _ = try child.reserveUsage(ModelUsage(inputTokens: 70))
        child.releaseAll()
        #expect(parent.ledger.reservedUsage == .zero)
        #expect(child.ledger.reservedUsage == .zero)
    }
}
