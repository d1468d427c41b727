import AgentAdapters
import AgentOrchestration
import AgentPolicy

/// An agent that returns `output`, counting its runs.
func constantAgent(_ name: String, _ output: JSONValue, counter: Counter? = nil) -> ClosureAgent {
    ClosureAgent(name: name) { _, _ in
        counter?.increment()
        return output
    }
}

/// An agent that returns its task wrapped as `{"seen": task}`.
func echoAgent(_ name: String) -> ClosureAgent {
    ClosureAgent(name: name) { step, _ in ["seen": step.input] }
}

/// An agent that always throws.
func failingAgent(_ name: String) -> ClosureAgent {
    ClosureAgent(name: name) { _, _ in throw Broke(name: name) }
}

/// A plain error an agent throws.
struct Broke: Error, CustomStringConvertible {
    var name: String
    var description: String { "\(name) broke" }
}

/// A registry holding `agents`.
func workflowRegistry(
    _ agents: [ClosureAgent],
    workflows: [WorkflowDefinition] = [],
    predicates: [String: PredicateRegistry.Predicate] = [:]
) throws -> WorkflowRegistry {
    var registry = AgentRegistry()
    for agent in agents { try registry.register(agent) }
    return try WorkflowRegistry(agents: registry, workflows: workflows, predicates: PredicateRegistry(predicates))
}

/// A task state on an agent writing to `$.<output>`.
func agentTask(
    _ agent: String,
    input: JSONPath = .root,
    output: JSONPath,
    next: String,
    onFailure: String? = "failed"
) -> WorkflowState {
    .task(WorkflowTaskState(.agent(agent), input: input, output: output, next: next, onFailure: onFailure))
}

let succeededEnd = WorkflowState.end(WorkflowEndState(.succeeded))
let failedEnd = WorkflowState.end(WorkflowEndState(.failed, reason: "a task failed"))
