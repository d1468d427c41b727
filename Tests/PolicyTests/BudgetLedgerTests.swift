import AgentPolicy
import Testing

@Suite("Budget ledger: a limit of N allows exactly N")
struct BudgetLedgerTests {
    static let sizes: [Int64] = [0, 1, 5]

    @Test("Steps at N-1, N and N+1", arguments: sizes)
    func steps(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxSteps: limit), coversOneRun: true)
        for _ in 0..<limit { try ledger.reserve(.steps) }
        #expect(ledger.used(.steps) == limit)
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserve(.steps) }
        #expect(violation == PolicyViolation(limit: .maxSteps, limitValue: limit, attempted: limit + 1))
        #expect(ledger.used(.steps) == limit)
    }

    @Test("Revisions at N and N+1", arguments: sizes)
    func revisions(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRevisions: limit), coversOneRun: true)
        for _ in 0..<limit { try ledger.reserve(.revisions) }
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserve(.revisions) }
        #expect(violation.limit == .maxRevisions)
        #expect(violation.attempted == limit + 1)
    }

    @Test("Tool calls in total at N and N+1", arguments: sizes)
    func toolCalls(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxToolCalls: limit), coversOneRun: true)
        for index in 0..<limit { try ledger.reserveToolCall("t\(index % 2)") }
        let violation = try #require(throws: PolicyViolation.self) { try ledger.reserveToolCall("t9") }
        #expect(violation.limit == .maxToolCalls)
        #expect(violation.tool == "t9")
        #expect(violation.limitValue == limit)
        #expect(violation.attempted == limit + 1)
        #expect(ledger.used(.toolCalls) == limit)
    }

    @Test("Per-tool limits count one tool only")
    func perTool() throws {
        var ledger = BudgetLedger(
            limits: try BudgetLimits(maxToolCalls: 100, maxCallsPerTool: ["search": 2]),
            coversOneRun: true
        )
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
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRepeatedToolCalls: 3), coversOneRun: true)
        for _ in 0..<3 { try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"a"}"#) }
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"a"}"#)
        }
        #expect(violation.limit == .maxRepeatedToolCalls)
        #expect(violation.attempted == 4)
        try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"b"}"#)
        try ledger.reserveToolCall("other", argumentsKey: #"{"url":"a"}"#)
        #expect(ledger.used(.toolCalls) == 5)
    }

    @Test("Token reservations: the one that would pass N is refused", arguments: [Int64(9), 10, 11])
    func tokens(estimate: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 10), coversOneRun: true)
        if estimate <= 10 {
            let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: estimate))
            #expect(ledger.remaining[.tokens] == 10 - estimate)
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
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 10, maxCost: 100), coversOneRun: true)
        let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: 5))
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.settle(reservation, actual: ModelUsage(inputTokens: 400_000, outputTokens: 600_000))
        }
        #expect(violation.limit == .maxTokens)
        #expect(violation.attempted == 1_000_000)
        #expect(ledger.usage.totalTokens == 1_000_000)

        var costly = BudgetLedger(limits: try BudgetLimits(maxCost: 100), coversOneRun: true)
        try costly.recordUsage(ModelUsage(cost: 100))
        let cost = try #require(throws: PolicyViolation.self) { try costly.recordUsage(ModelUsage(cost: 1)) }
        #expect(cost == PolicyViolation(limit: .maxCost, limitValue: 100, attempted: 101))
    }

    @Test("Separate input and output token limits")
    func inputOutput() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxInputTokens: 5, maxOutputTokens: 3), coversOneRun: true)
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
        var ledger = BudgetLedger(limits: StrictPolicy().budgetLimits, coversOneRun: true)
        try ledger.reserve(.steps)
        try ledger.reserveToolCall("b")
        try ledger.reserveToolCall("a")
        #expect(
            ledger.lines.map(\.budget) == [
                "steps", "tokens", "inputTokens", "outputTokens", "toolCalls", "toolCalls[a]", "toolCalls[b]",
                "repeatedToolCalls", "cost", "revisions", "refusedToolCalls", "modelCalls", "handoffs",
            ]
        )
        #expect(ledger.lines.first == BudgetLine(budget: "steps", limit: 25, used: 1))
    }
}

@Suite("Budget ledger against adversarial usage")
struct AdversarialUsageTests {
    @Test("Releasing or settling a reservation twice gives nothing back the second time")
    func doubleRelease() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 1_000), coversOneRun: true)
        let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: 1_000))
        for _ in 0..<10 { ledger.release(reservation) }
        #expect(ledger.reservedUsage == .zero)
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.recordUsage(ModelUsage(inputTokens: 10_000))
        }
        #expect(violation.attempted == 10_000)

        var settled = BudgetLedger(limits: try BudgetLimits(maxTokens: 100), coversOneRun: true)
        let once = try settled.reserveUsage(ModelUsage(inputTokens: 50))
        try settled.settle(once, actual: ModelUsage(inputTokens: 10))
        try settled.settle(once, actual: ModelUsage(inputTokens: 10))
        #expect(settled.usage.inputTokens == 20)
        #expect(settled.reservedUsage == .zero)
    }

    @Test("Negative usage counts as zero and cannot give budget back")
    func negativeUsage() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 10, maxCost: 10), coversOneRun: true)
        try ledger.recordUsage(ModelUsage(inputTokens: 10, cost: 10))
        try ledger.recordUsage(ModelUsage(inputTokens: -1_000_000, cost: -5))
        #expect(ledger.usage == ModelUsage(inputTokens: 10, cost: 10))
        #expect(throws: PolicyViolation.self) { try ledger.reserveUsage(ModelUsage(inputTokens: 1)) }
        let reservation = try ledger.reserveUsage(ModelUsage(inputTokens: -5))
        #expect(reservation.estimate == .zero)
    }

    @Test("Token counts near Int64.max saturate instead of wrapping past the limit")
    func overflow() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 100), coversOneRun: true)
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.reserveUsage(ModelUsage(inputTokens: .max, outputTokens: 1))
        }
        #expect(violation.limit == .maxTokens)
        #expect(violation.attempted == .max)
    }

    @Test("An overrun reports the actual total, without other calls' reservations")
    func overrunIsActual() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxTokens: 1_000), coversOneRun: true)
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

@Suite("Budget kinds: one table drives limits, ledgers and what is left")
struct BudgetKindTests {
    @Test("Every kind has its own name and violation code, and a policy's defaults are the table's")
    func table() {
        let kinds = BudgetKind.allCases
        #expect(Set(kinds.map(\.name)).count == kinds.count)
        #expect(Set(kinds.map(\.limit)).count == kinds.count)
        let policy = StrictPolicy()
        for kind in kinds { #expect(policy[kind] == kind.defaultLimit, "default of \(kind)") }
        #expect(policy.maxRefusedToolCalls == 25)
        #expect(kinds.filter(\.isPerRun) == [.repeatedToolCalls])
    }

    @Test("Each kind's index is its position in the table, so limits and ledgers keep their figures in arrays")
    func indexIsPosition() throws {
        for (position, kind) in BudgetKind.allCases.enumerated() {
            #expect(kind.index == position, "index of \(kind)")
        }
        #expect(BudgetKind.count == BudgetKind.allCases.count)
        #expect(Set(BudgetKind.allCases).count == BudgetKind.allCases.count)
        #expect(BudgetKind.tokens == BudgetKind.allCases[1] && BudgetKind.tokens != BudgetKind.steps)
    }

    @Test("A ledger encodes its counts by kind name, leaving out zero counts, and decodes to an equal ledger")
    func ledgerCoding() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxSteps: 5, maxToolCalls: 4), coversOneRun: true)
        try ledger.reserve(.steps)
        try ledger.reserve(.steps)
        try ledger.reserveToolCall("search", argumentsKey: "{}")
        let text = try jsonText(ledger)
        #expect(text.contains(#""counts":{"steps":2,"toolCalls":1}"#), "\(text)")
        let decoded = try decode(BudgetLedger.self, from: text)
        #expect(decoded == ledger)
        #expect(decoded.used(.steps) == 2 && decoded.used(.toolCalls) == 1 && decoded.used(.revisions) == 0)
    }

    @Test("Every kind is checked, listed and left over by name", arguments: BudgetKind.allCases)
    func everyKindIsGeneric(kind: BudgetKind) throws {
        let limits = try BudgetLimits([kind: 7])
        #expect(limits[kind] == 7)
        let ledger = BudgetLedger(limits: limits, coversOneRun: true)
        #expect(ledger.lines.first { $0.budget == kind.name } == BudgetLine(budget: kind.name, limit: 7, used: 0))
        #expect(ledger.remaining[kind] == 7)
        let error = try #require(throws: PolicyError.self) { try BudgetLimits([kind: -1]) }
        #expect(error.field == kind.limit.rawValue)
        #expect(try BudgetLimits([kind: 7]).tightened(by: BudgetLimits([kind: 3]))[kind] == 3)
    }

    @Test("A refused tool call is reserved like a step: N admitted, the (N+1)th refused", arguments: [Int64(0), 2])
    func refusedToolCalls(limit: Int64) throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRefusedToolCalls: limit), coversOneRun: true)
        for _ in 0..<limit { try ledger.reserve(.refusedToolCalls, tool: "typo") }
        let violation = try #require(throws: PolicyViolation.self) {
            try ledger.reserve(.refusedToolCalls, tool: "typo")
        }
        #expect(
            violation
                == PolicyViolation(limit: .maxRefusedToolCalls, limitValue: limit, attempted: limit + 1, tool: "typo")
        )
        #expect(ledger.used(.refusedToolCalls) == limit)
        #expect(ledger.remaining[.refusedToolCalls] == 0)
    }

    @Test("Limits encode under their policy field names and decode back")
    func limitsRoundTrip() throws {
        let limits = try BudgetLimits(maxToolCalls: 5, maxCallsPerTool: ["t": 2], maxRefusedToolCalls: 1)
        let text = try jsonText(limits)
        #expect(text.contains(#""maxToolCalls":5"#))
        #expect(text.contains(#""maxRefusedToolCalls":1"#))
        #expect(!text.contains("maxSteps"))
        #expect(try decode(BudgetLimits.self, from: text) == limits)
    }
}
