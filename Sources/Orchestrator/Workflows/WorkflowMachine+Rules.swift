import AgentAdapters
import AgentPolicy

extension WorkflowMachine {
    // MARK: Rules

    /// Enters `target` and every state that resolves at once (decisions, ends, tasks whose input is missing).
    mutating func enter(_ target: String, at now: Nanoseconds, effects: inout [Effect]) {
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
            let allowance = transitionsLeft
            active?.pending[key] = task.performer
            active?.inputs[key] = input
            active?.allowances[key] = allowance
            effects.append(.run(key, task.performer, input: input, transitionsLeft: allowance))
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
            // Sub-workflow branches run at once, so each gets an equal share of the transitions left: together
            // they cannot take more than the run has.
            let subWorkflows = parallel.branches.filter {
                if case .workflow = $0.performer { true } else { false }
            }.count
            let share = transitionsLeft / Int64(max(1, subWorkflows))
            for branch in parallel.branches {
                let key = WorkflowTaskKey(state: target, visit: visit, branch: branch.name)
                if let input = branch.input.value(in: data) {
                    active?.pending[key] = branch.performer
                    active?.inputs[key] = input
                    active?.allowances[key] = share
                    effects.append(.run(key, branch.performer, input: input, transitionsLeft: share))
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
    mutating func joinBranches(_ parallel: WorkflowParallelState, at now: Nanoseconds, effects: inout [Effect]) {
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
            // A sub-workflow cancelled here is not charged: its count never comes back (see Docs/Workflows.md).
            recordCancelled(key, current, detail: "cancelled by the join of \(current.state)")
        }
        active?.pending = [:]
        active?.inputs = [:]
        active?.allowances = [:]
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
    mutating func write(
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
                // A wait has no failure transition: the run ends failed, naming the wait and the path.
                let reason = "the payload cannot be written at \(output): \(error)"
                path[path.count - 1].outcome = .failed
                path[path.count - 1].detail = reason
                effects += finish(WorkflowStopReason(.failed, state: active?.state, reason: reason), at: now)
                return
            }
        }
        continuation(&self, &effects)
    }

    /// Ends the current visit and takes one transition (counted against the policy), or holds it back if paused.
    mutating func leave(
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
    mutating func finish(_ reason: WorkflowStopReason, at now: Nanoseconds) -> [Effect] {
        guard stop == nil else { return [] }
        var effects: [Effect] = []
        if let current = active {
            for key in current.pending.keys.sorted(by: { ($0.branch ?? "") < ($1.branch ?? "") }) {
                effects.append(.cancel(key))
                recordCancelled(key, current, detail: "cancelled when the run stopped: \(reason)")
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

    mutating func recordRun(
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
                detail: outcome.detail,
                agentChain: outcome.agentChain.isEmpty ? nil : outcome.agentChain
            )
        )
    }

    /// Records a pending run the machine cancels (a join decided without it, the run stopped): its outcome will
    /// never be taken, so the report keeps this record of it instead.
    mutating func recordCancelled(_ key: WorkflowTaskKey, _ current: Active, detail: String) {
        guard let performer = current.pending[key] else { return }
        recordRun(key, performer, .failure("cancelled", detail: detail, executionID: nil))
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
