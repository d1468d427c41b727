import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import FoundationEssentials
import Testing

@Suite("Graph-of-agents report coding", .timeLimit(.suite))
struct AgentGraphReportCodingTests {
    @Test("A node whose output is null keeps it through JSONEncoder and JSONDecoder")
    func nullNodeOutput() async throws {
        var graph = AgentGraph()
        graph.add("empty", agent: ClosureAgent(name: "nothing") { _, _ in .null })
        graph.add("after", agent: labeller("after"), dependsOn: ["empty"])
        graph.outputNode = "empty"
        let report = try await makeOrchestrator().run(graph, task: "topic")
        #expect(report.status == .succeeded)
        #expect(report.execution.output(of: "empty") == .some(.null))
        let data = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(AgentGraphReport.self, from: data)
        #expect(decoded.execution.output(of: "empty") == .some(.null))
        #expect(decoded.finalOutput == .node(id: "empty", output: .null))
        #expect(decoded.node("empty")?.output == .some(.null))
        #expect(decoded == report)
    }
}
