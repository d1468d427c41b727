import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("Workflow tasks performed by graphs of agents", .timeLimit(.suite))
struct WorkflowGraphTaskTests {
    /// research → write; with no output node, the final output is the sinks' outputs by node id.
    static func researchGraph(failing: Bool = false) -> AgentGraph {
        var graph = AgentGraph()
        graph.nodes.append(AgentGraph.Node("research", performer: .named(failing ? "broken" : "researcher")))
        graph.add("write", agent: echoAgent("writer"), dependsOn: ["research"]) { _, dependencies in
            dependencies["research"] ?? .null
        }
        return graph
    }

    static let definition = WorkflowDefinition(
        name: "report",
        version: "1",
        initialState: "study",
        states: [
            "study": .task(
                WorkflowTaskState(
                    .graph("research"),
                    input: "$.topic",
                    output: "$.study",
                    next: "done",
                    onFailure: "failed"
                )
            ),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func registry(failing: Bool = false) throws -> WorkflowRegistry {
        var registry = try workflowRegistry([echoAgent("researcher"), failingAgent("broken")])
        try registry.register(researchGraph(failing: failing), named: "research")
        return registry
    }

    @Test("A graph task runs the graph on its input and writes the graph's final output where the state says")
    func graphTaskSucceeds() async throws {
        let report = try await makeOrchestrator().run(
            workflow: Self.definition,
            data: ["topic": "actors"],
            registry: try Self.registry()
        )
        #expect(report.succeeded, "\(report.stopReason)")
        #expect(report.statesTaken == ["study", "done"])
        #expect(report.path[0].runs.first?.performer == "graph research")
        #expect(report.path[0].runs.first?.stopReason == "completed")
        // The writer echoes the researcher's output, which echoes its default node task built from the graph's task
        // (the state's input); the graph has no output node, so the output is the sinks' outputs by node id.
        #expect(
            report.finalData == [
                "topic": "actors", "study": ["write": ["seen": ["seen": ["input": "actors", "dependencies": [:]]]]],
            ]
        )
        // The graph's node runs drew on the workflow's ledger.
        #expect(report.ledger.first { $0.budget == "steps" }?.used == 2)
    }

    @Test("A graph whose node fails takes the task's failure transition")
    func graphTaskFails() async throws {
        let report = try await makeOrchestrator().run(
            workflow: Self.definition,
            data: ["topic": "actors"],
            registry: try Self.registry(failing: true)
        )
        #expect(report.stopReason.kind == .failed)
        #expect(report.statesTaken == ["study", "failed"])
        #expect(report.path[0].outcome == .failed)
        #expect(report.path[0].transition == "failure")
        #expect(report.path[0].runs.first?.stopReason == "nodeFailed")
        #expect(report.finalData["study"] == nil)
    }

    @Test("A graph that overruns the workflow's budget is stopped and takes the failure transition")
    func graphTaskBudget() async throws {
        let policy = try StrictPolicy(maxSteps: 1)
        let report = try await makeOrchestrator().run(
            workflow: Self.definition,
            data: ["topic": "actors"],
            registry: try Self.registry(),
            policy: policy
        )
        #expect(report.statesTaken == ["study", "failed"])
        #expect(report.path[0].runs.first?.stopReason == "policyViolation")
    }

    @Test("A graph performer is refused at load when the registry lacks it, naming the state: unknownGraph")
    func unknownGraph() throws {
        let errors = Self.definition.validationErrors(
            registry: try workflowRegistry([echoAgent("researcher")]),
            tools: [],
            initialData: ["topic": "actors"]
        )
        #expect(errors.map(\.code) == [.unknownGraph])
        #expect(errors.first?.state == "study")
        #expect(errors.first?.field == "graph")
        #expect(errors.first?.message.contains("\"research\"") == true)
        #expect(Self.definition.validationErrors(registry: try Self.registry(), tools: []).isEmpty)
    }

    @Test("A graph performer's own validation runs at load: an unknown predicate or agent in it is invalidGraph")
    func invalidGraphAtLoad() async throws {
        var graph = AgentGraph()
        graph.add("research", agent: echoAgent("researcher"))
        graph.add(
            "write",
            agent: echoAgent("writer"),
            dependsOn: ["research"],
            when: ["research": .predicate("isDone")]
        )
        var registry = try workflowRegistry([echoAgent("researcher")])
        try registry.register(graph, named: "research")
        let errors = Self.definition.validationErrors(registry: registry, tools: [], initialData: ["topic": "actors"])
        #expect(errors.map(\.code) == [.invalidGraph])
        #expect(errors.first?.state == "study")
        #expect(errors.first?.field == "graph")
        #expect(errors.first?.message.contains("graph \"research\"") == true)
        #expect(errors.first?.message.contains("\"isDone\"") == true)
        #expect(errors.first?.message.contains("unknownPredicate") == true)
        // Running it is refused before anything runs, as for any invalid definition.
        let runs = Counter()
        var counted = try workflowRegistry([constantAgent("researcher", 1, counter: runs)])
        try counted.register(graph, named: "research")
        await #expect(throws: WorkflowDefinitionError.self) {
            _ = try await makeOrchestrator().run(workflow: Self.definition, data: ["topic": "x"], registry: counted)
        }
        #expect(runs.value == 0)
        // A graph node naming an agent the registry lacks, in a parallel branch, is named by its branch.
        var branches = Self.definition
        branches.states["study"] = .parallel(
            WorkflowParallelState([.init("g", .graph("research"))], output: "$.s", next: "done", onFailure: "failed")
        )
        var missing = try workflowRegistry([])
        try missing.register(Self.researchGraph(), named: "research")
        let branchErrors = branches.validationErrors(registry: missing, tools: [])
        #expect(branchErrors.map(\.code) == [.invalidGraph])
        #expect(branchErrors.first?.field == "branches[0].graph")
        #expect(branchErrors.first?.message.contains("\"researcher\"") == true)
    }

    @Test("A graph performer encodes as \"graph\": name, decodes back, and is drawn in the diagram")
    func jsonAndMermaid() throws {
        var definition = Self.definition
        definition.states["fan"] = .parallel(
            WorkflowParallelState([.init("g", .graph("research"))], output: "$.fan", next: "done", onFailure: "failed")
        )
        let json = try JSONValueEncoder().encode(definition)
        #expect(json["states"]?["study"]?["graph"] == "research")
        #expect(json["states"]?["fan"]?["branches"]?[0]?["graph"] == "research")
        let decoded = try WorkflowDefinition.parse(json.jsonText())
        #expect(decoded == definition)
        #expect(decoded.hash == definition.hash)
        #expect(Self.definition.mermaid().contains("study (task · graph research)"))
        // Two performers in one task do not decode.
        #expect(throws: DecodingError.self) {
            try WorkflowDefinition.parse(
                #"{"name":"w","version":"1","initialState":"a","states":{"a":{"kind":"task","graph":"g","agent":"x","#
                    + #""output":"$.o","next":"a","onFailure":"a"}}}"#
            )
        }
    }
}
