/// Who performs a task state: a registered agent, a registered tool, a registered sub-workflow, or a registered
/// graph of agents.
public enum WorkflowPerformer: Sendable, Hashable, CustomStringConvertible {
    /// The agent registered under this name in ``WorkflowRegistry/agents``, run as a governed run.
    case agent(String)
    /// The orchestrator's tool of this name, called once in a governed run with the input as its arguments.
    case tool(String)
    /// The sub-workflow registered under this name in ``WorkflowRegistry/workflows``; its final data is the output.
    case workflow(String)
    /// The ``AgentGraph`` registered under this name in ``WorkflowRegistry/graphs``, run by the orchestrator's graph
    /// driver on the workflow's ledger and deadline with the input as the graph's task; its final output is the
    /// output (a designated output node's output as it is, the sinks' outputs as an object by node id).
    case graph(String)

    /// `agent name`, `tool name`, `workflow name` or `graph name`.
    public var description: String {
        switch self {
        case .agent(let name): "agent \(name)"
        case .tool(let name): "tool \(name)"
        case .workflow(let name): "workflow \(name)"
        case .graph(let name): "graph \(name)"
        }
    }

    /// The key naming the performer in JSON: `agent`, `tool`, `workflow` or `graph`.
    var key: String {
        switch self {
        case .agent: "agent"
        case .tool: "tool"
        case .workflow: "workflow"
        case .graph: "graph"
        }
    }

    /// The registered name.
    public var name: String {
        switch self {
        case .agent(let name), .tool(let name), .workflow(let name), .graph(let name): name
        }
    }
}
