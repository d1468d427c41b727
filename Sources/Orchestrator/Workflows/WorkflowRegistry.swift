public import AgentAdapters

/// What a workflow definition's names resolve to: agents, sub-workflows, graphs of agents and predicates (tools come
/// from the orchestrator's `ToolRegistry`).
///
/// ```swift
/// var agents = AgentRegistry()
/// try agents.register(classifier)
/// var registry = WorkflowRegistry(agents: agents)
/// registry.predicates.register("isUrgent") { $0["priority"] == "high" }
/// registry.register(refundWorkflow)
/// registry.register(researchGraph, named: "research")
/// ```
public struct WorkflowRegistry: Sendable {
    /// The agents task states and branches name with `agent`.
    public var agents: AgentRegistry
    /// The sub-workflows task states and branches name with `workflow`, by ``WorkflowDefinition/name``.
    public var workflows: [String: WorkflowDefinition]
    /// The graphs of agents task states and branches name with `graph`, by the name they were registered under.
    /// Their `named` and `capability` nodes resolve through ``agents``.
    public var graphs: [String: AgentGraph]
    /// The predicates decision conditions name with `predicate`.
    public var predicates: PredicateRegistry

    /// Creates a registry.
    ///
    /// - Parameters:
    ///   - agents: The agents.
    ///   - workflows: The sub-workflows, registered by name (a later one of the same name wins).
    ///   - graphs: The graphs of agents, by name.
    ///   - predicates: The predicates.
    public init(
        agents: AgentRegistry = AgentRegistry(),
        workflows: [WorkflowDefinition] = [],
        graphs: [String: AgentGraph] = [:],
        predicates: PredicateRegistry = PredicateRegistry()
    ) {
        self.agents = agents
        self.workflows = Dictionary(workflows.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.graphs = graphs
        self.predicates = predicates
    }

    /// Registers a sub-workflow under its name, replacing one of the same name.
    ///
    /// - Parameter workflow: The sub-workflow.
    public mutating func register(_ workflow: WorkflowDefinition) { workflows[workflow.name] = workflow }

    /// Registers a graph of agents under a name, replacing one of the same name.
    ///
    /// - Parameters:
    ///   - graph: The graph.
    ///   - name: The name task states and branches give it with `graph`.
    public mutating func register(_ graph: AgentGraph, named name: String) { graphs[name] = graph }
}
