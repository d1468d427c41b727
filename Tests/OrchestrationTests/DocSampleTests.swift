import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

/// The article's `timeout: .seconds(60)`, longer here: the sample runs on the real clock, and in the ThreadSanitizer
/// pass of the parallel suite on a loaded two-core machine its four trivial agents once waited more than a minute
/// for threads (the sample's flow is under test, not its deadline, which `TimeoutAndCancellationTests` cover on a
/// manual clock).
private let sampleTimeout: Duration = .seconds(300)

/// The first sample of the "Graphs, teams and events" article, as written there (but for its timeout): it must
/// compile and work.
@Suite("Documentation samples")
struct DocSampleTests {
    @Test("The graph-of-agents sample runs and produces the polished output")
    func graphSample() async throws {
        let researcher = ClosureAgent(name: "researcher") { step, _ in
            "notes on \(step.input["input"] ?? "?")"
        }
        let writer = ClosureAgent(name: "writer") { step, _ in
            "draft from \(step.input["dependencies"]?["research"] ?? "?")"
        }
        let critic = ClosureAgent(name: "critic") { _, _ in "needs examples" }
        let editor = ClosureAgent(name: "editor") { step, _ in
            let dependencies = step.input["dependencies"]
            return "\(dependencies?["draft"] ?? "") + \(dependencies?["critique"] ?? "")"
        }

        var graph = AgentGraph(outputNode: "polish")
        graph.add("research", agent: researcher)
        graph.add("draft", agent: writer, dependsOn: ["research"])
        graph.add("critique", agent: critic, dependsOn: ["research"])
        graph.add("polish", agent: editor, dependsOn: ["draft", "critique"])

        let orchestrator = try Orchestrator()
        let policy = try StrictPolicy(maxSteps: 20, maxToolCalls: 10, timeout: sampleTimeout)
        let report = try await orchestrator.run(graph, task: "Swift concurrency", policy: policy)
        #expect(report.status == .succeeded)
        #expect(report.output == #"draft from notes on Swift concurrency + needs examples"#)
    }

    @Test("Without an output node, the output is the sinks' outputs by id")
    func sinksOutput() async throws {
        var graph = AgentGraph()
        graph.add("a", agent: ClosureAgent(name: "a") { _, _ in 1 })
        graph.add("b", agent: ClosureAgent(name: "b") { _, _ in 2 })
        let report = try await Orchestrator().run(graph, task: nil)
        #expect(report.output == ["a": 1, "b": 2])
    }
}
