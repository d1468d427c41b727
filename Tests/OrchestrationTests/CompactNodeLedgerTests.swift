import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("A graph node's report lists only the ledger lines that say something", .timeLimit(.suite))
struct CompactNodeLedgerTests {
    private let echo = ClosureAgent(name: "echo") { step, _ in step.input }

    @Test("Under default limits a node lists steps (used) and timeNanoseconds; the graph ledger lists every line")
    func defaultsLeftOut() async throws {
        let orchestrator = try makeOrchestrator()
        var graph = AgentGraph()
        graph.add("a", agent: echo)
        let report = try await orchestrator.run(graph, task: nil, policy: StrictPolicy())
        let node = try #require(report.node("a")?.attempts.first)
        #expect(node.ledger.map(\.budget) == ["steps", "timeNanoseconds"])
        #expect(node.ledger[0] == BudgetLine(budget: "steps", limit: StrictPolicy.Defaults.maxSteps, used: 1))
        #expect(node.sharedLedger?.map(\.budget) == ["steps"])
        #expect(report.ledger.count == BudgetKind.allCases.filter { !$0.isPerRun }.count + 1)
        // A line left out reads back as the default limit, nothing used.
        #expect(node.ledgerLine("revisions") == BudgetLine(budget: "revisions", limit: 3, used: 0))
        #expect(node.ledgerLine("inputTokens") == BudgetLine(budget: "inputTokens", limit: nil, used: 0))
        #expect(node.ledgerLine("repeatedToolCalls")?.limit == BudgetKind.repeatedToolCalls.defaultLimit)
        #expect(node.sharedLedgerLine("repeatedToolCalls") == nil)
        #expect(node.sharedLedgerLine("toolCalls") == BudgetLine(budget: "toolCalls", limit: 100, used: 0))
        #expect(node.ledgerLine("toolCalls[t]") == nil)
        #expect(try ExecutionReport(jsonText: node.jsonText()) == node)
    }

    @Test("A limit set to other than its default, a tool's limit and any use keep their lines")
    func setOrUsedKept() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", Counter())])
        let caller = ClosureAgent(name: "caller") { _, context in try await context.callTool("t") }
        var graph = AgentGraph()
        graph.add("a", agent: caller, policy: try StrictPolicy(maxCallsPerTool: ["t": 4], maxRevisions: 1))
        let report = try await orchestrator.run(graph, task: nil, policy: try StrictPolicy(maxInputTokens: 500))
        let node = try #require(report.node("a")?.attempts.first)
        #expect(
            node.ledger.map(\.budget) == [
                "steps", "inputTokens", "toolCalls", "toolCalls[t]", "repeatedToolCalls", "revisions",
                "timeNanoseconds",
            ]
        )
        #expect(node.ledgerLine("revisions") == BudgetLine(budget: "revisions", limit: 1, used: 0))
        #expect(node.ledgerLine("toolCalls[t]") == BudgetLine(budget: "toolCalls[t]", limit: 4, used: 1))
        // The node's own budget (its policy's limits) is the one it shared.
        #expect(node.sharedLedgerLine("revisions") == BudgetLine(budget: "revisions", limit: 1, used: 0))
    }

    @Test("A run outside a graph still lists every line")
    func singleRunFull() async throws {
        let orchestrator = try makeOrchestrator()
        let report = await orchestrator.run(echo, task: nil)
        #expect(report.ledger.map(\.budget) == BudgetKind.allCases.map(\.name) + ["timeNanoseconds"])
    }
}
