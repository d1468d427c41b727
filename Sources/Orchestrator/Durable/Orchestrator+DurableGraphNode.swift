import AgentAdapters
@_spi(Internals) import AgentPolicy

/// What a journaled graph's node attempt runs with.
struct DurableNodeRun: Sendable {
    /// The node run's execution id, derived from the graph's: `<graph execution id>.<node id>.<attempt>`.
    var executionID: String
    var node: String
    var attempt: Int
    var task: JSONValue
    var policy: StrictPolicy
    var sharedBudget: SharedBudget
    var metadata: [String: JSONValue]
    var deadline: Duration
    var route: EventRoute
}

extension Orchestrator {
    /// Runs one attempt of a journaled graph's node in its node journal: live when the journal is empty, fed from
    /// it when not (a run that had ended gives its report again, nothing executed), replayed in a replay. A run an
    /// earlier process's shutdown ended is fed back and the attempt goes on in `<node journal>.r2` (then `.r3`,
    /// ...); an attempt that ends while this process shuts down records no end (nothing the shutdown causes is
    /// journaled).
    ///
    /// Returns `nil` after recording a failure in `graph` (a divergence, a journal that cannot be read): the
    /// graph stops.
    nonisolated func performDurableNode(
        _ agent: some Agent,
        _ run: DurableNodeRun,
        graph: GraphRecorder
    ) async -> ExecutionReport? {
        guard let first = graph.nodeJournal(run.node, attempt: run.attempt) else {
            graph.fail(
                DurableRunError(
                    code: .unsupported,
                    journal: graph.journal.id,
                    message: "node '\(run.node)' attempt \(run.attempt) cannot name a node journal"
                )
            )
            return nil
        }
        if graph.isReplay, !graph.holds(.nodeStarted, node: run.node, attempt: run.attempt) {
            graph.fail(
                DurableRunError(
                    code: .divergence,
                    journal: graph.journal.id,
                    expected: "no attempt \(run.attempt) of node '\(run.node)'",
                    got: "attempt \(run.attempt) of node '\(run.node)' by agent '\(agent.name)'",
                    message: "the graph asked for a node attempt its journal does not hold: the graph or its agents "
                        + "changed since the journal was written"
                )
            )
            return nil
        }
        graph.recordStart(node: run.node, attempt: run.attempt, agent: agent.name)
        await graph.flush()
        var journal = first
        var report: ExecutionReport
        var continuation = 1
        while true {
            switch await performInRunJournal(
                agent,
                run,
                journal: journal,
                isReplay: graph.isReplay,
                decision: graph.decision(for: journal.id)
            ) {
            case .success(let ended): report = ended
            case .failure(let failure):
                graph.fail(failure)
                return nil
            }
            // An earlier process's shutdown ended this run (the shutdown is never journaled, so the graph journal
            // pins no end of it): it has been fed back, charging what it used, and the attempt goes on in
            // `<node journal>.r2` (then `.r3`, ...), the same attempt (a shutdown is no retry).
            // A replay continues only where the journal pins another end; a resume does not while this process
            // is shutting down itself.
            let pinned = graph.pinnedHead(node: run.node, attempt: run.attempt)
            guard Self.shutdownEnded(report, pinned: pinned),
                graph.isReplay
                    ? pinned != nil : runs.withLock({ $0.acceptsRuns }) && !workflows.withLock(\.isShuttingDown)
            else { break }
            continuation += 1
            guard let next = JournalID(rawValue: "\(first.id.rawValue).r\(continuation)") else {
                graph.fail(
                    DurableRunError(
                        code: .unsupported,
                        journal: graph.journal.id,
                        message: "node '\(run.node)' attempt \(run.attempt) cannot name its continued journal "
                            + "'\(first.id.rawValue).r\(continuation)'"
                    )
                )
                return nil
            }
            journal = RunJournal(store: first.store, id: next)
        }
        // Paused awaiting approval: the attempt has not ended; a resume continues it in its node journal.
        if report.status == .awaitingApproval { return report }
        // Node ends reach the executor in the journaled order (a resume or replay re-takes the journaled decisions).
        await graph.awaitTurn(node: run.node, attempt: run.attempt)
        graph.record(
            .nodeAttemptFinished,
            node: run.node,
            attempt: run.attempt,
            [
                "stopReason": RunJournalEntry.encode(report.stopReason),
                "journalHeadHash": .string(report.journalHeadHash?.description ?? ""),
            ]
        )
        await graph.flush()
        return report
    }

    /// Whether a node run's report is one an earlier process's shutdown ended, not an end the graph took: it
    /// stopped `shutdown`, or `cancelled` while this node's task is not (the driver of a workflow running the graph
    /// cancels it when it takes the shutdown, racing the shutdown's own end of the run), and the graph journal pins
    /// no such end (`pinned` is the head hash its `nodeAttemptFinished` entry pins, if any).
    nonisolated static func shutdownEnded(_ report: ExecutionReport, pinned: String?) -> Bool {
        guard report.stopReason == .shutdown || (report.stopReason == .cancelled && !Task.isCancelled) else {
            return false
        }
        guard let head = report.journalHeadHash?.description else { return false }
        return pinned != head
    }

    /// Runs one agent run in its own journal (a graph's node attempt, a workflow's task run): live when the journal
    /// is empty, fed from it when not (a run that had ended gives its report again, nothing executed; one cut
    /// mid-run continues where its journal ends, re-calling a started-unfinished tool call with the same
    /// idempotency key), replayed in a replay. The journaled identity and policy win over `run`'s.
    ///
    /// The report's ``ExecutionReport/sharedLedger`` is left out: the shared budget as it stood when this run ended
    /// depends on the runs beside it, no input of this one.
    nonisolated func performInRunJournal(
        _ agent: some Agent,
        _ run: DurableNodeRun,
        journal: RunJournal,
        isReplay: Bool,
        decision: ApprovalDecision?
    ) async -> Result<ExecutionReport, DurableRunError> {
        let loaded: (chain: JournalChain, entries: [RunJournalEntry])
        do {
            loaded = try await Self.load(journal)
        } catch {
            return .failure(error)
        }
        let recorder: RunRecorder
        let runtime: RunRuntime
        let start: RunJournalEntry
        if let first = loaded.entries.first {
            let policy: StrictPolicy
            do {
                policy = try first.decode(StrictPolicy.self, "policy")
            } catch {
                return .failure(
                    DurableRunError(code: .corruptJournal, journal: journal.id, position: 0, message: error.message)
                )
            }
            recorder = RunRecorder(
                journal: journal,
                entries: loaded.entries,
                chain: loaded.chain,
                isReplay: isReplay,
                policyHash: SHA256.hash(RunJournalEntry.encode(policy).canonicalJSONBytes()),
                decision: decision
            )
            runtime = makeNodeRuntime(agent, first, policy, run, recorder, resumedAt: loaded.entries.last?.at ?? .zero)
            start = RunJournalEntry(.runStarted, at: .zero)
        } else {
            if isReplay {
                return .failure(
                    DurableRunError(
                        code: .divergence,
                        journal: journal.id,
                        position: 0,
                        expected: "the end of the journal",
                        got: "a run of agent '\(agent.name)'",
                        message: "the node journal is empty: the graph journal and its node journals do not match"
                    )
                )
            }
            let policyJSON = RunJournalEntry.encode(run.policy)
            let policyHash = SHA256.hash(policyJSON.canonicalJSONBytes())
            start = RunJournalEntry(
                .runStarted,
                at: .zero,
                fields: [
                    "executionID": .string(run.executionID), "agentName": .string(agent.name), "task": run.task,
                    "metadata": .object(run.metadata), "policy": policyJSON,
                    "policyHash": .string(policyHash.description),
                ]
            )
            recorder = RunRecorder(
                journal: journal,
                entries: [],
                chain: loaded.chain,
                isReplay: false,
                policyHash: policyHash,
                decision: decision
            )
            runtime = makeNodeRuntime(agent, start, run.policy, run, recorder, resumedAt: .zero)
        }
        var report = await performJournaled(agent, runtime, start: start)
        // The graph budget as it stood when this run ended depends on how far the nodes running beside it had got:
        // no input of this run, so not journaled, and left out (the graph report's ledger has the run's totals).
        report.sharedLedger = nil
        if let failure = recorder.failure { return .failure(failure) }
        return .success(report)
    }

    /// A node attempt's runtime: the journaled identity, with the node's id, the graph's budget and deadline.
    private nonisolated func makeNodeRuntime(
        _ agent: some Agent,
        _ start: RunJournalEntry,
        _ policy: StrictPolicy,
        _ run: DurableNodeRun,
        _ recorder: RunRecorder,
        resumedAt: Nanoseconds
    ) -> RunRuntime {
        var metadata: [String: JSONValue] = [:]
        if case .object(let members)? = start.fields["metadata"] { metadata = members }
        return RunRuntime(
            identity: RunStateMachine.Identity(
                executionID: start.string("executionID") ?? "",
                agentName: start.string("agentName") ?? agent.name,
                nodeID: run.node,
                task: start.fields["task"] ?? .null,
                metadata: metadata
            ),
            policy: policy,
            sharedBudget: run.sharedBudget,
            tools: tools,
            time: time,
            route: run.route,
            deadline: run.deadline,
            recorder: recorder,
            resumedAt: resumedAt
        )
    }
}
