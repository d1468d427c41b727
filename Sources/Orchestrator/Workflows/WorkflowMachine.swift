import AgentAdapters
import AgentPolicy

/// One governed run a state visit asks for: which state, which visit, which branch (for a parallel state).
///
/// In a journaled workflow the key names a task run's own journal (`<workflow journal>.<state>[.<branch>].<visit>`).
struct WorkflowTaskKey: Hashable, Sendable {
    var state: String
    var visit: Int
    var branch: String?
}

/// How a governed run asked for by a state visit ended, as a value (so a journal can record it).
struct WorkflowTaskOutcome: Hashable, Sendable {
    /// The output, when the run succeeded.
    var output: JSONValue?
    /// The run's execution id, if it ran.
    var executionID: String?
    /// The run's stop reason code (or why it did not run).
    var stopReason: String
    /// The error or reason, when it failed.
    var detail: String?
    /// The transitions a sub-workflow took, charged to its parent's count.
    var transitions: Int64 = 0
    /// The agents that held the conversation, when a `ModelAgent` handed it off; empty otherwise.
    var agentChain: [String] = []

    var succeeded: Bool { output != nil }

    static func success(_ output: JSONValue, executionID: String?) -> WorkflowTaskOutcome {
        WorkflowTaskOutcome(output: output, executionID: executionID, stopReason: "completed", detail: nil)
    }

    static func failure(_ stopReason: String, detail: String, executionID: String?) -> WorkflowTaskOutcome {
        WorkflowTaskOutcome(output: nil, executionID: executionID, stopReason: stopReason, detail: detail)
    }
}

/// Where a workflow run stands, as its handle reports it.
public enum WorkflowStatus: Hashable, Sendable {
    /// Not started yet.
    case starting
    /// Running the state named (a task, a parallel state).
    case running(state: String)
    /// Waiting in the state named for a signal or an approval.
    case waiting(state: String, for: WorkflowWaitState.Awaited)
    /// Paused before entering the state named; ``WorkflowHandle/resume()`` enters it.
    case paused(before: String)
    /// Ended.
    case finished(WorkflowStopReason)
}

/// The rules of one workflow run, as a value: its mutating methods take each input (a task's outcome, a signal, an
/// approval, a timer, a pause, a cancellation, each with the clock's reading) and return the effects to perform.
///
/// The machine never runs anything, reads a clock or makes an id, so the same inputs always give the same path,
/// data and report; a journal of its inputs is enough to rebuild it (see `WorkflowRecorder`).
///
/// The machine is split over two files: this one holds its state and its inputs, `WorkflowMachine+Rules.swift`
/// the rules the inputs share (entering and leaving states, joining branches, writing data) and the report. Its
/// stored state is set only by those methods.
struct WorkflowMachine: Sendable {
    /// What the runtime does after an input.
    enum Effect: Hashable, Sendable {
        /// Start a governed run of `performer` on `input`; `transitionsLeft` bounds a sub-workflow's transitions.
        case run(WorkflowTaskKey, WorkflowPerformer, input: JSONValue, transitionsLeft: Int64)
        /// Cancel a governed run started earlier (its outcome, if it comes, is ignored).
        case cancel(WorkflowTaskKey)
        /// Deliver `timerFired(state:visit:)` when the clock reads `at`.
        case startTimer(state: String, visit: Int, at: Nanoseconds)
        /// Forget the timer of that wait.
        case cancelTimer(state: String, visit: Int)
        /// The run ended; make the report.
        case finished
    }

    /// The state being visited and the work it waits on.
    struct Active: Sendable {
        var state: String
        var visit: Int
        /// Runs started and not yet ended, with what they were asked to do.
        var pending: [WorkflowTaskKey: WorkflowPerformer] = [:]
        /// Inputs of pending runs, for a resume to start them again.
        var inputs: [WorkflowTaskKey: JSONValue] = [:]
        /// The transitions each pending run may take (a sub-workflow's share of what is left).
        var allowances: [WorkflowTaskKey: Int64] = [:]
        /// Succeeded branches' outputs, by branch name.
        var branchOutputs: [String: JSONValue] = [:]
        /// Failed branches, in the order they ended.
        var branchFailures: [String] = []
        /// The wait's timer, while it is armed.
        var timerAt: Nanoseconds?
    }

    let definition: WorkflowDefinition
    let predicates: PredicateRegistry
    let maxTransitions: Int64
    let timeout: Duration
    /// The workflow clock's reading at which the deadline passes: the timeout, or earlier for a sub-workflow whose
    /// parent's deadline comes first. An input taken at or after it loses to the deadline (see `deadlineWins`).
    var deadline: Nanoseconds
    var data: JSONValue
    var visits: [String: Int] = [:]
    var transitions: Int64 = 0
    var path: [WorkflowPathEntry] = []
    var active: Active?
    var isPaused = false
    /// The state a pause held back, entered on resume.
    var heldBack: String?
    var stop: WorkflowStopReason?
    var stoppedAt: Nanoseconds?

    init(
        definition: WorkflowDefinition,
        data: JSONValue,
        predicates: PredicateRegistry,
        maxTransitions: Int64,
        timeout: Duration
    ) {
        self.definition = definition
        self.data = data
        self.predicates = predicates
        self.maxTransitions = maxTransitions
        self.timeout = timeout
        self.deadline = Nanoseconds(timeout)
    }

    /// Where the run stands.
    var status: WorkflowStatus {
        if let stop { return .finished(stop) }
        if let heldBack { return .paused(before: heldBack) }
        guard let active else { return .starting }
        if case .wait(let wait)? = definition.states[active.state] {
            return .waiting(state: active.state, for: wait.awaited)
        }
        return .running(state: active.state)
    }

    // MARK: Inputs

    /// Enters the initial state.
    mutating func start(at now: Nanoseconds) -> [Effect] {
        guard stop == nil, active == nil, path.isEmpty else { return [] }
        var effects: [Effect] = []
        enter(definition.initialState, at: now, effects: &effects)
        return effects
    }

    /// A governed run ended.
    mutating func taskFinished(_ key: WorkflowTaskKey, _ outcome: WorkflowTaskOutcome, at now: Nanoseconds) -> [Effect]
    {
        guard stop == nil, var current = active, current.state == key.state, current.visit == key.visit,
            let performer = current.pending.removeValue(forKey: key)
        else { return [] }
        current.inputs[key] = nil
        current.allowances[key] = nil
        active = current
        // A sub-workflow's transitions count against this run's limit (its allowance kept it within what was left).
        transitions += outcome.transitions
        recordRun(key, performer, outcome)
        if now >= deadline { return deadlineReached(at: now) }
        var effects: [Effect] = []
        switch definition.states[key.state] {
        case .task(let task)?:
            guard let output = outcome.output else {
                leave(
                    .failed,
                    "failure",
                    task.onFailure,
                    detail: outcome.detail ?? outcome.stopReason,
                    at: now,
                    effects: &effects
                )
                return effects
            }
            do {
                data = try task.output.setting(output, in: data)
                leave(.succeeded, "ok", task.next, detail: nil, at: now, effects: &effects)
            } catch {
                leave(
                    .failed,
                    "failure",
                    task.onFailure,
                    detail: "the output cannot be written at \(task.output): \(error)",
                    at: now,
                    effects: &effects
                )
            }
        case .parallel(let parallel)?:
            if let output = outcome.output {
                active?.branchOutputs[key.branch ?? ""] = output
            } else {
                active?.branchFailures.append(key.branch ?? "")
            }
            joinBranches(parallel, at: now, effects: &effects)
        default:
            break
        }
        return effects
    }

    /// A signal arrived; returns whether the current state was waiting for it.
    mutating func signal(_ name: String, payload: JSONValue, at now: Nanoseconds) -> (accepted: Bool, effects: [Effect])
    {
        guard stop == nil, let current = active, current.timerAt != nil,
            case .wait(let wait)? = definition.states[current.state], wait.awaited == .signal(name)
        else { return (false, []) }
        var effects: [Effect] = [.cancelTimer(state: current.state, visit: current.visit)]
        active?.timerAt = nil
        write(payload, to: wait.output, wait: wait, at: now, effects: &effects) {
            $0.leave(.signalled, "signal \(name)", wait.next, detail: nil, at: now, effects: &$1)
        }
        return (true, effects)
    }

    /// An approval decision arrived; returns whether the current state was waiting for one.
    mutating func decide(approved: Bool, reason: String?, at now: Nanoseconds) -> (accepted: Bool, effects: [Effect]) {
        guard stop == nil, let current = active, current.timerAt != nil,
            case .wait(let wait)? = definition.states[current.state], case .approval = wait.awaited
        else { return (false, []) }
        var effects: [Effect] = [.cancelTimer(state: current.state, visit: current.visit)]
        active?.timerAt = nil
        var decision: [String: JSONValue] = ["approved": .bool(approved)]
        if let reason { decision["reason"] = .string(reason) }
        write(.object(decision), to: wait.output, wait: wait, at: now, effects: &effects) {
            if approved {
                $0.leave(.approved, "approved", wait.next, detail: nil, at: now, effects: &$1)
            } else {
                $0.leave(.denied, "denied", wait.onDenied, detail: reason, at: now, effects: &$1)
            }
        }
        return (true, effects)
    }

    /// A wait's timer fired.
    mutating func timerFired(state: String, visit: Int, at now: Nanoseconds) -> [Effect] {
        guard stop == nil, let current = active, current.state == state, current.visit == visit,
            current.timerAt != nil, case .wait(let wait)? = definition.states[state]
        else { return [] }
        if now >= deadline { return deadlineReached(at: now) }
        active?.timerAt = nil
        var effects: [Effect] = []
        leave(.timedOut, "timeout", wait.onTimeout, detail: nil, at: now, effects: &effects)
        return effects
    }

    /// The workflow's deadline passed; also taken in place of a task's outcome or a wait's timer that arrives when
    /// the clock reads the deadline or later, so the race between them always ends the same way: the deadline wins.
    mutating func deadlineReached(at now: Nanoseconds) -> [Effect] {
        // A sub-workflow's deadline may be its parent's, which came first.
        let own = deadline >= Nanoseconds(timeout)
        return finish(
            WorkflowStopReason(
                .timedOut,
                state: active?.state ?? heldBack,
                reason: own
                    ? "the workflow's timeout of \(timeout) passed"
                    : "the enclosing workflow's deadline passed (its own timeout is \(timeout))",
                limit: own ? Nanoseconds(timeout).rawValue : deadline.rawValue
            ),
            at: now
        )
    }

    /// Asks the run to pause at the next state boundary; false once it has ended or is paused already.
    mutating func pause() -> Bool {
        guard stop == nil, !isPaused else { return false }
        isPaused = true
        return true
    }

    /// Lifts a pause, entering the state it held back; false when it is not paused.
    mutating func resume(at now: Nanoseconds) -> (accepted: Bool, effects: [Effect]) {
        guard stop == nil, isPaused else { return (false, []) }
        isPaused = false
        var effects: [Effect] = []
        if let target = heldBack {
            heldBack = nil
            enter(target, at: now, effects: &effects)
        }
        return (true, effects)
    }

    /// Cancels the run; false once it has ended (a terminal run cannot be cancelled).
    mutating func cancel(at now: Nanoseconds) -> (accepted: Bool, effects: [Effect]) {
        guard stop == nil else { return (false, []) }
        return (true, finish(WorkflowStopReason(.cancelled, state: active?.state ?? heldBack), at: now))
    }

    /// Ends the run for a reason outside the definition (a journal that cannot be written).
    mutating func abort(_ reason: WorkflowStopReason, at now: Nanoseconds) -> [Effect] {
        finish(reason, at: now)
    }

    /// The work a resumed run must start again: the pending runs and the armed timer of the current visit.
    var outstanding: [Effect] {
        guard stop == nil, let active else { return [] }
        var effects: [Effect] = active.pending.keys.sorted { ($0.branch ?? "") < ($1.branch ?? "") }.map { key in
            .run(
                key,
                active.pending[key]!,
                input: active.inputs[key] ?? .null,
                transitionsLeft: active.allowances[key] ?? transitionsLeft
            )
        }
        if let at = active.timerAt { effects.append(.startTimer(state: active.state, visit: active.visit, at: at)) }
        return effects
    }

    var transitionsLeft: Int64 { max(0, maxTransitions - transitions) }
}
