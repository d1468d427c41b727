import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Ledger lines in reports", .timeLimit(.suite))
struct LedgerLinesTests {
    @Test("A graph ledger lists no per-run line (repeatedToolCalls), and lists refused tool calls")
    func graphLedgerLines() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", Counter())])
        let typo = ClosureAgent(name: "typo") { _, context in
            do { _ = try await context.callTool("t_typo") } catch is ToolError {}
            return try await context.callTool("t", arguments: ["same": true])
        }
        var graph = AgentGraph()
        graph.add("a", agent: typo)
        graph.add("b", agent: typo, dependsOn: ["a"])
        let report = try await orchestrator.run(graph, task: nil, policy: StrictPolicy())
        #expect(report.status == .succeeded)
        #expect(!report.ledger.contains { $0.budget == "repeatedToolCalls" })
        #expect(
            report.ledger.first { $0.budget == "refusedToolCalls" }
                == BudgetLine(budget: "refusedToolCalls", limit: StrictPolicy.Defaults.maxRefusedToolCalls, used: 2)
        )
        #expect(report.ledger.first { $0.budget == "toolCalls" }?.used == 2)
    }

    @Test("Refusals beyond a shared budget's limit stop the run that makes them")
    func sharedRefusalLimit() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", Counter())])
        let shared = SharedBudget(try BudgetLimits(maxRefusedToolCalls: 1))
        let typo = ClosureAgent(name: "typo") { _, context in
            do { _ = try await context.callTool("t_typo") } catch is ToolError {}
            return "done"
        }
        let first = await orchestrator.run(typo, task: nil, sharedBudget: shared)
        let second = await orchestrator.run(typo, task: nil, sharedBudget: shared)
        #expect(first.stopReason == .completed)
        #expect(second.stopReason.violation?.limit == .maxRefusedToolCalls)
        #expect(second.sharedLedger?.first { $0.budget == "refusedToolCalls" }?.used == 1)
        #expect(second.ledger.first { $0.budget == "refusedToolCalls" }?.used == 0)
        #expect(second.sharedLedger?.contains { $0.budget == "repeatedToolCalls" } == false)
    }
}
