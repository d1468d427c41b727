/// An agent the orchestrator runs through INIT → PLAN → EXECUTE → REVIEW → TERMINATE.
///
/// Only ``execute(_:context:)`` is required. The default ``plan(_:context:)`` is one step whose input is the task;
/// the default ``review(_:context:)`` accepts the last step's output.
///
/// ```swift
/// struct Echo: Agent {
///     let name = "echo"
///     func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
///         .output(step.input)
///     }
/// }
/// ```
///
/// Every call receives the run's ``AgentContext``: the only way to call tools, report model usage and read the
/// remaining budget and time. Agents are `Sendable` values shared by runs: keep per-run state in local variables,
/// not in the agent. Each method runs in a task that is cancelled when the run times out, is cancelled or is
/// stopped by the policy; an agent that ignores cancellation is abandoned at the deadline (the report says so).
public protocol Agent: Sendable {
    /// The agent's name, used in reports and events.
    var name: String { get }

    /// Plans the steps for the task (PLAN).
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and any review feedback.
    ///   - context: The run's governed context.
    /// - Returns: The steps to execute in order; an empty plan goes straight to REVIEW.
    /// - Throws: Any error; the run ends with stop reason "agent failed".
    func plan(_ request: PlanRequest, context: AgentContext) async throws -> [AgentStep]

    /// Executes one step (EXECUTE). The step was reserved from the budget before this call.
    ///
    /// - Parameters:
    ///   - step: The step to execute.
    ///   - context: The run's governed context.
    /// - Returns: The step's output and any follow-up steps.
    /// - Throws: Any error; a ``ToolError`` ends the run with "tool failed", anything else with "agent failed".
    func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult

    /// Reviews the outputs of the current plan (REVIEW).
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and the step outputs.
    ///   - context: The run's governed context.
    /// - Returns: Accept, revise or reject.
    /// - Throws: Any error; the run ends with stop reason "agent failed".
    func review(_ request: ReviewRequest, context: AgentContext) async throws -> ReviewDecision
}

extension Agent {
    /// One step whose input is the task (or, after a revision, the task and the feedback as
    /// `{"task": …, "feedback": …}`).
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and any review feedback.
    ///   - context: The run's governed context.
    /// - Returns: A one-step plan.
    /// - Throws: Never; the signature matches ``Agent``.
    public func plan(_ request: PlanRequest, context: AgentContext) async throws -> [AgentStep] {
        guard let feedback = request.feedback else { return [AgentStep(request.task)] }
        return [AgentStep(.object(["task": request.task, "feedback": feedback]))]
    }

    /// Accepts the last step's output.
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and the step outputs.
    ///   - context: The run's governed context.
    /// - Returns: ``ReviewDecision/accept``.
    /// - Throws: Never; the signature matches ``Agent``.
    public func review(_ request: ReviewRequest, context: AgentContext) async throws -> ReviewDecision {
        .accept
    }
}
