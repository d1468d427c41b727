public import AgentAdapters

/// What a workflow definition's names resolve to: agents, sub-workflows and predicates (tools come from the
/// orchestrator's `ToolRegistry`).
///
/// ```swift
/// var agents = AgentRegistry()
/// try agents.register(classifier)
/// var registry = WorkflowRegistry(agents: agents)
/// registry.predicates.register("isUrgent") { $0["priority"] == "high" }
/// registry.register(refundWorkflow)
/// ```
public struct WorkflowRegistry: Sendable {
    /// The agents task states and branches name with `agent`.
    public var agents: AgentRegistry
    /// The sub-workflows task states and branches name with `workflow`, by ``WorkflowDefinition/name``.
    public var workflows: [String: WorkflowDefinition]
    /// The predicates decision conditions name with `predicate`.
    public var predicates: PredicateRegistry

    /// Creates a registry.
    ///
    /// - Parameters:
    ///   - agents: The agents.
    ///   - workflows: The sub-workflows, registered by name (a later one of the same name wins).
    ///   - predicates: The predicates.
    public init(
        agents: AgentRegistry = AgentRegistry(),
        workflows: [WorkflowDefinition] = [],
        predicates: PredicateRegistry = PredicateRegistry()
    ) {
        self.agents = agents
        self.workflows = Dictionary(workflows.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        self.predicates = predicates
    }

    /// Registers a sub-workflow under its name, replacing one of the same name.
    ///
    /// - Parameter workflow: The sub-workflow.
    public mutating func register(_ workflow: WorkflowDefinition) { workflows[workflow.name] = workflow }
}
