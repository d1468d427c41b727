/// An agent made of closures: the quickest way to write one.
///
/// ```swift
/// let shout = ClosureAgent(name: "shout") { step, context in
///     .string((step.input.stringValue ?? "").uppercased())
/// }
/// ```
///
/// Only the execute closure is required; plan and review default as in ``Agent``.
public struct ClosureAgent: Agent {
    /// The agent's name.
    public let name: String
    private let planBody: (@Sendable (PlanRequest, AgentContext) async throws -> [AgentStep])?
    private let executeBody: @Sendable (AgentStep, AgentContext) async throws -> JSONValue
    private let reviewBody: (@Sendable (ReviewRequest, AgentContext) async throws -> ReviewDecision)?

    /// Creates an agent from closures.
    ///
    /// - Parameters:
    ///   - name: The agent's name.
    ///   - plan: Plans the steps; `nil` for one step whose input is the task.
    ///   - review: Reviews the outputs; `nil` to accept the last one.
    ///   - execute: Executes one step and returns its output.
    public init(
        name: String,
        plan: (@Sendable (PlanRequest, AgentContext) async throws -> [AgentStep])? = nil,
        review: (@Sendable (ReviewRequest, AgentContext) async throws -> ReviewDecision)? = nil,
        execute: @escaping @Sendable (AgentStep, AgentContext) async throws -> JSONValue
    ) {
        self.name = name
        self.planBody = plan
        self.executeBody = execute
        self.reviewBody = review
    }

    /// Runs the plan closure, or plans one step.
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and any review feedback.
    ///   - context: The run's governed context.
    /// - Returns: The steps to execute.
    /// - Throws: What the closure throws.
    public func plan(_ request: PlanRequest, context: AgentContext) async throws -> [AgentStep] {
        guard let planBody else {
            guard let feedback = request.feedback else { return [AgentStep(request.task)] }
            return [AgentStep(.object(["task": request.task, "feedback": feedback]))]
        }
        return try await planBody(request, context)
    }

    /// Runs the execute closure.
    ///
    /// - Parameters:
    ///   - step: The step to execute.
    ///   - context: The run's governed context.
    /// - Returns: The closure's output, with no follow-up steps.
    /// - Throws: What the closure throws.
    public func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        .output(try await executeBody(step, context))
    }

    /// Runs the review closure, or accepts.
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and the step outputs.
    ///   - context: The run's governed context.
    /// - Returns: The decision.
    /// - Throws: What the closure throws.
    public func review(_ request: ReviewRequest, context: AgentContext) async throws -> ReviewDecision {
        guard let reviewBody else { return .accept }
        return try await reviewBody(request, context)
    }
}
