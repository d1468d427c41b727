public import AgentAdapters

/// What a workflow definition's names resolve to: agents, sub-workflows, graphs of agents and predicates (tools come
/// from the orchestrator's `ToolRegistry`).
///
/// ```swift
/// var agents = AgentRegistry()
/// try agents.register(classifier)
/// var registry = WorkflowRegistry(agents: agents)
/// try registry.predicates.register("isUrgent") { $0["priority"] == "high" }
/// try registry.register(refundWorkflow)
/// try registry.register(researchGraph, named: "research")
/// ```
///
/// No registration ever replaces another: a second agent, predicate, sub-workflow or graph under a name already
/// taken is refused with a typed error naming the name (``OrchestrationError/Code/duplicateAgent``,
/// `ConditionError.Code.duplicatePredicate`, ``OrchestrationError/Code/duplicateWorkflow``,
/// ``OrchestrationError/Code/duplicateGraph``), so what a definition's name resolves to is never decided by which
/// registration ran last.
public struct WorkflowRegistry: Sendable {
    /// The agents task states and branches name with `agent`.
    public var agents: AgentRegistry
    /// The sub-workflows task states and branches name with `workflow`, by ``WorkflowDefinition/name``; add one
    /// with ``register(_:)``.
    public private(set) var workflows: [String: WorkflowDefinition]
    /// The graphs of agents task states and branches name with `graph`, by the name they were registered under
    /// with ``register(_:named:)``. Their `named` and `capability` nodes resolve through ``agents``.
    public private(set) var graphs: [String: AgentGraph]
    /// The predicates decision conditions name with `predicate`.
    public var predicates: PredicateRegistry

    /// Creates a registry without sub-workflows.
    ///
    /// - Parameters:
    ///   - agents: The agents.
    ///   - graphs: The graphs of agents, by name.
    ///   - predicates: The predicates.
    public init(
        agents: AgentRegistry = AgentRegistry(),
        graphs: [String: AgentGraph] = [:],
        predicates: PredicateRegistry = PredicateRegistry()
    ) {
        self.agents = agents
        self.workflows = [:]
        self.graphs = graphs
        self.predicates = predicates
    }

    /// Creates a registry with sub-workflows, each registered by name as with ``register(_:)``.
    ///
    /// - Parameters:
    ///   - agents: The agents.
    ///   - workflows: The sub-workflows; their names must differ.
    ///   - graphs: The graphs of agents, by name.
    ///   - predicates: The predicates.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/duplicateWorkflow`` naming the first
    ///   name two of `workflows` share.
    public init(
        agents: AgentRegistry = AgentRegistry(),
        workflows: [WorkflowDefinition],
        graphs: [String: AgentGraph] = [:],
        predicates: PredicateRegistry = PredicateRegistry()
    ) throws(OrchestrationError) {
        self.init(agents: agents, graphs: graphs, predicates: predicates)
        for workflow in workflows { try register(workflow) }
    }

    /// Registers a sub-workflow under its name.
    ///
    /// - Parameter workflow: The sub-workflow.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/duplicateWorkflow`` naming the name and
    ///   listing the registered workflows, when a workflow of that name is registered already.
    public mutating func register(_ workflow: WorkflowDefinition) throws(OrchestrationError) {
        guard workflows[workflow.name] == nil else {
            let names = workflows.keys.sorted()
            throw OrchestrationError(
                code: .duplicateWorkflow,
                name: workflow.name,
                registered: names,
                message: "a workflow named \"\(workflow.name)\" is already registered "
                    + "(\(OrchestrationError.listing(names))); give the new one another name"
            )
        }
        workflows[workflow.name] = workflow
    }

    /// Registers a graph of agents under a name.
    ///
    /// - Parameters:
    ///   - graph: The graph.
    ///   - name: The name task states and branches give it with `graph`.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/duplicateGraph`` naming the name and
    ///   listing the registered graphs, when a graph is registered under that name already.
    public mutating func register(_ graph: AgentGraph, named name: String) throws(OrchestrationError) {
        guard graphs[name] == nil else {
            let names = graphs.keys.sorted()
            throw OrchestrationError(
                code: .duplicateGraph,
                name: name,
                registered: names,
                message: "a graph named \"\(name)\" is already registered (\(OrchestrationError.listing(names))); "
                    + "give the new one another name"
            )
        }
        graphs[name] = graph
    }
}
