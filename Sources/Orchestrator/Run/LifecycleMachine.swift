package import AgentAdapters

/// The run lifecycle as a value: synchronous events in, the one action to perform out.
///
/// The driver performs the action (calls the agent), then feeds the result back as the next event. Nothing here
/// suspends, so the machine is tested without concurrency. Budgets are not the machine's business: the driver
/// reserves a step before performing ``Action/execute(_:)`` and a revision before feeding a revise decision.
package struct LifecycleMachine: Hashable, Sendable {
    /// What the driver must do next.
    package enum Action: Hashable, Sendable {
        /// Ask the agent for a plan.
        case plan(PlanRequest)
        /// Reserve a step, then ask the agent to execute it.
        case execute(AgentStep)
        /// Ask the agent to review.
        case review(ReviewRequest)
        /// The run is over.
        case terminate(StopReason)
    }

    /// An event the machine was given in a phase that does not accept it.
    package struct IllegalEvent: Error, Hashable, Sendable, CustomStringConvertible {
        /// The phase the machine was in.
        package var phase: LifecyclePhase
        /// The event it was given.
        package var event: String
        /// The phase and the event, in words.
        package var description: String { "event \(event) is not valid in phase \(phase.rawValue)" }
    }

    /// The explicit transition table: which phases each phase may move to.
    package static let transitions: [LifecyclePhase: Set<LifecyclePhase>] = [
        .initial: [.planning, .terminated],
        .planning: [.executing, .reviewing, .terminated],
        .executing: [.executing, .reviewing, .terminated],
        .reviewing: [.planning, .terminated],
        .terminated: [],
    ]

    /// The current phase.
    package private(set) var phase: LifecyclePhase = .initial
    /// The run's task.
    package let task: JSONValue
    /// The current plan revision, from 0.
    package private(set) var revision = 0
    /// The outputs of the current revision's steps.
    package private(set) var outputs: [JSONValue] = []
    /// The number of steps handed out so far, all revisions together.
    package private(set) var stepsStarted = 0
    /// The final output, once REVIEW accepted.
    package private(set) var finalOutput: JSONValue?
    /// The stop reason, once terminated.
    package private(set) var stopReason: StopReason?
    /// The steps not handed out yet, **last first**: the next step is taken from the end, so taking one moves no
    /// other (a plan of n steps was O(n²) to hand out from the front).
    private var pending: [AgentStep] = []

    /// Creates a machine in INIT.
    ///
    /// - Parameter task: The run's task.
    package init(task: JSONValue) { self.task = task }

    /// INIT → PLAN.
    package mutating func start() throws(IllegalEvent) -> Action {
        try move(to: .planning, on: "start", from: .initial)
        return .plan(PlanRequest(task: task, revision: revision, feedback: nil))
    }

    /// PLAN → EXECUTE (or REVIEW for an empty plan).
    package mutating func planReady(_ steps: [AgentStep]) throws(IllegalEvent) -> Action {
        guard phase == .planning else { throw IllegalEvent(phase: phase, event: "planReady") }
        pending = steps.reversed()
        return try nextStepOrReview(on: "planReady")
    }

    /// EXECUTE → EXECUTE (next step) or REVIEW.
    package mutating func stepFinished(_ result: StepResult) throws(IllegalEvent) -> Action {
        guard phase == .executing else { throw IllegalEvent(phase: phase, event: "stepFinished") }
        outputs.append(result.output)
        pending.append(contentsOf: result.followUpSteps.reversed())
        return try nextStepOrReview(on: "stepFinished")
    }

    /// REVIEW → TERMINATE (accept, reject) or PLAN (revise).
    package mutating func reviewed(_ decision: ReviewDecision) throws(IllegalEvent) -> Action {
        guard phase == .reviewing else { throw IllegalEvent(phase: phase, event: "reviewed") }
        switch decision {
        case .accept(let output):
            finalOutput = output ?? outputs.last ?? .null
            return finish(.completed)
        case .reject(let reason):
            return finish(.rejected(reason: reason))
        case .revise(let feedback):
            try move(to: .planning, on: "revise", from: .reviewing)
            revision += 1
            outputs = []
            return .plan(PlanRequest(task: task, revision: revision, feedback: feedback))
        }
    }

    /// Any phase → TERMINATE, unless already there.
    ///
    /// - Returns: `false` if the machine had already terminated (the first reason stands).
    package mutating func terminate(_ reason: StopReason) -> Bool {
        guard phase != .terminated else { return false }
        _ = finish(reason)
        return true
    }

    private mutating func nextStepOrReview(on event: String) throws(IllegalEvent) -> Action {
        guard !pending.isEmpty else {
            try move(to: .reviewing, on: event, from: phase)
            return .review(ReviewRequest(task: task, revision: revision, outputs: outputs))
        }
        try move(to: .executing, on: event, from: phase)
        var step = pending.removeLast()
        step.index = stepsStarted
        step.revision = revision
        stepsStarted += 1
        return .execute(step)
    }

    private mutating func finish(_ reason: StopReason) -> Action {
        phase = .terminated
        stopReason = reason
        pending = []
        return .terminate(reason)
    }

    private mutating func move(
        to next: LifecyclePhase,
        on event: String,
        from expected: LifecyclePhase
    ) throws(IllegalEvent) {
        guard phase == expected, Self.transitions[phase, default: []].contains(next) else {
            throw IllegalEvent(phase: phase, event: event)
        }
        phase = next
    }
}
