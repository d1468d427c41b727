import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

@Suite("Workflow registries refuse a second entry under a taken name")
struct WorkflowRegistryTests {
    static func workflow(_ name: String, version: String) -> WorkflowDefinition {
        WorkflowDefinition(name: name, version: version, initialState: "done", states: ["done": succeededEnd])
    }

    static func graph(_ node: String) -> AgentGraph {
        var graph = AgentGraph()
        graph.add(node, agent: constantAgent("worker", 1))
        return graph
    }

    @Test("A second sub-workflow of one name is refused, naming it; the first stays registered")
    func duplicateWorkflow() throws {
        var registry = WorkflowRegistry()
        try registry.register(Self.workflow("refund", version: "1"))
        do throws(OrchestrationError) {
            try registry.register(Self.workflow("refund", version: "2"))
            Issue.record("a second workflow named refund replaced the first")
        } catch {
            #expect(error.code == .duplicateWorkflow)
            #expect(error.name == "refund")
            #expect(error.registered == ["refund"])
        }
        #expect(registry.workflows["refund"]?.version == "1")
        #expect(throws: OrchestrationError.self) {
            _ = try WorkflowRegistry(workflows: [Self.workflow("a", version: "1"), Self.workflow("a", version: "2")])
        }
    }

    @Test("A second graph under one name is refused, naming it; the first stays registered")
    func duplicateGraph() throws {
        var registry = WorkflowRegistry()
        try registry.register(Self.graph("first"), named: "research")
        do throws(OrchestrationError) {
            try registry.register(Self.graph("second"), named: "research")
            Issue.record("a second graph named research replaced the first")
        } catch {
            #expect(error.code == .duplicateGraph)
            #expect(error.name == "research")
            #expect(error.registered == ["research"])
            #expect(error.message.contains("\"research\""))
        }
        #expect(registry.graphs["research"]?.nodes.map(\.id) == ["first"])
        #expect(registry.graphs.count == 1)
    }

    @Test("A second predicate or agent under one name is refused through the workflow registry too")
    func duplicatePredicateAndAgent() throws {
        var registry = WorkflowRegistry()
        try registry.predicates.register("isUrgent") { _ in true }
        #expect(throws: ConditionError.duplicatePredicate("isUrgent", known: ["isUrgent"])) {
            try registry.predicates.register("isUrgent") { _ in false }
        }
        #expect(registry.predicates.predicate(named: "isUrgent")?(.null) == true)
        try registry.agents.register(constantAgent("worker", 1))
        #expect(throws: OrchestrationError.self) { try registry.agents.register(constantAgent("worker", 2)) }
        #expect(registry.agents.names == ["worker"])
    }
}
