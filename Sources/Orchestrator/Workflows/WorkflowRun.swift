import AgentAdapters
import AgentPolicy

/// Everything one workflow run's driver needs.
struct WorkflowRun: Sendable {
    var definition: WorkflowDefinition
    var data: JSONValue
    var registry: WorkflowRegistry
    var policy: StrictPolicy
    /// The workflow ledger every run of the workflow draws on.
    var budget: SharedBudget
    var metadata: [String: JSONValue]
    var executionID: String
    var maxTransitions: Int64
    /// An enclosing workflow's deadline on the orchestrator's time scale, for a sub-workflow.
    var deadline: Duration?
    var inbox: WorkflowInbox
    var journal: RunJournal?
}

/// A one-step agent that calls one tool with its task as the arguments: how a tool task runs governed.
struct WorkflowToolAgent: Agent {
    let tool: String
    var name: String { "tool:\(tool)" }

    func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        StepResult(output: try await context.callTool(tool, arguments: step.input))
    }
}
