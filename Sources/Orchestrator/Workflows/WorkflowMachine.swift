import AgentAdapters
import AgentPolicy

/// One governed run a state visit asks for: which state, which visit, which branch (for a parallel state).
///
/// Also the suffix of the run's own journal (`<workflow journal>.<state>.<visit>[.<branch>]`).
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
    private(set) var data: JSONValue
    private(set) var visits: [String: Int] = [:]
    private(set) var transitions: Int64 = 0
    private(set) var path: [WorkflowPathEntry] = []
    private(set) var active: Active?
    private(set) var isPaused = false
    /// The state a pause held back, entered on resume.
    private(set) var heldBack: String?
    private(set) var stop: WorkflowStopReason?
    private(set) var stoppedAt: Nanoseconds?

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
        active = current
        recordRun(key, performer, outcome)
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
        active?.timerAt = nil
        var effects: [Effect] = []
        leave(.timedOut, "timeout", wait.onTimeout, detail: nil, at: now, effects: &effects)
        return effects
    }

    /// The workflow's deadline passed.
    mutating func deadlineReached(at now: Nanoseconds) -> [Effect] {
        finish(
            WorkflowStopReason(
                .timedOut,
                state: active?.state ?? heldBack,
                reason: "the workflow's timeout of \(timeout) passed",
                limit: Nanoseconds(timeout).rawValue
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
            .run(key, active.pending[key]!, input: active.inputs[key] ?? .null, transitionsLeft: transitionsLeft)
        }
        if let at = active.timerAt { effects.append(.startTimer(state: active.state, visit: active.visit, at: at)) }
        return effects
    }

    var transitionsLeft: Int64 { max(0, maxTransitions - transitions) }

    // MARK: Rules

    /// Enters `target` and every state that resolves at once (decisions, ends, tasks whose input is missing).
    private mutating func enter(_ target: String, at now: Nanoseconds, effects: inout [Effect]) {
        guard stop == nil else { return }
        guard let state = definition.states[target] else {
            // Validation rules this out; a definition changed under a journal could still get here.
            effects += finish(WorkflowStopReason(.invalid, state: target, reason: "state is not defined"), at: now)
            return
        }
        let visit = (visits[target] ?? 0) + 1
        let cap = definition.visitCap(of: target)
        guard visit <= cap else {
            effects += finish(
                WorkflowStopReason(
                    .visitCapReached,
                    state: target,
                    reason: "state \"\(target)\" was to be entered a \(visit)th time; its visit cap is \(cap)",
                    limit: Int64(cap)
                ),
                at: now
            )
            return
        }
        visits[target] = visit
        path.append(WorkflowPathEntry(state: target, kind: state.kind, visit: visit, enteredAt: now))
        active = Active(state: target, visit: visit)
        switch state {
        case .task(let task):
            let key = WorkflowTaskKey(state: target, visit: visit, branch: nil)
            guard let input = task.input.value(in: data) else {
                let outcome = WorkflowTaskOutcome.failure(
                    "missingInput",
                    detail: "the data has no value at \(task.input)",
                    executionID: nil
                )
                recordRun(key, task.performer, outcome)
                leave(.failed, "failure", task.onFailure, detail: outcome.detail, at: now, effects: &effects)
                return
            }
            active?.pending[key] = task.performer
            active?.inputs[key] = input
            effects.append(.run(key, task.performer, input: input, transitionsLeft: transitionsLeft))
        case .decision(let decision):
            do throws(ConditionError) {
                for choice in decision.choices where try choice.condition.evaluate(on: data, predicates: predicates) {
                    leave(.chose, choice.condition.description, choice.next, detail: nil, at: now, effects: &effects)
                    return
                }
                leave(.chose, "default", decision.defaultNext, detail: nil, at: now, effects: &effects)
            } catch {
                path[path.count - 1].detail = error.description
                effects += finish(WorkflowStopReason(.failed, state: target, reason: error.description), at: now)
            }
        case .parallel(let parallel):
            for branch in parallel.branches {
                let key = WorkflowTaskKey(state: target, visit: visit, branch: branch.name)
                if let input = branch.input.value(in: data) {
                    active?.pending[key] = branch.performer
                    active?.inputs[key] = input
                    effects.append(.run(key, branch.performer, input: input, transitionsLeft: transitionsLeft))
                } else {
                    recordRun(
                        key,
                        branch.performer,
                        .failure("missingInput", detail: "the data has no value at \(branch.input)", executionID: nil)
                    )
                    active?.branchFailures.append(branch.name)
                }
            }
            joinBranches(parallel, at: now, effects: &effects)
        case .wait(let wait):
            let at = Nanoseconds(rawValue: now.rawValue + Nanoseconds(wait.timeout ?? .zero).rawValue)
            active?.timerAt = at
            effects.append(.startTimer(state: target, visit: visit, at: at))
        case .end(let end):
            path[path.count - 1].outcome = .ended
            switch end.outcome {
            case .succeeded:
                effects += finish(WorkflowStopReason(.succeeded, state: target), at: now)
            case .failed:
                path[path.count - 1].detail = end.reason
                effects += finish(WorkflowStopReason(.failed, state: target, reason: end.reason), at: now)
            }
        }
    }

    /// Decides a parallel state once its join rule can: cancels what is left and leaves the state.
    private mutating func joinBranches(_ parallel: WorkflowParallelState, at now: Nanoseconds, effects: inout [Effect])
    {
        guard let current = active else { return }
        let total = parallel.branches.count
        let succeeded = current.branchOutputs.count
        let failed = current.branchFailures.count
        let decided: Bool?
        switch parallel.join {
        case .all: decided = failed > 0 ? false : (succeeded == total ? true : nil)
        case .any: decided = succeeded + failed == total ? succeeded > 0 : nil
        case .firstSuccess: decided = succeeded > 0 ? true : (failed == total ? false : nil)
        }
        guard let decided else { return }
        for key in current.pending.keys.sorted(by: { ($0.branch ?? "") < ($1.branch ?? "") }) {
            effects.append(.cancel(key))
        }
        active?.pending = [:]
        active?.inputs = [:]
        if decided {
            do {
                data = try parallel.output.setting(.object(current.branchOutputs), in: data)
                leave(
                    .succeeded,
                    "\(parallel.join.rawValue) ok",
                    parallel.next,
                    detail: nil,
                    at: now,
                    effects: &effects
                )
            } catch {
                leave(
                    .failed,
                    "failure",
                    parallel.onFailure,
                    detail: "the output cannot be written at \(parallel.output): \(error)",
                    at: now,
                    effects: &effects
                )
            }
        } else {
            leave(
                .failed,
                "failure",
                parallel.onFailure,
                detail: "branches failed: " + current.branchFailures.joined(separator: ", "),
                at: now,
                effects: &effects
            )
        }
    }

    /// Writes a wait's payload (if it has an output path), then continues; a payload that cannot be written ends
    /// the run as failed, naming the state.
    private mutating func write(
        _ payload: JSONValue,
        to output: JSONPath?,
        wait: WorkflowWaitState,
        at now: Nanoseconds,
        effects: inout [Effect],
        then continuation: (inout WorkflowMachine, inout [Effect]) -> Void
    ) {
        if let output {
            do {
                data = try output.setting(payload, in: data)
            } catch {
                let state = active?.state
                effects += finish(
                    WorkflowStopReason(.failed, state: state, reason: "the payload cannot be written: \(error)"),
                    at: now
                )
                return
            }
        }
        continuation(&self, &effects)
    }

    /// Ends the current visit and takes one transition (counted against the policy), or holds it back if paused.
    private mutating func leave(
        _ outcome: WorkflowStepOutcome,
        _ label: String,
        _ target: String?,
        detail: String?,
        at now: Nanoseconds,
        effects: inout [Effect]
    ) {
        let index = path.count - 1
        path[index].outcome = outcome
        path[index].detail = detail ?? path[index].detail
        guard let target else {
            // Validation requires every transition; a definition built in code without validation still ends safely.
            effects += finish(
                WorkflowStopReason(
                    .failed,
                    state: path[index].state,
                    reason: "no \"\(label)\" transition is defined"
                ),
                at: now
            )
            return
        }
        path[index].transition = label
        path[index].next = target
        active = nil
        guard transitions < maxTransitions else {
            effects += finish(
                WorkflowStopReason(
                    .transitionLimitReached,
                    state: target,
                    reason:
                        "transition \(transitions + 1) to \"\(target)\" exceeds the policy's maxWorkflowTransitions",
                    limit: maxTransitions
                ),
                at: now
            )
            return
        }
        transitions += 1
        if isPaused {
            heldBack = target
            return
        }
        enter(target, at: now, effects: &effects)
    }

    /// Ends the run: cancels pending runs and the timer, and marks the current visit stopped.
    private mutating func finish(_ reason: WorkflowStopReason, at now: Nanoseconds) -> [Effect] {
        guard stop == nil else { return [] }
        var effects: [Effect] = []
        if let current = active {
            for key in current.pending.keys.sorted(by: { ($0.branch ?? "") < ($1.branch ?? "") }) {
                effects.append(.cancel(key))
            }
            if current.timerAt != nil { effects.append(.cancelTimer(state: current.state, visit: current.visit)) }
            if let index = path.indices.last, path[index].outcome == nil {
                path[index].outcome = .stopped
                path[index].detail = path[index].detail ?? reason.description
            }
        }
        active = nil
        heldBack = nil
        stop = reason
        stoppedAt = now
        effects.append(.finished)
        return effects
    }

    private mutating func recordRun(
        _ key: WorkflowTaskKey,
        _ performer: WorkflowPerformer,
        _ outcome: WorkflowTaskOutcome
    ) {
        guard let index = path.lastIndex(where: { $0.state == key.state && $0.visit == key.visit }) else { return }
        path[index].runs.append(
            WorkflowTaskRun(
                branch: key.branch,
                performer: performer.description,
                executionID: outcome.executionID,
                succeeded: outcome.succeeded,
                stopReason: outcome.stopReason,
                detail: outcome.detail
            )
        )
    }

    /// The report, given the run's identity and its ledger.
    func report(executionID: String, ledger: [BudgetLine], at now: Nanoseconds) -> WorkflowReport {
        var summaries: [String: WorkflowStateSummary] = [:]
        for entry in path {
            summaries[entry.state] = WorkflowStateSummary(visits: entry.visit, lastOutcome: entry.outcome)
        }
        return WorkflowReport(
            executionID: executionID,
            workflow: definition.name,
            version: definition.version,
            definitionHash: definition.hash,
            stopReason: stop ?? WorkflowStopReason(.cancelled, reason: "the run did not end"),
            path: path,
            states: summaries,
            finalData: data,
            transitions: Int(transitions),
            ledger: ledger,
            durationNanoseconds: stoppedAt ?? now
        )
    }
}
