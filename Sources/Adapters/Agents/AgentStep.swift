/// One unit of an agent's work: the orchestrator reserves a step from the budget, then calls
/// ``Agent/execute(_:context:)`` with it.
///
/// Plans are lists of steps. A step's ``input`` is whatever the agent's plan put there; the orchestrator fills in
/// ``index`` (the step's position in the run, from 0) and ``revision`` (0 for the first plan, then one more after
/// each REVIEW → PLAN revision).
public struct AgentStep: Hashable, Codable, Sendable {
    /// What this step should work on.
    public var input: JSONValue
    /// A short human-readable name for reports, if any.
    public var label: String?
    /// The step's position among all steps of the run, from 0; set by the orchestrator.
    public package(set) var index: Int = 0
    /// The plan revision the step belongs to; set by the orchestrator.
    public package(set) var revision: Int = 0

    /// Creates a step.
    ///
    /// - Parameters:
    ///   - input: What this step should work on.
    ///   - label: A short name for reports.
    public init(_ input: JSONValue, label: String? = nil) {
        self.input = input
        self.label = label
    }
}

/// What a step produced, and optionally more steps to run after the ones already planned.
///
/// Returning follow-up steps lets an open-ended agent (a model loop, say) keep working one step at a time; every
/// step is still reserved from the budget first, so `StrictPolicy.maxSteps` bounds the loop.
public struct StepResult: Hashable, Codable, Sendable {
    /// The step's output.
    public var output: JSONValue
    /// Steps to run next, before the rest of the plan.
    public var followUpSteps: [AgentStep]

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - output: The step's output.
    ///   - followUpSteps: Steps to run next, before the rest of the plan.
    public init(output: JSONValue, followUpSteps: [AgentStep] = []) {
        self.output = output
        self.followUpSteps = followUpSteps
    }

    /// A result with `output` and no follow-up steps.
    ///
    /// - Parameter output: The step's output.
    /// - Returns: The result.
    public static func output(_ output: JSONValue) -> StepResult { StepResult(output: output) }
}

/// What an agent's plan is asked to plan for.
public struct PlanRequest: Hashable, Codable, Sendable {
    /// The run's task.
    public var task: JSONValue
    /// 0 for the first plan; one more after each revision.
    public var revision: Int
    /// The feedback REVIEW gave when it asked for this revision, if any.
    public var feedback: JSONValue?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - task: The run's task.
    ///   - revision: 0 for the first plan; one more after each revision.
    ///   - feedback: The feedback REVIEW gave, if any.
    public init(task: JSONValue, revision: Int, feedback: JSONValue?) {
        self.task = task
        self.revision = revision
        self.feedback = feedback
    }
}

/// What an agent's review is asked to judge.
public struct ReviewRequest: Hashable, Codable, Sendable {
    /// The run's task.
    public var task: JSONValue
    /// The current revision, from 0.
    public var revision: Int
    /// The outputs of this revision's steps, in order.
    public var outputs: [JSONValue]

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - task: The run's task.
    ///   - revision: The current revision.
    ///   - outputs: The outputs of this revision's steps.
    public init(task: JSONValue, revision: Int, outputs: [JSONValue]) {
        self.task = task
        self.revision = revision
        self.outputs = outputs
    }
}

/// The verdict of REVIEW: accept with an output, send back to PLAN with feedback, or reject.
public enum ReviewDecision: Hashable, Codable, Sendable {
    /// Accept; the run's final output is `output`, or the last step's output when `nil`.
    case accept(output: JSONValue?)
    /// Go back to PLAN with `feedback`; bounded by `StrictPolicy.maxRevisions`.
    case revise(feedback: JSONValue)
    /// Reject the work; the run ends with stop reason "rejected" and `reason`.
    case reject(reason: String)

    /// Accept, with the last step's output as the final output.
    public static var accept: ReviewDecision { .accept(output: nil) }
}
