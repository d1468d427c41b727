import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// Tool calls by idempotency key.
private final class GraphEffects: Sendable {
    private let state = LockedState<[String]>([])
    func add(_ key: String) { state.withLock { $0.append(key) } }
    var keys: [String] { state.withLock { $0 } }
}

/// A store that remembers the order of every append across journals: cutting that log after k records is a
/// process that died after its k-th durable record.
private final class OrderedStore: CheckpointStore {
    let inner = InMemoryCheckpointStore()
    private let log = LockedState<[(JournalID, JournalRecord)]>([])

    var appended: [(JournalID, JournalRecord)] { log.withLock { $0 } }

    func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) throws {
        try inner.append(records, to: journal, durability: durability)
        log.withLock { $0 += records.map { (journal, $0) } }
        if journal == graphID {
            let decisions = records.compactMap { record -> String? in
                guard let members = try? JournalChain.readEntry(record) else { return nil }
                return "\(members["kind"]?.jsonText() ?? "") \(members["node"]?.jsonText() ?? "")"
            }
            graphDecisions.withLock { $0.formUnion(decisions) }
        }
        let ready = waiters.withLock { waiters in
            let ready = waiters.filter { holds($0.kind, node: $0.node) }
            waiters.removeAll { holds($0.kind, node: $0.node) }
            return ready.map(\.continuation)
        }
        for waiter in ready { waiter.resume() }
    }

    private let waiters = LockedState<[(kind: String, node: String, continuation: CheckedContinuation<Void, Never>)]>(
        []
    )

    /// The graph journal's entries as `"<kind>" "<node>"` (JSON texts), each read once as it is appended.
    private let graphDecisions = LockedState<Set<String>>([])

    /// Whether the graph journal holds an entry of `kind` about `node`.
    func holds(_ kind: String, node: String) -> Bool {
        let key = "\(JSONValue.string(kind).jsonText()) \(JSONValue.string(node).jsonText())"
        return graphDecisions.withLock { $0.contains(key) }
    }

    /// Returns once the graph journal holds an entry of `kind` about `node`.
    func wait(for kind: String, node: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = waiters.withLock { waiters in
                if holds(kind, node: node) { return true }
                waiters.append((kind, node, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func records(of journal: JournalID, from position: Int) -> [JournalRecord] {
        inner.records(of: journal, from: position)
    }

    func journals() -> [JournalID] { inner.journals() }
}

private func countingTool(_ effects: GraphEffects) -> ClosureTool {
    ClosureTool(name: "work", description: "Does one unit of work.") { arguments in
        effects.add(ToolInvocation.current?.idempotencyKey ?? "none")
        return ["done": arguments]
    }
}

private func worker(_ name: String, steps: Int = 2) -> ScriptedAgent {
    ScriptedAgent(
        name: name,
        steps: (1...steps).map { n in [.callTool("work", arguments: ["by": .string(name), "n": .integer(Int64(n))])] }
    )
}

/// a → (b, c) → d: one fan-out, one fan-in.
private func diamond(b: ScriptedAgent = worker("b")) -> AgentGraph {
    var graph = AgentGraph()
    graph.add("a", agent: worker("a"))
    graph.add("b", agent: b, dependsOn: ["a"])
    graph.add("c", agent: worker("c", steps: 1), dependsOn: ["a"])
    graph.add("d", agent: worker("d"), dependsOn: ["b", "c"])
    return graph
}

private let serial = Orchestrator.GraphConfiguration(maxConcurrency: 1)

/// The cut points of a journal of `count` records that a resume-at-every-boundary test visits: every one, except
/// in ThreadSanitizer builds (`.ci/run` step 5 defines `AGENT_TSAN_LOCKS`), which run about ten times slower and
/// look for races rather than for the boundary that goes wrong: there every third one, the first and the last
/// two. The plain test run (step 4) covers every boundary.
private func recordBoundaries(_ count: Int) -> [Int] {
    #if AGENT_TSAN_LOCKS
        return Array(Set(Array(stride(from: 0, through: count, by: 3)) + [0, max(0, count - 1), count])).sorted()
    #else
        return Array(0...count)
    #endif
}
private let concurrent = Orchestrator.GraphConfiguration(maxConcurrency: 2)

/// A tool whose calls by `a` and `d` (which run alone) each take 1 ms of the manual clock, and which forces the
/// order in which `b` and `c` (which run together) end: `c` works once `b`'s start is journaled, `b` once the
/// executor has settled `c` (`cSettled`).
private func pacedTool(
    _ effects: GraphEffects,
    store: OrderedStore,
    clock: ManualClock,
    cSettled: Arrivals
) -> ClosureTool {
    ClosureTool(name: "work", description: "Does one unit of work.") { arguments in
        switch arguments["by"] {
        case "c": await store.wait(for: "nodeStarted", node: "b")
        case "b": await cSettled.wait(for: 1)
        default: clock.advance(by: .milliseconds(1))
        }
        effects.add(ToolInvocation.current?.idempotencyKey ?? "none")
        return ["done": arguments]
    }
}

/// Runs (or resumes) the diamond with maxConcurrency 2 on a fresh manual clock, `c` ending before `b`.
private func runPaced(_ store: OrderedStore, effects: GraphEffects) async throws -> AgentGraphReport {
    let clock = ManualClock()
    let cSettled = Arrivals()
    let orchestrator = try makeOrchestrator(
        tools: [pacedTool(effects, store: store, clock: clock, cSettled: cSettled)],
        clock: clock
    )
    let stream = orchestrator.events()
    return try await withThrowingTaskGroup(of: AgentGraphReport?.self) { group in
        group.addTask {
            for await event in stream {
                if event.nodeID == "c", case .nodeFinished = event.kind { cSettled.arrive() }
                if case .graphFinished = event.kind { break }
            }
            return nil
        }
        let report = try await orchestrator.run(
            diamond(),
            task: "go",
            journal: RunJournal(store: store, id: graphID),
            configuration: concurrent
        )
        group.cancelAll()
        return report
    }
}
private let graphID = JournalID(rawValue: "g")!

@Suite("Durable graphs")
struct DurableGraphTests {
    @Test("a journaled graph records its decisions, node runs keep node journals, and the report pins the journal")
    func recordsGraph() async throws {
        let effects = GraphEffects()
        let orchestrator = try makeOrchestrator(tools: [countingTool(effects)])
        let store = InMemoryCheckpointStore()
        let report = try await orchestrator.run(
            diamond(),
            task: "go",
            journal: RunJournal(store: store, id: graphID),
            configuration: serial
        )
        #expect(report.status == .succeeded)
        #expect(effects.keys.count == 7)
        #expect(store.journals().map(\.rawValue) == ["g", "g.a.1", "g.b.1", "g.c.1", "g.d.1"])
        let records = store.records(of: graphID, from: 0)
        guard case .verified(_, let head) = JournalChain.verify(records, expectedHeadHash: report.journalHeadHash)
        else {
            Issue.record("the graph journal does not verify")
            return
        }
        #expect(head == report.journalHeadHash)
        let kinds = try records.map { try JournalChain.readEntry($0)["kind"] }
        #expect(kinds.first == "graphStarted")
        #expect(kinds.last == "graphFinished")
        #expect(kinds.filter { $0 == "nodeAttemptFinished" }.count == 4)
        // Each node's report pins its node journal.
        for node in ["a", "b", "c", "d"] {
            let nodeRecords = store.records(of: JournalID(rawValue: "g.\(node).1")!, from: 0)
            let attempt = try #require(report.node(node)?.attempts.first)
            #expect(JournalChain.verify(nodeRecords, expectedHeadHash: attempt.journalHeadHash).isVerified)
        }
        let decoded = try AgentGraphReport(jsonText: report.jsonText())
        #expect(decoded == report)
    }

    @Test("resume after a crash at every record boundary gives the uninterrupted report; finished work is not redone")
    func resumeAtEveryBoundary() async throws {
        let effects = GraphEffects()
        let orchestrator = try makeOrchestrator(tools: [countingTool(effects)])
        let store = OrderedStore()
        let full = try await orchestrator.run(
            diamond(),
            task: "go",
            journal: RunJournal(store: store, id: graphID),
            configuration: serial
        )
        #expect(full.status == .succeeded)
        let log = store.appended
        #expect(log.count > 30)
        for cut in recordBoundaries(log.count) {
            let cutStore = InMemoryCheckpointStore()
            for (journal, record) in log[..<cut] { try cutStore.append([record], to: journal, durability: .immediate) }
            let resumeEffects = GraphEffects()
            let resumer = try makeOrchestrator(tools: [countingTool(resumeEffects)])
            let resumed = try await resumer.run(
                diamond(),
                task: "go",
                journal: RunJournal(store: cutStore, id: graphID),
                configuration: serial
            )
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) records")
            // A tool call with a journaled result never runs again; one journaled as started runs with its key.
            let prefix = log[..<cut].filter { $0.0 != graphID }
            let finishedCalls = try prefix.filter { try JournalChain.readEntry($0.1)["kind"] == "toolCallFinished" }
            #expect(resumeEffects.keys.count == 7 - finishedCalls.count, "cut after \(cut) records")
            // A node whose run ended before the crash runs nothing again.
            let ended = try log[..<cut].filter { $0.0 == graphID }.compactMap { entry -> String? in
                let members = try JournalChain.readEntry(entry.1)
                guard members["kind"] == "nodeAttemptFinished", case .string(let node)? = members["node"] else {
                    return nil
                }
                return "g.\(node).1#"
            }
            for key in resumeEffects.keys {
                #expect(!ended.contains { key.hasPrefix($0) }, "cut after \(cut): \(key) ran again")
            }
            let records = cutStore.records(of: graphID, from: 0)
            #expect(JournalChain.verify(records, expectedHeadHash: full.journalHeadHash).isVerified)
        }
    }

    @Test("run on a graph journal holding a run of another task is refused with taskMismatch")
    func taskMismatch() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool(GraphEffects())])
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: graphID)
        _ = try await orchestrator.run(diamond(), task: "go", journal: journal, configuration: serial)
        do {
            _ = try await orchestrator.run(diamond(), task: "other", journal: journal, configuration: serial)
            Issue.record("a run of another task resumed the journaled one")
        } catch {
            guard case .journal(let journalError) = error else {
                Issue.record("expected a journal error, got \(error)")
                return
            }
            #expect(journalError.code == .taskMismatch)
            #expect(journalError.expected == #""go""# && journalError.got == #""other""#)
        }
    }

    @Test("replay gives the byte-identical report with no tool called, and stops when a node's agent changed")
    func replay() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool(GraphEffects())])
        let store = InMemoryCheckpointStore()
        let journal = RunJournal(store: store, id: graphID)
        let full = try await orchestrator.run(diamond(), task: "go", journal: journal, configuration: serial)
        let effects = GraphEffects()
        let replayer = try makeOrchestrator(tools: [countingTool(effects)])
        let replayed = try await replayer.replay(diamond(), journal: journal, configuration: serial)
        #expect(replayed.jsonText() == full.jsonText())
        #expect(effects.keys.isEmpty)

        let changed = ScriptedAgent(
            name: "b",
            steps: [[.callTool("work", arguments: ["by": "b", "n": 99])]]
        )
        do {
            _ = try await replayer.replay(diamond(b: changed), journal: journal, configuration: serial)
            Issue.record("a changed agent replayed without a divergence")
        } catch {
            guard case .journal(let failure) = error else {
                Issue.record("expected a journal error, got \(error)")
                return
            }
            #expect(failure.code == .divergence)
            #expect(failure.journal.rawValue == "g.b.1")
            #expect(failure.position != nil)
        }
        #expect(effects.keys.isEmpty)
    }

    @Test("maxConcurrency 2: resume at every record boundary and replay give the uninterrupted report and head")
    func concurrentResumeAndReplay() async throws {
        try await withWatchdog("resume and replay of a concurrent graph", seconds: 120) {
            try await Self.concurrentResume()
        }
    }

    private static func concurrentResume() async throws {
        let effects = GraphEffects()
        let store = OrderedStore()
        let full = try await runPaced(store, effects: effects)
        #expect(full.status == .succeeded)
        #expect(effects.keys.count == 7)
        // The journal says c ended before b, though b was declared (and started) first.
        let graphEntries = try store.records(of: graphID, from: 0).map { try JournalChain.readEntry($0) }
        let ends = graphEntries.filter { $0["kind"] == "nodeAttemptFinished" }.compactMap { $0["node"] }
        #expect(ends == ["a", "c", "b", "d"])
        // The executor's times are the injected clock's: a and d each took 2 ms.
        #expect(full.execution.durationNanoseconds == Nanoseconds(rawValue: 4_000_000))
        #expect(full.execution.nodes.first { $0.id == "d" }?.startNanoseconds == Nanoseconds(rawValue: 2_000_000))
        #expect(full.execution.criticalPath == ["a", "c", "d"], "b and c end together: the later in topological order")

        let replayer = try makeOrchestrator(tools: [countingTool(GraphEffects())])
        let replayed = try await replayer.replay(
            diamond(),
            journal: RunJournal(store: store, id: graphID),
            configuration: concurrent
        )
        #expect(replayed.jsonText() == full.jsonText(), "replay")

        let log = store.appended
        for cut in recordBoundaries(log.count) {
            let cutStore = OrderedStore()
            for (journal, record) in log[..<cut] { try cutStore.append([record], to: journal, durability: .immediate) }
            let resumeEffects = GraphEffects()
            let resumed = try await runPaced(cutStore, effects: resumeEffects)
            // Head hash included: the journal holds the finishing order, and the times are the journal's.
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) records")
            let finishedCalls = try log[..<cut].filter { $0.0 != graphID }
                .filter { try JournalChain.readEntry($0.1)["kind"] == "toolCallFinished" }
            #expect(resumeEffects.keys.count == 7 - finishedCalls.count, "cut after \(cut) records")
            #expect(Set(resumeEffects.keys).isSubset(of: Set(effects.keys)), "same idempotency keys")
        }
    }

    @Test("fork continues a graph live from entry k under another policy; nodes before k are not executed again")
    func fork() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool(GraphEffects())])
        let store = InMemoryCheckpointStore()
        let parent = RunJournal(store: store, id: graphID)
        let full = try await orchestrator.run(diamond(), task: "go", journal: parent, configuration: serial)
        let records = store.records(of: graphID, from: 0)
        let entries = try records.map { try JournalChain.readEntry($0) }
        // Right after node a settled: a is before the fork point, b, c and d after it.
        let k = try #require(entries.firstIndex { $0["kind"] == "nodeSettled" && $0["node"] == "a" }) + 1
        let effects = GraphEffects()
        let forker = try makeOrchestrator(tools: [countingTool(effects)])
        let into = RunJournal(store: store, id: JournalID(rawValue: "gf")!)
        let forked = try await forker.fork(
            diamond(),
            journal: parent,
            at: k,
            into: into,
            policy: StrictPolicy(maxSteps: 20),
            configuration: serial
        )
        #expect(forked.status == .succeeded)
        #expect(forked.output == full.output)
        #expect(forked.ledger.first { $0.budget == "steps" }?.limit == 20, "the new policy")
        // The forked journal verifies and references the parent's head at k.
        let forkRecords = store.records(of: into.id, from: 0)
        #expect(JournalChain.verify(forkRecords, expectedHeadHash: forked.journalHeadHash).isVerified)
        let start = try JournalChain.readEntry(forkRecords[0])
        let parentHead = try JournalChain(continuing: Array(records[..<k])).headHash
        #expect(start["forkedFrom"]?["headHash"] == .string(parentHead.description))
        #expect(start["forkedFrom"]?["journal"] == "g")
        #expect(start["forkedFrom"]?["position"] == .integer(Int64(k)))
        // Node a ran before k: its run is the parent's, fed back; only b, c and d called tools.
        #expect(effects.keys.count == 5)
        #expect(effects.keys.allSatisfy { !$0.hasPrefix("g.a.") && !$0.hasPrefix("gf.a.") })
        #expect(effects.keys.allSatisfy { $0.hasPrefix("gf.") }, "b, c and d ran live in the fork's node journals")
        #expect(!store.journals().contains(JournalID(rawValue: "gf.a.1")!), "a is fed from the parent's journal")
        #expect(forked.node("a")?.attempts == full.node("a")?.attempts)
        // A fork into a journal with entries, or past the parent's end, is refused.
        for (target, position) in [(into, k), (RunJournal(store: store, id: JournalID(rawValue: "gx")!), 999)] {
            do {
                _ = try await forker.fork(diamond(), journal: parent, at: position, into: target, policy: nil)
                Issue.record("an invalid fork ran")
            } catch {
                guard case .journal(let failure) = error else { throw error }
                #expect(failure.code == .invalidFork)
            }
        }
    }

    @Test("a graph journal refuses another policy, and node ids that cannot name a journal")
    func refusals() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool(GraphEffects())])
        let store = InMemoryCheckpointStore()
        let journal = RunJournal(store: store, id: graphID)
        _ = try await orchestrator.run(diamond(), task: "go", journal: journal, configuration: serial)
        await #expect(throws: DurableGraphError.self) {
            _ = try await orchestrator.run(
                diamond(),
                task: "go",
                policy: StrictPolicy(maxSteps: 3),
                journal: journal,
                configuration: serial
            )
        }
        var bad = AgentGraph()
        bad.add("no spaces", agent: worker("x"))
        await #expect(throws: DurableGraphError.self) {
            _ = try await orchestrator.run(
                bad,
                task: "go",
                journal: RunJournal(store: store, id: JournalID(rawValue: "h")!)
            )
        }
        #expect(!store.journals().contains(JournalID(rawValue: "h")!))
    }
}

extension JournalVerification {
    fileprivate var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }
}
