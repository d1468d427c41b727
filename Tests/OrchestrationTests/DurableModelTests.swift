import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

/// Tool bodies by idempotency key; with `firstToFinish`, the first batch's two bodies (`n` 1 and 2) finish in a
/// forced order: the other one waits until that one has returned.
private final class Bodies: Sendable {
    private let state = LockedState<[String]>([])
    let firstToFinish: Int?
    let finished = Arrivals()
    init(firstToFinish: Int? = nil) { self.firstToFinish = firstToFinish }
    func add(_ key: String) { state.withLock { $0.append(key) } }
    var keys: [String] { state.withLock { $0 } }

    /// Orders the batch's bodies: the body that must finish second waits for the other, then lets it return.
    func finishInOrder(_ arguments: JSONValue) async {
        guard let first = firstToFinish, arguments == ["n": 1] || arguments == ["n": 2] else { return }
        if arguments == ["n": .integer(Int64(first))] { return }
        await finished.wait(for: 1)
        for _ in 0..<50 { await Task.yield() }
    }

    func bodyReturns(_ arguments: JSONValue) {
        if let first = firstToFinish, arguments == ["n": .integer(Int64(first))] { finished.arrive() }
    }
}

private func workTool(_ bodies: Bodies, clock: ManualClock) -> ClosureTool {
    ClosureTool(name: "work", description: "Does one unit of work.", parameters: .any) { arguments in
        bodies.add(ToolInvocation.current?.idempotencyKey ?? "none")
        await bodies.finishInOrder(arguments)
        defer { bodies.bodyReturns(arguments) }
        // Only the lone call takes time: a batch's bodies run concurrently, so their clock readings would depend
        // on scheduling, in the original run as in a resumed one.
        if arguments == ["n": 3] { clock.advance(by: .milliseconds(3)) }
        return ["done": arguments]
    }
}

/// A model whose answer depends on the conversation so far (not on how often it was asked): a fresh one on resume
/// answers each request as the original did.
private func scriptedModel(final: String = "done") -> ScriptedModel {
    ScriptedModel { _, request in
        switch request.messages.count {
        case 1:
            .toolCalls([
                ModelToolCall(id: "c1", name: "work", arguments: ["n": 1]),
                ModelToolCall(id: "c2", name: "work", arguments: ["n": 2]),
            ])
        case 4: .toolCalls([ModelToolCall(id: "c3", name: "work", arguments: ["n": 3])])
        default: .text(final)
        }
    }
}

private func agent(_ model: ScriptedModel, instructions: String = "Work.") -> ModelAgent<String> {
    ModelAgent(name: "worker", instructions: instructions, model: model, retry: .none)
}

private func kinds(_ records: some Collection<JournalRecord>) throws -> [String] {
    try records.map { record in
        guard case .string(let kind)? = try JournalChain.readEntry(record)["kind"] else { return "?" }
        return kind
    }
}

@Suite("Durable runs: model calls, tool batches, usage")
struct DurableModelTests {
    @Test("a ModelAgent run with a tool batch: kill and resume at every entry boundary never calls twice")
    func modelAgentResumeAtEveryBoundary() async throws {
        try await withWatchdog("resume of a ModelAgent run at every entry boundary", seconds: 60) {
            try await Self.resumeAtEveryBoundary()
        }
    }

    /// The original run's batch bodies finish in reverse call order (c2 before c1), a resumed run's in call order:
    /// if the finishing order leaked into the journal, the resumed head hash would differ.
    private static func resumeAtEveryBoundary() async throws {
        let clock = ManualClock()
        let bodies = Bodies(firstToFinish: 2)
        let model = scriptedModel()
        let orchestrator = try makeOrchestrator(tools: [workTool(bodies, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "m")!
        let full = await orchestrator.run(agent(model), task: "go", journal: RunJournal(store: store, id: id))
        #expect(full.status == .succeeded)
        #expect(full.finalOutput == "done")
        #expect(model.callCount == 3)
        #expect(bodies.keys.count == 3)
        #expect(full.totals.modelCalls == 3)
        let records = store.records(of: id, from: 0)
        let allKinds = try kinds(records)
        #expect(allKinds.filter { $0 == "modelCallFinished" }.count == 3)
        let finishedCalls = try records.compactMap { record -> String? in
            let entry = try JournalChain.readEntry(record)
            guard entry["kind"] == "toolCallFinished", case .string(let id)? = entry["callID"] else { return nil }
            return id
        }
        let startedPositions = allKinds.indices.filter { allKinds[$0] == "toolCallStarted" }.map { "m#\($0)" }
        #expect(finishedCalls == startedPositions, "results in call order though c2 finished first")
        for cut in 1..<records.count {
            let prefix = try kinds(records[..<cut])
            let modelFinished = prefix.filter { $0 == "modelCallFinished" }.count
            let toolsFinished = prefix.filter { $0 == "toolCallFinished" }.count
            let resumeClock = ManualClock()
            // Both batch bodies run again only when neither result is journaled; then force the other order.
            let resumeBodies = Bodies(firstToFinish: toolsFinished == 0 ? 1 : nil)
            let resumeModel = scriptedModel()
            let resumer = try makeOrchestrator(tools: [workTool(resumeBodies, clock: resumeClock)], clock: resumeClock)
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let resumed = try await resumer.resume(agent(resumeModel), journal: RunJournal(store: cutStore, id: id))
            // The head hash included: the batch's results are journaled in call order, not finishing order.
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) entries")
            #expect(resumeModel.callCount == 3 - modelFinished, "a journaled response is never requested again")
            #expect(resumeBodies.keys.count == 3 - toolsFinished, "cut after \(cut) entries")
            #expect(Set(resumeBodies.keys).isSubset(of: Set(bodies.keys)), "same idempotency keys")
        }
    }

    @Test("replay of a ModelAgent run is byte-identical with no model request and no tool body")
    func modelAgentReplay() async throws {
        let clock = ManualClock()
        let bodies = Bodies()
        let model = scriptedModel()
        let orchestrator = try makeOrchestrator(tools: [workTool(bodies, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "r")!
        let full = await orchestrator.run(agent(model), task: "go", journal: RunJournal(store: store, id: id))
        let replayModel = scriptedModel()
        let replayed = try await orchestrator.replay(agent(replayModel), journal: RunJournal(store: store, id: id))
        #expect(replayed.jsonText() == full.jsonText())
        #expect(replayModel.callCount == 0)
        #expect(bodies.keys.count == 3)
    }

    @Test("changed instructions or another model diverge at the model call; a changed script continues live")
    func modelDivergence() async throws {
        let clock = ManualClock()
        let bodies = Bodies()
        let orchestrator = try makeOrchestrator(tools: [workTool(bodies, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "d")!
        let full = await orchestrator.run(agent(scriptedModel()), task: "go", journal: RunJournal(store: store, id: id))
        let records = store.records(of: id, from: 0)
        let firstRequest = try #require(try kinds(records).firstIndex(of: "modelCallRequested"))
        let changed = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.replay(
                agent(scriptedModel(), instructions: "Work harder."),
                journal: RunJournal(store: store, id: id)
            )
        }
        #expect(changed?.code == .divergence)
        #expect(changed?.position == firstRequest)
        #expect(changed?.got?.contains("requestHash") == true)
        let other = ScriptedModel(
            descriptor: ModelDescriptor(name: "other", contextWindowTokens: 128_000),
            turns: [.text("x")]
        )
        let renamed = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.replay(agent(other), journal: RunJournal(store: store, id: id))
        }
        #expect(renamed?.code == .divergence)
        #expect(renamed?.position == firstRequest)
        #expect(other.callCount == 0)
        // A changed script is not code: the journaled answers are fed back, and only unjournaled calls see it.
        let lastRequest = try #require(try kinds(records).lastIndex(of: "modelCallRequested"))
        let cutStore = InMemoryCheckpointStore()
        try cutStore.append(Array(records[...lastRequest]), to: id, durability: .immediate)
        let resumed = try await orchestrator.resume(
            agent(scriptedModel(final: "changed")),
            journal: RunJournal(store: cutStore, id: id)
        )
        #expect(full.finalOutput == "done")
        #expect(resumed.finalOutput == "changed")
    }

    @Test("a failed model call and its retry are journaled; replay calls nothing and matches")
    func retryJournaled() async throws {
        let model = ScriptedModel(turns: [
            .failure(ModelError(code: .overloaded, model: "scripted", retryAfter: .zero, message: "busy")),
            .text("ok"),
        ])
        let retrying = ModelAgent(name: "retry", model: model, retry: .modelCalls)
        let orchestrator = try makeOrchestrator()
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "retry")!
        let full = await orchestrator.run(retrying, task: "go", journal: RunJournal(store: store, id: id))
        #expect(full.status == .succeeded)
        #expect(model.callCount == 2)
        let allKinds = try kinds(store.records(of: id, from: 0))
        #expect(allKinds.contains("modelCallRetrying"))
        let replayModel = ScriptedModel(turns: [.text("never")])
        let replayed = try await orchestrator.replay(
            ModelAgent(name: "retry", model: replayModel, retry: .modelCalls),
            journal: RunJournal(store: store, id: id)
        )
        #expect(replayed.jsonText() == full.jsonText())
        #expect(replayModel.callCount == 0)
    }

    @Test("a crash during a model retry wait: the resume waits only what remains of it on the run's clock")
    func retryWaitAcrossCrash() async throws {
        try await withWatchdog("a model retry wait across a crash", seconds: 30) {
            try await Self.retryWaitAcrossCrash()
        }
    }

    private static func retryWaitAcrossCrash() async throws {
        func busyModel() -> ScriptedModel {
            ScriptedModel(turns: [
                .failure(
                    ModelError(code: .overloaded, model: "scripted", retryAfter: .milliseconds(100), message: "busy")
                ),
                .text("ok"),
            ])
        }
        func retrying(_ model: ScriptedModel) -> ModelAgent<String> {
            ModelAgent(name: "retry", model: model, retry: .modelCalls)
        }
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "wait")!
        async let running = orchestrator.run(
            retrying(busyModel()),
            task: "go",
            journal: RunJournal(store: store, id: id)
        )
        await clock.waitForSleepers(count: 2)  // the run's deadline and the retry's wait
        clock.advance(by: .milliseconds(100))
        let full = await running
        #expect(full.status == .succeeded)
        let records = store.records(of: id, from: 0)
        let entries = try records.map { try JournalChain.readEntry($0) }
        let retry = try #require(entries.firstIndex { $0["kind"] == "modelCallRetrying" })
        #expect(entries[retry]["due"] == .integer(100_000_000), "the wait's due instant is journaled")
        // The process dies 60 ms into the wait, after something else was journaled then (a tool's progress).
        var cut = Array(records[...retry])
        var chain = try JournalChain(continuing: cut)
        cut.append(
            try chain.append(["kind": "toolProgress", "at": 60_000_000, "tool": "probe", "progress": 0.5])
        )
        let cutStore = InMemoryCheckpointStore()
        try cutStore.append(cut, to: id, durability: .immediate)
        let resumeClock = ManualClock()
        let resumer = try makeOrchestrator(clock: resumeClock)
        // The failed attempt is fed back from the journal: the model is asked once, after the wait.
        let model = ScriptedModel(turns: [.text("ok")])
        async let resuming = resumer.resume(retrying(model), journal: RunJournal(store: cutStore, id: id))
        await resumeClock.waitForSleepers(count: 2)
        // 40 ms remain of the wait: the second attempt starts then, at 100 ms on the run's clock, as it did.
        resumeClock.advance(by: .milliseconds(40))
        let resumed = try await resuming
        #expect(resumed.status == .succeeded)
        let attempts = resumed.steps.flatMap(\.modelCalls)
        #expect(attempts.map(\.startNanoseconds) == [0, Nanoseconds(rawValue: 100_000_000)])
        #expect(attempts.map(\.startNanoseconds) == full.steps.flatMap(\.modelCalls).map(\.startNanoseconds))
        #expect(model.callCount == 1)
    }

    @Test("a batch's intents are all stored before any of its bodies runs")
    func batchIntentsBeforeBodies() async throws {
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "batch")!
        let seen = LockedState<[Int]>([])
        let probe = ClosureTool(name: "work", description: "Looks at the journal.", parameters: .any) { _ in
            let started = try kinds(store.records(of: id, from: 0)).filter { $0 == "toolCallStarted" }.count
            seen.withLock { $0.append(started) }
            return "ok"
        }
        let orchestrator = try makeOrchestrator(tools: [probe])
        let report = await orchestrator.run(
            agent(scriptedModel()),
            task: "go",
            journal: RunJournal(store: store, id: id)
        )
        #expect(report.status == .succeeded)
        // The first batch has two calls: both intents are stored before either body looks.
        #expect(seen.withLock { $0 }.prefix(2) == [2, 2])
    }

    @Test("the raw usage API is journaled: resume at every boundary and replay rebuild the ledger exactly")
    func usageJournaled() async throws {
        let usage = ScriptedAgent(
            name: "usage",
            steps: [
                [
                    .useModel(
                        estimate: ModelUsage(inputTokens: 10, outputTokens: 20),
                        actual: ModelUsage(inputTokens: 8)
                    )
                ],
                [.reportUsage(ModelUsage(inputTokens: 5, outputTokens: 5, cost: 3))],
                [.output("ok")],
            ]
        )
        let orchestrator = try makeOrchestrator()
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "u")!
        let full = await orchestrator.run(usage, task: "go", journal: RunJournal(store: store, id: id))
        #expect(full.status == .succeeded)
        #expect(full.totals.usage == ModelUsage(inputTokens: 13, outputTokens: 5, cost: 3))
        let records = store.records(of: id, from: 0)
        let allKinds = try kinds(records)
        #expect(allKinds.contains("usageReserved"))
        #expect(allKinds.filter { $0 == "usageReported" }.count == 2)
        for cut in 1..<records.count {
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let resumed = try await makeOrchestrator().resume(usage, journal: RunJournal(store: cutStore, id: id))
            // The head hash included: the batch's results are journaled in call order, not finishing order.
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) entries")
        }
        let replayed = try await orchestrator.replay(usage, journal: RunJournal(store: store, id: id))
        #expect(replayed.jsonText() == full.jsonText())
    }

    @Test("a call of a batch that needs approval pauses the run before any body of the batch runs")
    func approvalInBatch() async throws {
        let clock = ManualClock()
        let bodies = Bodies()
        let payment = ClosureTool(name: "payments.send", description: "Pays.", parameters: .any) { arguments in
            bodies.add("pay:" + (ToolInvocation.current?.idempotencyKey ?? "none"))
            return arguments
        }
        let model = ScriptedModel { _, request in
            request.messages.count == 1
                ? .toolCalls([
                    ModelToolCall(id: "w", name: "work", arguments: ["n": 1]),
                    ModelToolCall(id: "p", name: "payments.send", arguments: ["amount": 42]),
                ])
                : .text("paid")
        }
        let policy = try StrictPolicy(requiresApproval: ["payments.*"])
        let orchestrator = try makeOrchestrator(tools: [workTool(bodies, clock: clock), payment], clock: clock)
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "pb")!)
        let paused = await orchestrator.run(agent(model), task: "go", policy: policy, journal: journal)
        #expect(paused.status == .awaitingApproval)
        #expect(paused.pendingApproval?.tool == "payments.send")
        #expect(bodies.keys.isEmpty, "no body of the batch runs before the decision")
        let request = try #require(paused.pendingApproval)
        let done = try await orchestrator.resume(agent(model), journal: journal, approving: request)
        #expect(done.status == .succeeded)
        #expect(done.finalOutput == "paid")
        #expect(bodies.keys.count == 2)
        #expect(model.callCount == 2, "the paused call's journaled response is fed back on resume")
    }

    @Test("RunJournal.entryKinds reads a recorded journal and names the first entry it cannot read")
    func publicReader() async throws {
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "read")!
        let orchestrator = try makeOrchestrator(tools: [workTool(Bodies(), clock: ManualClock())])
        _ = await orchestrator.run(agent(scriptedModel()), task: "go", journal: RunJournal(store: store, id: id))
        let records = store.records(of: id, from: 0)
        let read = try RunJournal.entryKinds(of: records, id: id)
        #expect(read == (try kinds(records)))
        #expect(read.contains("modelCallFinished"))
        var chain = JournalChain()
        let bad = try chain.append(["kind": "modelCallFinished", "at": 1, "response": ["text": 3]])
        let error = #expect(throws: DurableRunError.self) { _ = try RunJournal.entryKinds(of: [bad], id: id) }
        #expect(error?.code == .corruptJournal)
        #expect(error?.position == 0)
    }
}
