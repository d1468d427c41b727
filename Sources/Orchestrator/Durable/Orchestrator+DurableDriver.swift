import AgentAdapters
import AgentPolicy

extension Orchestrator {
    /// Starts or resumes a journaled run; never throws (errors end in the report).
    nonisolated func runJournaled(
        _ agent: some Agent,
        start: DurableStart,
        journal: RunJournal,
        sharedBudget: SharedBudget?
    ) async -> ExecutionReport {
        // One look-up of the policy cache for the JSON, the hash and the rendering.
        let encoding = PolicyEncoding.of(start.policy)
        let policyHash = encoding.hash
        do throws(DurableRunError) {
            let loaded = try await Self.load(journal)
            if !loaded.entries.isEmpty {
                if loaded.entries[0].string("policyHash") != encoding.hashText {
                    throw DurableRunError(
                        code: .policyMismatch,
                        journal: journal.id,
                        position: 0,
                        expected: loaded.entries[0].string("policyHash"),
                        got: encoding.hashText,
                        message: "the journal was written under another policy; a resume uses the journaled policy: "
                            + "pass the same policy, or fork the journal to change it"
                    )
                }
                if let mismatch = DurableRunError.startMismatch(
                    journal: journal.id,
                    journaledTask: loaded.entries[0].fields["task"],
                    task: start.task,
                    journaledAgent: loaded.entries[0].string("agentName"),
                    agent: agent.name
                ) {
                    throw mismatch
                }
                // The journal just read is the one resumed: not read and verified a second time.
                return try await continueJournaled(
                    agent,
                    journal: journal,
                    mode: .resume(nil),
                    sharedBudget: sharedBudget,
                    loaded: loaded
                )
            }
            let executionID = ids.next()
            let entry = RunJournalEntry(
                .runStarted,
                at: .zero,
                fields: [
                    "executionID": .string(executionID), "agentName": .string(agent.name), "task": start.task,
                    "metadata": .object(start.metadata), "policy": encoding.json,
                    "policyHash": .string(encoding.hashText),
                ]
            )
            let recorder = RunRecorder(
                journal: journal,
                entries: [],
                chain: loaded.chain,
                isReplay: false,
                policyHash: policyHash,
                decision: nil,
                policyRendering: encoding.rendering
            )
            // The identity as the entry holds it, without reading it back out of the entry's fields.
            let identity = RunStateMachine.Identity(
                executionID: executionID,
                agentName: agent.name,
                nodeID: nil,
                task: start.task,
                metadata: start.metadata
            )
            let runtime = makeJournaledRuntime(identity, start.policy, sharedBudget, recorder, resumedAt: .zero)
            return await performJournaled(agent, runtime, start: entry)
        } catch {
            let runtime = makeRuntime(
                agent,
                task: start.task,
                policy: start.policy,
                sharedBudget: nil,
                metadata: start.metadata,
                nodeID: nil,
                deadline: nil
            )
            let record = ErrorRecord(type: "DurableRunError", message: error.description, code: error.code.rawValue)
            runtime.begin()
            runtime.terminate(.journalFailed(error: record), agentEnded: true)
            runtime.agentWorkEnded()
            return runtime.makeReport()
        }
    }

    /// Resumes or replays a journal: `loaded`, when the caller has just read and verified it, else read here.
    nonisolated func continueJournaled(
        _ agent: some Agent,
        journal: RunJournal,
        mode: DurableMode,
        sharedBudget: SharedBudget?,
        loaded preloaded: (chain: JournalChain, entries: [RunJournalEntry])? = nil
    ) async throws(DurableRunError) -> ExecutionReport {
        let loaded: (chain: JournalChain, entries: [RunJournalEntry])
        if let preloaded { loaded = preloaded } else { loaded = try await Self.load(journal) }
        guard let first = loaded.entries.first, first.kind == .runStarted else {
            throw DurableRunError(
                code: .emptyJournal,
                journal: journal.id,
                message: "the journal holds no run: start one with run(_:task:policy:journal:metadata:sharedBudget:)"
            )
        }
        let policy: StrictPolicy
        do {
            policy = try first.decode(StrictPolicy.self, "policy")
        } catch {
            throw DurableRunError(code: .corruptJournal, journal: journal.id, position: 0, message: error.message)
        }
        let policyHash = RunJournalEntry.policyHash(policy)
        var decision: ApprovalDecision?
        if case .resume(let given) = mode {
            decision = given
            try Self.checkApproval(given, loaded.entries, journal: journal.id)
        }
        let recorder = RunRecorder(
            journal: journal,
            entries: loaded.entries,
            chain: loaded.chain,
            isReplay: { if case .replay = mode { true } else { false } }(),
            policyHash: policyHash,
            decision: decision
        )
        let runtime = makeJournaledRuntime(
            agent,
            first,
            policy,
            sharedBudget,
            recorder,
            resumedAt: loaded.entries.last?.at ?? .zero
        )
        let report = await performJournaled(agent, runtime, start: RunJournalEntry(.runStarted, at: .zero))
        if let failure = recorder.failure {
            // A refused resume keeps nothing of the shared budget: what it re-reserved goes back.
            runtime.budget.giveBackToAncestors()
            if failure.code == .divergence, sharedBudget != nil, failure.got?.contains("policyViolation") == true {
                var refused = failure
                refused.code = .sharedBudgetExceeded
                refused.message = "the shared budget cannot take the run's journaled consumption (\(failure.message))"
                throw refused
            }
            throw failure
        }
        return report
    }

    /// Refuses a decision that does not match the journal's pending call, and a resume without one of a paused run.
    static func checkApproval(
        _ decision: ApprovalDecision?,
        _ entries: [RunJournalEntry],
        journal: JournalID
    ) throws(DurableRunError) {
        let last = entries.last
        let paused = last?.kind == .terminated && last?.string("reasonKind") == "awaitingApproval"
        let pending = paused ? entries.last { $0.kind == .approvalRequested } : nil
        guard let decision else {
            if let pending {
                throw DurableRunError(
                    code: .awaitingApproval,
                    journal: journal,
                    position: entries.count - 1,
                    message: "the run is paused awaiting approval of \(pending.string("tool") ?? "a tool") "
                        + "(\(pending.string("callID") ?? "")): resume it with approving: or denying:"
                )
            }
            return
        }
        guard let pending else {
            throw DurableRunError(
                code: .noPendingApproval,
                journal: journal,
                message: "no call awaits approval in this journal (the decision may be journaled already): "
                    + "resume without a decision"
            )
        }
        let expected =
            "\(pending.string("tool") ?? "") \(pending.string("argumentsHash") ?? "") "
            + "\(pending.string("policyHash") ?? "") \(pending.string("callID") ?? "")"
        let request = decision.request
        let got = "\(request.tool) \(request.argumentsHash) \(request.policyHash) \(request.callID)"
        guard expected == got else {
            throw DurableRunError(
                code: .approvalMismatch,
                journal: journal,
                position: entries.lastIndex { $0.kind == .approvalRequested },
                expected: expected,
                got: got,
                message: "the decision is for another call or policy than the pending one (tool, arguments hash, "
                    + "policy hash, call id): ask for an approval of the pending call"
            )
        }
    }

    nonisolated func makeJournaledRuntime(
        _ agent: some Agent,
        _ start: RunJournalEntry,
        _ policy: StrictPolicy,
        _ sharedBudget: SharedBudget?,
        _ recorder: RunRecorder,
        resumedAt: Nanoseconds
    ) -> RunRuntime {
        var metadata: [String: JSONValue] = [:]
        if case .object(let members)? = start.fields["metadata"] { metadata = members }
        return makeJournaledRuntime(
            RunStateMachine.Identity(
                executionID: start.string("executionID") ?? "",
                agentName: start.string("agentName") ?? agent.name,
                nodeID: nil,
                task: start.fields["task"] ?? .null,
                metadata: metadata
            ),
            policy,
            sharedBudget,
            recorder,
            resumedAt: resumedAt
        )
    }

    /// A journaled run's runtime with the given identity.
    nonisolated func makeJournaledRuntime(
        _ identity: RunStateMachine.Identity,
        _ policy: StrictPolicy,
        _ sharedBudget: SharedBudget?,
        _ recorder: RunRecorder,
        resumedAt: Nanoseconds
    ) -> RunRuntime {
        RunRuntime(
            identity: identity,
            policy: policy,
            sharedBudget: sharedBudget,
            tools: tools,
            time: time,
            route: EventRoute(hub: hub, listeners: []),
            deadline: nil,
            recorder: recorder,
            resumedAt: resumedAt
        )
    }

    /// ``perform(_:_:)`` for a journaled run: journals the start, stores every entry before the report, and puts
    /// the journal's head hash in it.
    @concurrent
    nonisolated func performJournaled(
        _ agent: some Agent,
        _ runtime: RunRuntime,
        start: RunJournalEntry
    ) async -> ExecutionReport {
        var probe = start
        // A new run matches no probe (nothing is fed): its entry is `start`'s fields as they are.
        probe.fields = runtime.recorder?.startsLive == true ? [:] : ["agentName": .string(agent.name)]
        runtime.journaledBegin(probe, live: start.fields)
        let admitted = await admit(runtime)
        if !admitted {
            runtime.terminate(.shutdown, agentEnded: true)
            runtime.agentWorkEnded()
        } else {
            await Self.superviseAgent(agent, runtime, on: agentThreads)
        }
        runtime.finishFeeding()
        await runtime.flushJournal()
        var report = runtime.makeReport()
        report.journalHeadHash = runtime.journalHeadHash
        // A paused run holds nothing of a shared budget: its consumption goes back until it resumes, when the
        // journal re-reserves it.
        if report.status == .awaitingApproval { runtime.budget.giveBackToAncestors() }
        runtime.publishFinished(report)
        if admitted { await retire(runtime) }
        return report
    }

    /// A journal's records, verified, and its entries.
    static func load(
        _ journal: RunJournal
    ) async throws(DurableRunError) -> (chain: JournalChain, entries: [RunJournalEntry]) {
        let records: [JournalRecord]
        do {
            records = try await journal.store.records(of: journal.id, from: 0)
        } catch {
            throw DurableRunError(code: .storeFailed, journal: journal.id, message: "cannot read the journal: \(error)")
        }
        return try await RunJournal.readInParts(records, of: journal.id)
    }

    /// Forks a journal.
    nonisolated func forkJournaled(
        _ agent: some Agent,
        journal: RunJournal,
        at position: Int,
        into: RunJournal,
        policy: StrictPolicy?,
        sharedBudget: SharedBudget?
    ) async throws(DurableRunError) -> ExecutionReport {
        let parent = try await Self.load(journal)
        let target = try await Self.load(into)
        guard position >= 1, position <= parent.entries.count, target.entries.isEmpty else {
            throw DurableRunError(
                code: .invalidFork,
                journal: into.id,
                position: position,
                message: "fork at \(position) of a journal of \(parent.entries.count) entries into a journal of "
                    + "\(target.entries.count): the position must be 1...\(parent.entries.count) and the target empty"
            )
        }
        var first = parent.entries[0]
        if let policy {
            let json = RunJournalEntry.encode(policy)
            first.fields["policy"] = json
            first.fields["policyHash"] = .string(SHA256.hash(json.canonicalJSONBytes()).description)
        }
        var origin = JournalChain()
        for entry in parent.entries[..<position] { _ = try? origin.append(entry.jsonValue) }
        first.fields["executionID"] = .string(ids.next())
        first.fields["forkedFrom"] = [
            "journal": .string(journal.id.rawValue), "position": .integer(Int64(position)),
            "headHash": .string(origin.headHash.description),
        ]
        var chain = JournalChain()
        var records: [JournalRecord] = []
        for entry in [first] + parent.entries[1..<position] {
            guard let record = try? chain.append(entry.jsonValue) else { continue }
            records.append(record)
        }
        do {
            try await into.store.append(records, to: into.id, durability: .immediate)
        } catch {
            throw DurableRunError(code: .storeFailed, journal: into.id, message: "cannot write the fork: \(error)")
        }
        return try await continueJournaled(agent, journal: into, mode: .resume(nil), sharedBudget: sharedBudget)
    }
}
