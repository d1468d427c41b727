public import AgentAdapters
@_spi(Internals) public import AgentPolicy

/// A journaled graph run could not be started, resumed or replayed.
public enum DurableGraphError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The graph is invalid, names an unknown agent or a capability nobody offers, or a node id cannot name a node
    /// journal: fix the graph; nothing ran.
    case invalidGraph(OrchestrationError)
    /// The graph journal or a node journal could not be read, written, resumed or replayed (a divergence names the
    /// node journal and its first differing entry): see the error's code and message.
    case journal(DurableRunError)

    /// The underlying error's description.
    public var description: String {
        switch self {
        case .invalidGraph(let error): "DurableGraphError.invalidGraph: \(error)"
        case .journal(let error): "DurableGraphError.journal: \(error)"
        }
    }
}

extension Orchestrator {
    /// Runs a graph of agents and journals it; if the journal already has entries, resumes it instead.
    ///
    /// The graph journal records the graph's decisions, each with the graph clock's reading: its start (execution
    /// id, task, policy, metadata, nodes), each node attempt's start and end, retry delays, each node's settled
    /// status (skipped nodes included), slot waits and the end. Each node attempt's agent run keeps its own journal,
    /// `<journal id>.<node id>.<attempt>` in the same store, journaled as
    /// ``run(_:task:policy:journal:metadata:sharedBudget:)`` journals a single run. The report's
    /// ``AgentGraphReport/journalHeadHash`` pins the graph journal, whose `nodeAttemptFinished` entries pin the
    /// node journals.
    ///
    /// When the journal has entries this is ``resume(_:journal:configuration:registry:sharedBudget:)``, and a
    /// `policy` other than the journaled one is refused with ``DurableRunError/Code/policyMismatch``.
    ///
    /// - Parameters:
    ///   - graph: The graph.
    ///   - task: The run's task.
    ///   - policy: The run-level policy.
    ///   - journal: Where the graph journal lives; node journals go in the same store.
    ///   - configuration: Scheduling settings (not journaled: pass the same ones on resume).
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others, if any.
    ///   - metadata: Values passed unchanged to every node's agent context.
    /// - Returns: The graph report.
    /// - Throws: ``DurableGraphError``: an invalid graph (before anything runs), or a journal that cannot be read,
    ///   written or resumed.
    @concurrent
    public nonisolated func run(
        _ graph: AgentGraph,
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        journal: RunJournal,
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:]
    ) async throws(DurableGraphError) -> AgentGraphReport {
        try await runJournaled(
            graph,
            task: task,
            policy: policy,
            journal: journal,
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget,
            metadata: metadata,
            deadline: nil
        )
    }

    /// ``run(_:task:policy:journal:configuration:registry:sharedBudget:metadata:)`` bounded also by an enclosing
    /// `deadline` on the orchestrator's clock (a workflow's graph task runs under the workflow's deadline).
    nonisolated func runJournaled(
        _ graph: AgentGraph,
        task: JSONValue,
        policy: StrictPolicy,
        journal: RunJournal,
        configuration: GraphConfiguration,
        registry: AgentRegistry,
        sharedBudget: SharedBudget?,
        metadata: [String: JSONValue],
        deadline: Duration?
    ) async throws(DurableGraphError) -> AgentGraphReport {
        let policyJSON = RunJournalEntry.encode(policy)
        let policyHash = SHA256.hash(policyJSON.canonicalJSONBytes()).description
        let loaded: (chain: JournalChain, entries: [GraphJournalEntry])
        do { loaded = try await Self.loadGraph(journal) } catch { throw .journal(error) }
        if let first = loaded.entries.first {
            guard first.string("policyHash") == policyHash else {
                throw .journal(
                    DurableRunError(
                        code: .policyMismatch,
                        journal: journal.id,
                        position: 0,
                        expected: first.string("policyHash"),
                        got: policyHash,
                        message: "the graph journal was written under another policy; a resume uses the journaled "
                            + "policy: pass the same policy"
                    )
                )
            }
            if let mismatch = DurableRunError.startMismatch(
                journal: journal.id,
                journaledTask: first.fields["task"],
                task: task
            ) {
                throw .journal(mismatch)
            }
            return try await continueGraph(
                graph,
                loaded,
                journal: journal,
                isReplay: false,
                configuration: configuration,
                registry: registry,
                sharedBudget: sharedBudget,
                deadline: deadline
            )
        }
        try validateNodeJournals(graph, journal: journal)
        let start = GraphJournalEntry(
            .graphStarted,
            at: .zero,
            node: nil,
            attempt: nil,
            [
                "executionID": .string(ids.next()), "task": task, "policy": policyJSON,
                "policyHash": .string(policyHash), "metadata": .object(metadata),
                "nodes": .array(graph.nodes.map { .string($0.id) }),
            ]
        )
        var chain = loaded.chain
        do {
            let record = try chain.append(start.jsonValue)
            try await journal.store.append([record], to: journal.id, durability: .immediate)
        } catch {
            throw .journal(
                DurableRunError(code: .storeFailed, journal: journal.id, message: "cannot start the journal: \(error)")
            )
        }
        return try await continueGraph(
            graph,
            (chain, [start]),
            journal: journal,
            isReplay: false,
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget,
            deadline: deadline
        )
    }

    /// Continues a journaled graph whose process died: node attempts whose runs ended are fed back from their
    /// node journals (no tool, model or agent step runs again), unfinished ones resume from theirs, the rest run
    /// live; the report equals the uninterrupted run's. ``shutdown()`` is never journaled: an attempt whose run an
    /// earlier process's shutdown ended is fed back and goes on, as the same attempt, in `<node journal>.r2` (then
    /// `.r3`, ...).
    ///
    /// The journaled task, policy, metadata and execution id win. The graph's clock continues from the last
    /// journaled reading; the run-level ledger is rebuilt from the node journals. A node run paused awaiting
    /// approval stays paused (the graph pauses again once nothing else can run): continue it with
    /// ``resume(_:journal:approving:configuration:registry:sharedBudget:)`` or
    /// ``resume(_:journal:denying:reason:configuration:registry:sharedBudget:)``.
    ///
    /// - Parameters:
    ///   - graph: The graph, the same nodes and agent code that wrote the journal.
    ///   - journal: The graph journal.
    ///   - configuration: The scheduling settings the run used.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others; the journaled consumption is reserved again.
    /// - Returns: The graph report.
    /// - Throws: ``DurableGraphError``: an invalid graph, an empty, corrupt or newer journal, a node whose agent
    ///   code diverged from its journal, or a store failure.
    @concurrent
    public nonisolated func resume(
        _ graph: AgentGraph,
        journal: RunJournal,
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableGraphError) -> AgentGraphReport {
        let loaded: (chain: JournalChain, entries: [GraphJournalEntry])
        do { loaded = try await Self.loadGraph(journal) } catch { throw .journal(error) }
        return try await continueGraph(
            graph,
            loaded,
            journal: journal,
            isReplay: false,
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget
        )
    }

    /// Runs the graph's agent code again with every journaled input fed back, calling no tool and no model, and
    /// returns the report, byte-identical to the recorded run's.
    ///
    /// Nothing is written. A node attempt the graph journal does not hold, or a node whose agent code now asks for
    /// something else than its node journal recorded, stops the replay with ``DurableRunError/Code/divergence``.
    ///
    /// - Parameters:
    ///   - graph: The graph code to check against the journal.
    ///   - journal: The graph journal.
    ///   - configuration: The scheduling settings the run used.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    /// - Returns: The report the journal describes.
    /// - Throws: ``DurableGraphError``.
    @concurrent
    public nonisolated func replay(
        _ graph: AgentGraph,
        journal: RunJournal,
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry()
    ) async throws(DurableGraphError) -> AgentGraphReport {
        let loaded: (chain: JournalChain, entries: [GraphJournalEntry])
        do { loaded = try await Self.loadGraph(journal) } catch { throw .journal(error) }
        return try await continueGraph(
            graph,
            loaded,
            journal: journal,
            isReplay: true,
            configuration: configuration,
            registry: registry,
            sharedBudget: nil
        )
    }

    /// Refuses node ids that cannot name a node journal.
    nonisolated func validateNodeJournals(
        _ graph: AgentGraph,
        journal: RunJournal
    ) throws(DurableGraphError) {
        let bad = graph.nodes.filter { JournalID(rawValue: "\(journal.id.rawValue).\($0.id).1") == nil }.map(\.id)
        guard bad.isEmpty else {
            throw .invalidGraph(
                OrchestrationError(
                    code: .invalidGraph,
                    nodes: bad,
                    message: "node ids \(bad) cannot name node journals '\(journal.id.rawValue).<node>.<attempt>': "
                        + "use letters, digits, '-', '_' and '.' (at most 200 bytes in all)"
                )
            )
        }
    }

    /// Runs a graph against its journal: resume or replay.
    nonisolated func continueGraph(
        _ graph: AgentGraph,
        _ loaded: (chain: JournalChain, entries: [GraphJournalEntry]),
        journal: RunJournal,
        isReplay: Bool,
        decision: ApprovalDecision? = nil,
        configuration: GraphConfiguration,
        registry: AgentRegistry,
        sharedBudget: SharedBudget?,
        deadline: Duration? = nil
    ) async throws(DurableGraphError) -> AgentGraphReport {
        guard let first = loaded.entries.first, first.kind == .graphStarted else {
            throw .journal(
                DurableRunError(
                    code: .emptyJournal,
                    journal: journal.id,
                    message: "the journal holds no graph run: start one with "
                        + "run(_:task:policy:journal:configuration:registry:sharedBudget:metadata:)"
                )
            )
        }
        let policy: StrictPolicy
        do {
            policy = try JSONValueDecoder().decode(StrictPolicy.self, from: first.fields["policy"] ?? .null)
        } catch {
            throw .journal(
                DurableRunError(
                    code: .corruptJournal,
                    journal: journal.id,
                    position: 0,
                    message: "graphStarted entry field 'policy': \(error)"
                )
            )
        }
        try validateNodeJournals(graph, journal: journal)
        let plans: [String: NodePlan]
        do {
            plans = try prepare(graph, policy: policy, configuration: configuration, registry: registry)
        } catch {
            throw .invalidGraph(error)
        }
        var metadata: [String: JSONValue] = [:]
        if case .object(let members)? = first.fields["metadata"] { metadata = members }
        let resumedAt = await GraphRecorder.resumedAt(loaded.entries) { node, attempt in
            guard let id = JournalID(rawValue: "\(journal.id.rawValue).\(node).\(attempt)") else { return nil }
            return try? await Self.load(RunJournal(store: journal.store, id: id)).entries.last?.at
        }
        let recorder = GraphRecorder(
            journal: journal,
            entries: loaded.entries,
            chain: loaded.chain,
            isReplay: isReplay,
            resumedAt: resumedAt,
            decision: decision,
            time: time,
            isShuttingDown: { [runs, workflows] in
                !runs.withLock { $0.acceptsRuns } || workflows.withLock(\.isShuttingDown)
            }
        )
        let events = GraphEventEmitter(
            executionID: first.string("executionID") ?? "",
            metadata: metadata,
            route: EventRoute(hub: hub, listeners: []),
            time: time
        )
        let report: AgentGraphReport
        do {
            report = try await runGraph(
                graph,
                plans: plans,
                task: first.fields["task"] ?? .null,
                policy: policy,
                configuration: configuration,
                sharedBudget: sharedBudget,
                events: events,
                durable: recorder,
                deadline: deadline
            )
        } catch {
            throw .invalidGraph(error)
        }
        if let failure = recorder.failure { throw .journal(failure) }
        return report
    }
}
