import AgentPolicy
import Testing

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
        #expect(shared.ledger.used(.toolCalls) == 50)
    }

    @Test("A parent's refusal leaves nothing debited in the child")
    func parentRefusalRefunds() throws {
        let parent = SharedBudget(try BudgetLimits(maxSteps: 1, maxTokens: 10))
        let child = SharedBudget(try BudgetLimits(maxSteps: 5, maxTokens: 100), parent: parent)
        try child.reserve(.steps)
        #expect(throws: PolicyViolation.self) { try child.reserve(.steps) }
        #expect(child.ledger.used(.steps) == 1)
        #expect(throws: PolicyViolation.self) { try child.reserveUsage(ModelUsage(inputTokens: 11)) }
        #expect(child.ledger.reservedUsage == .zero)
        #expect(child.remaining[.tokens] == 10)
        #expect(child.remaining[.steps] == 0)
    }

    @Test("Loop detection is per run: the parent never checks identical calls")
    func loopDetectionIsLocal() throws {
        let parent = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1))
        let first = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1), parent: parent, coversOneRun: true)
        let second = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1), parent: parent, coversOneRun: true)
        try first.reserveToolCall("t", argumentsKey: "same")
        try second.reserveToolCall("t", argumentsKey: "same")
        #expect(throws: PolicyViolation.self) { try first.reserveToolCall("t", argumentsKey: "same") }
        #expect(parent.ledger.used(.toolCalls) == 2)
    }

    @Test("A shared budget lists no line for a per-run limit, and never checks one")
    func sharedLedgerHasNoPerRunLines() throws {
        let graph = SharedBudget(StrictPolicy().budgetLimits)
        let run = SharedBudget(StrictPolicy().budgetLimits, parent: graph, coversOneRun: true)
        for _ in 0..<3 { try run.reserveToolCall("t", argumentsKey: "same") }
        #expect(!graph.ledger.lines.contains { $0.budget == "repeatedToolCalls" })
        #expect(graph.ledger.lines.contains { $0.budget == "refusedToolCalls" })
        #expect(graph.remaining[.repeatedToolCalls] == nil)
        #expect(run.ledger.lines.first { $0.budget == "repeatedToolCalls" }?.used == 3)
        let alone = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 0))
        try alone.reserveToolCall("t", argumentsKey: "same")
        #expect(alone.ledger.used(.toolCalls) == 1)
    }

    @Test("Refused tool calls are a shared line: a parent's limit bounds the refusals of all its runs")
    func refusalsAreShared() throws {
        let shared = SharedBudget(try BudgetLimits(maxRefusedToolCalls: 3))
        let first = SharedBudget(StrictPolicy().budgetLimits, parent: shared, coversOneRun: true)
        let second = SharedBudget(StrictPolicy().budgetLimits, parent: shared, coversOneRun: true)
        try first.reserve(.refusedToolCalls, tool: "a")
        try second.reserve(.refusedToolCalls, tool: "b")
        try first.reserve(.refusedToolCalls, tool: "a")
        let violation = try #require(throws: PolicyViolation.self) {
            try second.reserve(.refusedToolCalls, tool: "b")
        }
        #expect(violation == PolicyViolation(limit: .maxRefusedToolCalls, limitValue: 3, attempted: 4, tool: "b"))
        #expect(shared.ledger.used(.refusedToolCalls) == 3)
        #expect(first.remaining[.refusedToolCalls] == 0)
        #expect(
            shared.ledger.lines.first { $0.budget == "refusedToolCalls" }
                == BudgetLine(
                    budget: "refusedToolCalls",
                    limit: 3,
                    used: 3
                )
        )
    }
}

/// Issue 14: when a parent refuses, the child's reservation is given back, for every kind of budget.
@Suite("Shared budget: a parent's refusal refunds the child, for every budget kind")
struct SharedBudgetRefundTests {
    /// A child run budget with generous limits under a parent that refuses at once.
    static func child(under parentLimits: BudgetLimits) -> (parent: SharedBudget, child: SharedBudget) {
        let parent = SharedBudget(parentLimits)
        return (parent, SharedBudget(StrictPolicy().budgetLimits, parent: parent, coversOneRun: true))
    }

    @Test("Steps")
    func steps() throws {
        let (parent, child) = Self.child(under: try BudgetLimits(maxSteps: 0))
        #expect(throws: PolicyViolation.self) { try child.reserve(.steps) }
        #expect(child.ledger.used(.steps) == 0, "the child's step was not refunded")
        #expect(parent.ledger.used(.steps) == 0)
    }

    @Test("Tokens and cost")
    func tokens() throws {
        let (parent, child) = Self.child(under: try BudgetLimits(maxTokens: 10, maxCost: 5))
        #expect(throws: PolicyViolation.self) { try child.reserveUsage(ModelUsage(inputTokens: 11)) }
        #expect(child.ledger.reservedUsage == .zero, "the child's token reservation was not released")
        #expect(throws: PolicyViolation.self) { try child.reserveUsage(ModelUsage(cost: 6)) }
        #expect(child.ledger.reservedUsage == .zero, "the child's cost reservation was not released")
        #expect(parent.ledger.reservedUsage == .zero)
    }

    @Test("Tool calls in total")
    func toolCalls() throws {
        let (parent, child) = Self.child(under: try BudgetLimits(maxToolCalls: 0))
        #expect(throws: PolicyViolation.self) { try child.reserveToolCall("t", argumentsKey: "a") }
        #expect(child.ledger.used(.toolCalls) == 0, "the child's tool call was not refunded")
        #expect(child.ledger.lines.first { $0.budget == "toolCalls" }?.used == 0)
        #expect(parent.ledger.used(.toolCalls) == 0)
    }

    @Test("Calls per tool")
    func callsPerTool() throws {
        let (_, child) = Self.child(under: try BudgetLimits(maxCallsPerTool: ["t": 0]))
        #expect(throws: PolicyViolation.self) { try child.reserveToolCall("t") }
        #expect(child.ledger.callsPerTool["t", default: 0] == 0, "the child's call of the tool was not refunded")
        #expect(!child.ledger.lines.contains { $0.budget == "toolCalls[t]" })
    }

    @Test("Repeated identical calls (loop detection)")
    func repeatedToolCalls() throws {
        let parent = SharedBudget(try BudgetLimits(maxCallsPerTool: ["t": 0]))
        let child = SharedBudget(try BudgetLimits(maxRepeatedToolCalls: 1), parent: parent, coversOneRun: true)
        #expect(throws: PolicyViolation.self) { try child.reserveToolCall("t", argumentsKey: "a") }
        #expect(child.ledger.used(.repeatedToolCalls) == 0, "the child's identical-call count was not refunded")
        // Had the refused call been counted, the same call would now trip the child's loop detection.
        let again = try #require(throws: PolicyViolation.self) { try child.reserveToolCall("t", argumentsKey: "a") }
        #expect(again.limit == .maxCallsPerTool, "the refused call was counted as a repeat")
    }

    @Test("Revisions")
    func revisions() throws {
        let (parent, child) = Self.child(under: try BudgetLimits(maxRevisions: 0))
        #expect(throws: PolicyViolation.self) { try child.reserve(.revisions) }
        #expect(child.ledger.used(.revisions) == 0, "the child's revision was not refunded")
        #expect(parent.ledger.used(.revisions) == 0)
    }

    @Test("Refused tool calls")
    func refusedToolCalls() throws {
        let (parent, child) = Self.child(under: try BudgetLimits(maxRefusedToolCalls: 0))
        #expect(throws: PolicyViolation.self) { try child.reserve(.refusedToolCalls, tool: "t") }
        #expect(child.ledger.used(.refusedToolCalls) == 0, "the child's refused call was not refunded")
        #expect(parent.ledger.used(.refusedToolCalls) == 0)
    }

    @Test("Model calls")
    func modelCalls() throws {
        let (parent, child) = Self.child(under: try BudgetLimits(maxModelCalls: 0))
        let violation = try #require(throws: PolicyViolation.self) { try child.reserve(.modelCalls) }
        #expect(violation.limit == .maxModelCalls)
        #expect(child.ledger.used(.modelCalls) == 0, "the child's model call was not refunded")
        #expect(parent.ledger.used(.modelCalls) == 0)
    }

    @Test("Hand-offs")
    func handoffs() throws {
        let (parent, child) = Self.child(under: try BudgetLimits([.handoffs: 0]))
        let violation = try #require(throws: PolicyViolation.self) { try child.reserve(.handoffs) }
        #expect(violation.limit == .maxHandoffs)
        #expect(child.ledger.used(.handoffs) == 0, "the child's hand-off was not refunded")
        #expect(parent.ledger.used(.handoffs) == 0)
    }

    @Test("Every kind of the table is covered by a refund test above")
    func everyKindCovered() {
        let covered: Set<BudgetKind> = [
            .steps, .tokens, .inputTokens, .outputTokens, .cost, .toolCalls, .repeatedToolCalls, .revisions,
            .refusedToolCalls, .modelCalls, .handoffs,
        ]
        #expect(Set(BudgetKind.allCases) == covered, "a new budget kind needs a refund test here")
    }
}
