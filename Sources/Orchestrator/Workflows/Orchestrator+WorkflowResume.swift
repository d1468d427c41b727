import AgentAdapters
@_spi(Internals) import AgentPolicy

/// A journaled workflow run rebuilt from its journal: the machine after the journaled inputs, what it still has to
/// do, and where the journal continues.
struct ResumedWorkflow: Sendable {
    var machine: WorkflowMachine
    /// The effects still outstanding: the tasks in flight and the timers running when the journal ends.
    var effects: [WorkflowMachine.Effect]
    var recorder: WorkflowRecorder
    var resumedAt: Nanoseconds
    var waitDeadlines: [String: Duration]
    /// The execution id entry 0 journaled: a resumed run keeps its id.
    var executionID: String

    /// Opening a journal gives the rebuilt run, or why it cannot go on.
    enum Opening: Sendable {
        case resumed(ResumedWorkflow)
        case refused(WorkflowStopReason)
    }
}

extension Orchestrator {
    /// Opens a workflow's journal (writing entry 0 into an empty one) and rebuilds the run from it: the workflow
    /// ledger is charged with what the journaled finished tasks consumed, before anything runs, and reserved again
    /// in `run`'s host-shared budget, if any; then the journaled inputs are fed to a fresh machine.
    ///
    /// Returns the stop reason (`invalid`) instead when the journal cannot be opened or belongs to another
    /// definition or policy, or when the host-shared budget cannot take the journaled consumption (nothing of it
    /// stays reserved then).
    nonisolated func openWorkflowJournal(
        _ journal: RunJournal,
        run: WorkflowRun
    ) async -> ResumedWorkflow.Opening {
        let opened: WorkflowRecorder.Opened
        do throws(WorkflowJournalError) {
            opened = try await WorkflowRecorder.open(journal, run: run)
        } catch {
            return .refused(WorkflowStopReason(.invalid, reason: error.description))
        }
        do throws(PolicyViolation) {
            try run.budget.absorb(opened.consumption)
        } catch {
            // A refused resume keeps nothing of the host's budget: what it re-reserved goes back.
            run.budget.giveBackToAncestors()
            return .refused(
                WorkflowStopReason(
                    .invalid,
                    reason: "workflow journal \(journal.id): the shared budget cannot take the workflow's journaled "
                        + "consumption (\(error)): resume with a shared budget that has room for it; nothing stays "
                        + "reserved"
                )
            )
        }
        var machine = WorkflowMachine(
            definition: run.definition,
            data: opened.data,
            predicates: run.registry.predicates,
            maxTransitions: run.maxTransitions,
            timeout: run.policy.timeout
        )
        _ = machine.start(at: .zero)
        for (input, at) in opened.inputs { _ = Self.apply(input, to: &machine, at: at) }
        return .resumed(
            ResumedWorkflow(
                machine: machine,
                effects: machine.stop == nil ? machine.outstanding : [],
                recorder: opened.recorder,
                resumedAt: opened.resumedAt,
                waitDeadlines: opened.waitDeadlines,
                executionID: opened.executionID
            )
        )
    }
}

extension Orchestrator {
    /// The journal of a journaled workflow's task, `<workflow journal>.<node>.<visit>` (the node is the state, or
    /// `<state>.<branch>` for a parallel branch); `nil` when those make no journal id.
    nonisolated func taskJournalID(_ workflowJournal: RunJournal, _ nodeID: String, _ key: WorkflowTaskKey)
        -> JournalID?
    {
        JournalID(rawValue: "\(workflowJournal.id.rawValue).\(nodeID).\(key.visit)")
    }

    /// Runs a journaled workflow's agent or tool task in its own journal, `<workflow journal>.<node>.<visit>` (the
    /// node is the state, or `<state>.<branch>` for a parallel branch), by the path a journaled graph's node attempts
    /// take: a run cut mid-way continues from its journal (a finished tool call is not called again, a started one is
    /// called again with the same idempotency key), a run that had ended gives its report again, except one an
    /// earlier process's shutdown ended: that one continues in `<task journal>.2` (then `.3`, …).
    nonisolated func performJournaledTask(
        _ agent: some Agent,
        _ input: JSONValue,
        _ nodeID: String,
        _ key: WorkflowTaskKey,
        _ run: WorkflowRun,
        _ workflowJournal: RunJournal,
        _ deadline: Duration
    ) async -> Result<ExecutionReport, DurableRunError> {
        let base = "\(workflowJournal.id.rawValue).\(nodeID).\(key.visit)"
        var attempt = 1
        while true {
            guard let id = JournalID(rawValue: attempt == 1 ? base : "\(base).\(attempt)") else {
                return .failure(
                    DurableRunError(
                        code: .unsupported,
                        journal: workflowJournal.id,
                        message: "task \(nodeID) visit \(key.visit) cannot name a task journal"
                    )
                )
            }
            let result = await performInRunJournal(
                agent,
                DurableNodeRun(
                    executionID: "\(run.executionID).\(nodeID).\(key.visit)",
                    node: nodeID,
                    attempt: key.visit,
                    task: input,
                    policy: run.policy,
                    sharedBudget: run.budget,
                    metadata: run.metadata,
                    deadline: deadline,
                    route: EventRoute(hub: hub, listeners: [])
                ),
                journal: RunJournal(store: workflowJournal.store, id: id),
                isReplay: false,
                decision: nil
            )
            // A run an earlier process's shutdown ended is no outcome of the task (the shutdown was never journaled
            // in the workflow): its journal has been fed back, charging what it used, and the task runs on in the
            // next attempt's journal, `<task journal>.<attempt>`.
            // The workflow's driver cancels its runs when it takes the shutdown, racing the shutdown's own end of
            // them, so such a run may have ended `cancelled`: a run fed back as cancelled while this task is not
            // (every journaled cause of a cancel, a join, a stop, the deadline, is an input that would have ended the
            // task in the workflow journal) was ended by a shutdown too.
            guard case .success(let report) = result,
                report.stopReason == .shutdown || (report.stopReason == .cancelled && !Task.isCancelled),
                runs.withLock({ $0.acceptsRuns })
            else {
                return result
            }
            attempt += 1
        }
    }
}
