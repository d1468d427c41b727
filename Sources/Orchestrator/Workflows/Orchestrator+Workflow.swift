public import AgentAdapters
@_spi(Internals) public import AgentPolicy

extension Orchestrator {
    /// Runs a workflow to its end and returns the report.
    ///
    /// The definition is validated first (against `registry`, the orchestrator's tools and `data`); only that
    /// throws. Each task state runs its performer as a governed run: an agent, a tool or a graph of agents under
    /// `policy`, drawing on one workflow ledger (every run's consumption counts against `policy`'s limits together)
    /// and bounded by one workflow deadline: `policy`'s timeout of active time, a clock that stands still while the
    /// workflow waits (a wait has its own timeout) or is paused. Cycles are bounded by each state's visit cap and
    /// `policy`'s `StrictPolicy.maxWorkflowTransitions`. Cancelling the calling task cancels the workflow.
    ///
    /// - Parameters:
    ///   - workflow: The definition.
    ///   - data: The workflow's initial data.
    ///   - registry: What the definition's agents, sub-workflows and predicates resolve to.
    ///   - policy: The workflow's limits, shared by all its runs.
    ///   - sharedBudget: A budget the workflow shares with other runs.
    ///   - metadata: Values passed unchanged to every run's context.
    /// - Returns: The report.
    /// - Throws: ``WorkflowDefinitionError`` for an invalid definition.
    @concurrent
    public nonisolated func run(
        workflow: WorkflowDefinition,
        data: JSONValue,
        registry: WorkflowRegistry = WorkflowRegistry(),
        policy: StrictPolicy = StrictPolicy(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:]
    ) async throws(WorkflowDefinitionError) -> WorkflowReport {
        let handle = try start(
            workflow: workflow,
            data: data,
            registry: registry,
            policy: policy,
            sharedBudget: sharedBudget,
            metadata: metadata
        )
        return await withTaskCancellationHandler {
            await handle.report
        } onCancel: {
            handle.inbox.send(WorkflowInbox.Message(input: .cancel, reply: nil))
        }
    }

    /// Starts a workflow and returns its handle at once: signal it, approve or deny its approvals, pause, resume or
    /// cancel it, await its report.
    ///
    /// The run proceeds as with ``run(workflow:data:registry:policy:sharedBudget:metadata:)``. It belongs to the
    /// orchestrator, not to the calling task: cancel it with ``WorkflowHandle/cancel()``; ``shutdown()`` ends it.
    ///
    /// With a `journal`, every input the run takes (each task's outcome, each signal and decision, each timer, pause
    /// and cancel) is journaled before it acts, with the definition's version and hash in the first entry; if the
    /// journal already has entries, the run resumes from them instead: the inputs are fed back, no finished task
    /// runs again, and a run that waited for a signal waits again, in the same state, until the deadline journaled
    /// when the wait began (on the configuration's `wallClock`, so time while the process was down counts: a
    /// restart neither extends nor restarts a wait). A journal written for another definition is refused.
    ///
    /// - Parameters:
    ///   - workflow: The definition.
    ///   - data: The workflow's initial data (ignored when resuming: the journal's wins).
    ///   - registry: What the definition's agents, sub-workflows and predicates resolve to.
    ///   - policy: The workflow's limits.
    ///   - sharedBudget: A budget the workflow shares with other runs.
    ///   - metadata: Values passed unchanged to every run's context.
    ///   - journal: Where to journal the run, or resume it from.
    /// - Returns: The handle.
    /// - Throws: ``WorkflowDefinitionError`` for an invalid definition.
    public nonisolated func start(
        workflow: WorkflowDefinition,
        data: JSONValue,
        registry: WorkflowRegistry = WorkflowRegistry(),
        policy: StrictPolicy = StrictPolicy(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:],
        journal: RunJournal? = nil
    ) throws(WorkflowDefinitionError) -> WorkflowHandle {
        // Not `journal == nil ? data : nil`: `JSONValue` is `ExpressibleByNilLiteral` (JSON null), so that `nil` is
        // `.null` and a journaled start would check the data paths against it.
        let initialData: JSONValue? = journal == nil ? .some(data) : .none
        try workflow.validate(registry: registry, tools: tools.names, initialData: initialData)
        let inbox = WorkflowInbox()
        let executionID = ids.next()
        let run = WorkflowRun(
            definition: workflow,
            data: data,
            registry: registry,
            policy: policy,
            budget: SharedBudget(policy.budgetLimits, parent: sharedBudget),
            metadata: metadata,
            executionID: executionID,
            maxTransitions: policy.maxWorkflowTransitions,
            deadline: nil,
            inbox: inbox,
            journal: journal
        )
        let task = Task { @concurrent in await self.drive(run) }
        return WorkflowHandle(inbox: inbox, task: task)
    }
}

extension Orchestrator {
    /// Runs a workflow's driver: feeds the machine its inputs in order, performs the effects it returns, journals
    /// the inputs when asked, and makes the report.
    @concurrent
    nonisolated func drive(_ run: WorkflowRun) async -> WorkflowReport {
        let time = self.time
        let inbox = run.inbox
        // Every driver, a sub-workflow's too, takes the shutdown before the outcome of any run the shutdown ends: a
        // journaled sub-workflow must not take a run the shutdown ended as its task's outcome.
        if !workflows.withLock({ $0.admit(inbox) }) {
            inbox.send(WorkflowInbox.Message(input: .shutdown, reply: nil))
        }
        defer {
            for waiter in workflows.withLock({ $0.retire(inbox) }) { waiter.resume() }
        }
        var machine = WorkflowMachine(
            definition: run.definition,
            data: run.data,
            predicates: run.registry.predicates,
            maxTransitions: run.maxTransitions,
            timeout: run.policy.timeout
        )
        var recorder: WorkflowRecorder?
        var effects: [WorkflowMachine.Effect]
        var resumedAt = Nanoseconds.zero
        // Journaled waits' deadlines on the wall clock, by timer key: a resumed wait ends at its original deadline.
        var waitDeadlines: [String: Duration] = [:]
        let wall = configuration.wallClock
        var executionID = run.executionID
        if let journal = run.journal {
            switch await openWorkflowJournal(journal, run: run) {
            case .resumed(let resumed):
                machine = resumed.machine
                effects = resumed.effects
                recorder = resumed.recorder
                resumedAt = resumed.resumedAt
                waitDeadlines = resumed.waitDeadlines
                executionID = resumed.executionID
            case .refused(let reason):
                inbox.identify(executionID)
                inbox.publish(.finished(reason), final: true)
                var report = machine.report(executionID: executionID, ledger: [], at: .zero)
                report.stopReason = reason
                return report
            }
        } else {
            effects = []
        }
        inbox.identify(executionID)
        // The workflow clock: active time since the run started (continued from the journal when resumed), standing
        // still while the workflow waits or is paused.
        var clock = WorkflowClock(
            origin: time.now() - .nanoseconds(resumedAt.rawValue),
            timeout: run.policy.timeout,
            outerDeadline: run.deadline
        )
        let now = { clock.reading(at: time.now()) }
        // The reading of the last input applied: a stand begins there.
        var lastReading = resumedAt
        machine.deadline = clock.deadlineReading
        if machine.path.isEmpty, machine.stop == nil {
            lastReading = now()
            effects = machine.start(at: lastReading)
        }
        inbox.publish(machine.status)

        var runs: [WorkflowTaskKey: Task<Void, Never>] = [:]
        var timers: [String: Task<Void, Never>] = [:]
        // Cancelled runs and timers, awaited before the report is returned so that no task outlives the run.
        var retired: [Task<Void, Never>] = []
        let armDeadline = { (deadline: Duration?) -> Task<Void, Never>? in
            guard let deadline else { return nil }
            return Task {
                do {
                    try await time.sleepUntil(deadline)
                    inbox.send(WorkflowInbox.Message(input: .deadlineReached, reply: nil))
                } catch {}
            }
        }
        var deadlineTimer = armDeadline(clock.deadline)
        var finished = machine.stop != nil
        // A shutdown ends the runs in flight without journaling it: each goes on from its own journal after a resume,
        // charging what it used then, so what they report back now is not journaled as a charge.
        var endedByShutdown = false
        while true {
            // Before the effects: a task they start gets the deadline as it is once the clock runs again.
            if machine.clockStands ? clock.stand(since: lastReading) : clock.run(at: time.now()) {
                // The clock stopped or started again: the deadline moved.
                if let stale = deadlineTimer {
                    stale.cancel()
                    retired.append(stale)
                }
                deadlineTimer = armDeadline(clock.deadline)
                machine.deadline = clock.deadlineReading
            }
            var journalFailure: WorkflowJournalError?
            for effect in effects {
                switch effect {
                case .run(let key, let performer, let input, let transitionsLeft):
                    // The task's runs draw on the workflow ledger through a budget of their own, which counts what
                    // the task charged: journaled with its outcome, charged again on resume.
                    var taskRun = run
                    taskRun.budget = SharedBudget(.unlimited, parent: run.budget)
                    taskRun.executionID = executionID
                    // Tasks run only while the clock runs, so the deadline is the active-time one.
                    let deadline = clock.deadline ?? clock.origin + clock.timeout
                    runs[key] = Task { @concurrent in
                        let outcome = await self.performWorkflowTask(
                            performer,
                            input: input,
                            key: key,
                            run: taskRun,
                            deadline: deadline,
                            transitionsLeft: transitionsLeft
                        )
                        inbox.send(
                            WorkflowInbox.Message(
                                input: .taskFinished(key, outcome),
                                reply: nil,
                                consumption: taskRun.budget.ledger.consumption
                            )
                        )
                    }
                case .cancel(let key):
                    if let task = runs.removeValue(forKey: key) {
                        task.cancel()
                        retired.append(task)
                    }
                case .startTimer(let state, let visit, let at):
                    let key = WorkflowRecorder.timerKey(state: state, visit: visit)
                    var wakeAt = time.now() + .nanoseconds(at.rawValue - now().rawValue)
                    if let deadline = waitDeadlines[key] {
                        // Resumed: what is left of the journaled deadline, nothing when it has passed.
                        wakeAt = time.now() + max(.zero, deadline - wall.now())
                    } else if let current = recorder {
                        let deadline = wall.now() + (wakeAt - time.now())
                        do throws(WorkflowJournalError) {
                            recorder = try await current.recordWaitDeadline(
                                state: state,
                                visit: visit,
                                deadline: deadline,
                                at: now()
                            )
                            waitDeadlines[key] = deadline
                        } catch {
                            journalFailure = error
                            continue
                        }
                    }
                    timers[key] = Task {
                        do {
                            try await time.sleepUntil(wakeAt)
                            inbox.send(
                                WorkflowInbox.Message(input: .timerFired(state: state, visit: visit), reply: nil)
                            )
                        } catch {}
                    }
                case .cancelTimer(let state, let visit):
                    if let task = timers.removeValue(forKey: WorkflowRecorder.timerKey(state: state, visit: visit)) {
                        task.cancel()
                        retired.append(task)
                    }
                case .finished:
                    finished = true
                }
            }
            if finished { break }
            if let journalFailure {
                // A wait whose deadline the journal cannot hold does not start its timer: the run ends.
                effects = machine.abort(
                    WorkflowStopReason(.journalFailed, reason: journalFailure.description),
                    at: now()
                )
                continue
            }
            inbox.publish(machine.status)
            let message = await inbox.next()
            if case .deadlineReached = message.input, clock.deadline.map({ time.now() < $0 }) ?? true {
                // A timer the clock's stand retired fired first: the deadline has moved since.
                message.reply?.resume(returning: false)
                effects = []
                continue
            }
            let at = now()
            var next = machine
            let (accepted, newEffects) = Self.apply(message.input, to: &next, at: at)
            if let current = recorder {
                do throws(WorkflowJournalError) {
                    if accepted {
                        recorder = try await current.record(message.input, consumption: message.consumption, at: at)
                    } else {
                        recorder = try await current.recordCharge(of: message, at: at)
                    }
                } catch {
                    // The input is not applied: a journal that cannot record it must not fall behind the run.
                    message.reply?.resume(returning: false)
                    effects = machine.abort(WorkflowStopReason(.journalFailed, reason: error.description), at: at)
                    continue
                }
            }
            machine = next
            lastReading = at
            if case .shutdown = message.input, machine.stop != nil { endedByShutdown = true }
            if case .taskFinished(let key, _) = message.input { runs[key] = nil }
            if case .timerFired(let state, let visit) = message.input {
                timers[WorkflowRecorder.timerKey(state: state, visit: visit)] = nil
            }
            message.reply?.resume(returning: accepted)
            effects = newEffects
        }

        deadlineTimer?.cancel()
        for task in runs.values { task.cancel() }
        for task in timers.values { task.cancel() }
        // The run's duration ends here, not after the cancelled tasks have wound down.
        let end = now()
        // Nothing outlives the run: every task it started has ended before the report is made, and what the cancelled
        // ones charged is journaled (a resume charges it again) and in the report's ledger.
        for task in runs.values { await task.value }
        for task in timers.values { await task.value }
        for task in retired { await task.value }
        await deadlineTimer?.value
        var journalFailure: WorkflowJournalError?
        for message in inbox.drain() {
            message.reply?.resume(returning: false)
            guard let current = recorder, journalFailure == nil, !endedByShutdown else { continue }
            do throws(WorkflowJournalError) {
                recorder = try await current.recordCharge(of: message, at: end)
            } catch {
                journalFailure = error
            }
        }
        var report = machine.report(executionID: executionID, ledger: run.budget.ledger.lines, at: end)
        report.journalHeadHash = recorder?.headHash
        if let journalFailure, report.stopReason.kind != .journalFailed {
            // The run ended, but its journal lacks a cancelled run's charge: a resume would spend it again.
            report.stopReason = WorkflowStopReason(.journalFailed, reason: journalFailure.description)
        }
        inbox.publish(machine.status, final: true)
        return report
    }

    /// Feeds one input to the machine; the `Bool` says whether it changed anything a journal must keep.
    static func apply(
        _ input: WorkflowInput,
        to machine: inout WorkflowMachine,
        at now: Nanoseconds
    ) -> (accepted: Bool, effects: [WorkflowMachine.Effect]) {
        switch input {
        case .taskFinished(let key, let outcome):
            let awaited = machine.active?.pending[key] != nil
            return (awaited, machine.taskFinished(key, outcome, at: now))
        case .timerFired(let state, let visit):
            let effects = machine.timerFired(state: state, visit: visit, at: now)
            return (!effects.isEmpty, effects)
        case .deadlineReached:
            let effects = machine.deadlineReached(at: now)
            return (!effects.isEmpty, effects)
        case .signal(let name, let payload):
            return machine.signal(name, payload: payload, at: now)
        case .decision(let approved, let reason):
            return machine.decide(approved: approved, reason: reason, at: now)
        case .pause:
            return (machine.pause(), [])
        case .resume:
            return machine.resume(at: now)
        case .cancel:
            return machine.cancel(at: now)
        case .shutdown:
            // Not accepted for the journal: the run ends here, its journal stays resumable.
            guard machine.stop == nil else { return (false, []) }
            let reason = WorkflowStopReason(
                .cancelled,
                state: machine.active?.state ?? machine.heldBack,
                reason: "the orchestrator shut down"
            )
            return (false, machine.abort(reason, at: now))
        }
    }
}
