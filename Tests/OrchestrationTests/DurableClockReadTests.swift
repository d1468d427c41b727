import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// Tool calls by idempotency key.
private final class CallLog: Sendable {
    private let state = LockedState<[String]>([])
    func add(_ key: String) { state.withLock { $0.append(key) } }
    var keys: [String] { state.withLock { $0 } }
}

/// A tool that takes 300 ms of the run's (manual) clock.
private func slowTool(_ log: CallLog, clock: ManualClock) -> ClosureTool {
    ClosureTool(name: "work", description: "Takes 300 ms.") { arguments in
        log.add(ToolInvocation.current?.idempotencyKey ?? "none")
        clock.advance(by: .milliseconds(300))
        return ["done": arguments]
    }
}

/// The context property an agent under test branches on.
enum ClockProbe: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case timeRemaining, elapsed

    var testDescription: String { rawValue }

    /// An agent that works while the property says there is time: two calls of 300 ms on a live clock, then
    /// reports the count and its last reading. `extraRead` reads once more before the first call; `callFirst`
    /// calls before its first reading.
    func agent(name: String? = nil, extraRead: Bool = false, callFirst: Bool = false) -> ClosureAgent {
        let property = self
        return ClosureAgent(name: name ?? rawValue) { _, context in
            var calls: Int64 = 0
            if callFirst {
                calls += 1
                _ = try await context.callTool("work", arguments: ["n": .integer(calls)])
            }
            let first = property.read(context)
            if extraRead { _ = property.read(context) }
            while property.hasTime(property.read(context), first: first) {
                calls += 1
                _ = try await context.callTool("work", arguments: ["n": .integer(calls)])
            }
            return ["calls": .integer(calls), "first": .integer(first.ns), "last": .integer(property.read(context).ns)]
        }
    }

    /// Reads the property.
    func read(_ context: AgentContext) -> Duration {
        self == .elapsed ? context.elapsed : context.timeRemaining
    }

    /// timeRemaining: while less than 500 ms of it has gone; elapsed: while under 500 ms.
    func hasTime(_ reading: Duration, first: Duration) -> Bool {
        self == .elapsed ? reading < .milliseconds(500) : reading > first - .milliseconds(500)
    }
}

extension Duration {
    fileprivate var ns: Int64 { Nanoseconds(self).rawValue }
}

private func kinds(_ records: [JournalRecord]) throws -> [String] {
    try records.map { record in
        guard case .string(let kind)? = try JournalChain.readEntry(record)["kind"] else { return "?" }
        return kind
    }
}

@Suite("Durable runs: clock readings are journaled inputs")
struct DurableClockReadTests {
    @Test(
        "a journaled run records each reading and its replay is byte-identical on a clock that reads otherwise",
        arguments: ClockProbe.allCases
    )
    func replayFeedsReadings(_ probe: ClockProbe) async throws {
        let clock = ManualClock()
        let log = CallLog()
        let orchestrator = try makeOrchestrator(tools: [slowTool(log, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "clock")!
        let full = await orchestrator.run(probe.agent(), task: "go", journal: RunJournal(store: store, id: id))
        #expect(full.status == .succeeded)
        // The agent branched on the clock: two calls of 300 ms before the reading passed 500 ms.
        #expect(full.finalOutput?["calls"] == 2)
        let records = store.records(of: id, from: 0)
        let entries = try records.map { try JournalChain.readEntry($0) }
        let reads = entries.filter { $0["kind"] == "clockRead" }
        // The first reading, one per loop test (three), and the last.
        #expect(reads.count == 5)
        #expect(reads.allSatisfy { $0["property"] == .string(probe.rawValue) })
        let readings = reads.map { read -> Int64 in
            let key = probe == .elapsed ? "at" : "remaining"
            guard case .integer(let value)? = read[key] else { return -1 }
            return value
        }
        let ms: Int64 = 1_000_000
        if probe == .elapsed {
            #expect(readings == [0, 0, 300 * ms, 600 * ms, 600 * ms])
        } else {
            let t = readings.first ?? 0
            #expect(readings == [t, t, t - 300 * ms, t - 600 * ms, t - 600 * ms])
            let instants = reads.map { read -> Int64 in
                guard case .integer(let at)? = read["at"] else { return -1 }
                return at
            }
            #expect(instants == [0, 0, 300 * ms, 600 * ms, 600 * ms])
        }
        guard case .verified = JournalChain.verify(records, expectedHeadHash: full.journalHeadHash) else {
            Issue.record("the journal does not verify")
            return
        }
        #expect(try RunJournal.entryKinds(of: records, id: id) == kinds(records))

        // The replay calls no tool, so its clock never moves: every reading must come from the journal.
        let replayClock = ManualClock()
        replayClock.advance(by: .seconds(42))
        let replayLog = CallLog()
        let replayer = try makeOrchestrator(tools: [slowTool(replayLog, clock: replayClock)], clock: replayClock)
        do {
            let replayed = try await replayer.replay(probe.agent(), journal: RunJournal(store: store, id: id))
            #expect(replayed.jsonText() == full.jsonText(), "the replay's report differs: a reading was not fed")
        } catch {
            Issue.record("the replay of a run that read the clock diverged: \(error)")
        }
        #expect(replayLog.keys.isEmpty)
        #expect(store.records(of: id, from: 0).count == records.count)
    }

    @Test(
        "resume from every entry boundary of a run that branches on the clock gives the uninterrupted report",
        arguments: ClockProbe.allCases
    )
    func resumeAtEveryBoundary(_ probe: ClockProbe) async throws {
        let clock = ManualClock()
        let log = CallLog()
        let orchestrator = try makeOrchestrator(tools: [slowTool(log, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "full")!
        let full = await orchestrator.run(probe.agent(), task: "go", journal: RunJournal(store: store, id: id))
        #expect(full.finalOutput?["calls"] == 2)
        let records = store.records(of: id, from: 0)
        let allKinds = try kinds(records)
        for cut in 1..<records.count {
            let resumeClock = ManualClock()
            let resumeLog = CallLog()
            let resumer = try makeOrchestrator(tools: [slowTool(resumeLog, clock: resumeClock)], clock: resumeClock)
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let resumed = try await resumer.resume(probe.agent(), journal: RunJournal(store: cutStore, id: id))
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) entries (\(allKinds[cut - 1]))")
            #expect(try kinds(cutStore.records(of: id, from: 0)) == allKinds, "cut after \(cut) entries")
            let finished = allKinds[..<cut].filter { $0 == "toolCallFinished" }.count
            #expect(resumeLog.keys.count == 2 - finished, "cut after \(cut) entries")
        }
    }

    @Test(
        "a replay whose code reads the clock once more than the journal holds stops at that entry",
        arguments: ClockProbe.allCases
    )
    func oneReadMore(_ probe: ClockProbe) async throws {
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: [slowTool(CallLog(), clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "more")!
        _ = await orchestrator.run(probe.agent(), task: "go", journal: RunJournal(store: store, id: id))
        let allKinds = try kinds(store.records(of: id, from: 0))
        // The extra read comes where the journal holds the first tool call.
        let position = try #require(allKinds.firstIndex(of: "toolCallStarted"))
        let error = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.replay(
                probe.agent(extraRead: true),
                journal: RunJournal(store: store, id: id)
            )
        }
        #expect(error?.code == .divergence)
        #expect(error?.position == position)
        #expect(error?.expected?.contains("toolCallStarted") == true)
        #expect(error?.got?.contains("clockRead") == true)
        #expect(error?.got?.contains(probe.rawValue) == true)
    }

    @Test(
        "a replay whose code reads the clock once less than the journal holds stops at the reading",
        arguments: ClockProbe.allCases
    )
    func oneReadLess(_ probe: ClockProbe) async throws {
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: [slowTool(CallLog(), clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "less")!
        _ = await orchestrator.run(probe.agent(), task: "go", journal: RunJournal(store: store, id: id))
        let allKinds = try kinds(store.records(of: id, from: 0))
        let position = try #require(allKinds.firstIndex(of: "clockRead"))
        let error = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.replay(probe.agent(callFirst: true), journal: RunJournal(store: store, id: id))
        }
        #expect(error?.code == .divergence)
        #expect(error?.position == position)
        #expect(error?.expected?.contains("clockRead") == true)
        #expect(error?.got?.contains("toolCallStarted") == true)
    }

    @Test("a replay that reads the other clock property where the journal holds one diverges at that reading")
    func otherProperty() async throws {
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: [slowTool(CallLog(), clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "other")!
        _ = await orchestrator.run(
            ClockProbe.elapsed.agent(name: "x"),
            task: "go",
            journal: RunJournal(store: store, id: id)
        )
        let position = try #require(try kinds(store.records(of: id, from: 0)).firstIndex(of: "clockRead"))
        let error = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.replay(
                ClockProbe.timeRemaining.agent(name: "x"),
                journal: RunJournal(store: store, id: id)
            )
        }
        #expect(error?.code == .divergence)
        #expect(error?.position == position)
        #expect(error?.expected?.contains("elapsed") == true)
        #expect(error?.got?.contains("timeRemaining") == true)
    }

    @Test("the reader refuses a clockRead entry without its property or reading, naming the position")
    func readerChecksClockReads() throws {
        let id = JournalID(rawValue: "read")!
        let bad: [JSONValue] = [
            ["kind": "clockRead", "at": 1],
            ["kind": "clockRead", "at": 1, "property": "now"],
            ["kind": "clockRead", "at": 1, "property": "timeRemaining"],
        ]
        for entry in bad {
            var chain = JournalChain()
            let good = try chain.append(["kind": "clockRead", "at": 0, "property": "elapsed"])
            let record = try chain.append(entry)
            #expect(try RunJournal.entryKinds(of: [good], id: id) == ["clockRead"])
            let error = #expect(throws: DurableRunError.self) {
                _ = try RunJournal.entryKinds(of: [good, record], id: id)
            }
            #expect(error?.code == .corruptJournal, "\(entry)")
            #expect(error?.position == 1, "\(entry)")
        }
    }

    @Test("a run without a journal reads the live clock, as before", arguments: ClockProbe.allCases)
    func unjournaledReadsLive(_ probe: ClockProbe) async throws {
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: [slowTool(CallLog(), clock: clock)], clock: clock)
        let report = await orchestrator.run(probe.agent(), task: "go")
        #expect(report.status == .succeeded)
        #expect(report.finalOutput?["calls"] == 2)
        let timeout = Nanoseconds(StrictPolicy().timeout).rawValue
        let ms: Int64 = 1_000_000
        #expect(report.finalOutput?["first"] == .integer(probe == .elapsed ? 0 : timeout))
        #expect(report.finalOutput?["last"] == .integer(probe == .elapsed ? 600 * ms : timeout - 600 * ms))

        // Each read is the clock's reading at that moment, the same property read twice included.
        let readings = LockedState<[Duration]>([])
        let watcher = ClosureAgent(name: "watcher") { _, context in
            readings.withLock { $0.append(context.elapsed) }
            readings.withLock { $0.append(context.timeRemaining) }
            clock.advance(by: .milliseconds(250))
            readings.withLock { $0.append(context.elapsed) }
            readings.withLock { $0.append(context.timeRemaining) }
            return "ok"
        }
        _ = await orchestrator.run(watcher, task: "go")
        let seconds = StrictPolicy().timeout
        #expect(
            readings.withLock { $0 } == [.zero, seconds, .milliseconds(250), seconds - .milliseconds(250)]
        )
    }

    @Test("graph node runs journal their clock readings too, and the graph's replay is byte-identical")
    func graphNodes() async throws {
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: [slowTool(CallLog(), clock: clock)], clock: clock)
        var graph = AgentGraph()
        graph.add("a", agent: ClockProbe.timeRemaining.agent())
        graph.add("b", agent: ClockProbe.elapsed.agent(), dependsOn: ["a"])
        let store = InMemoryCheckpointStore()
        let journal = RunJournal(store: store, id: JournalID(rawValue: "g")!)
        let full = try await orchestrator.run(graph, task: "go", journal: journal)
        #expect(full.status == .succeeded)
        for node in ["g.a.1", "g.b.1"] {
            let nodeKinds = try kinds(store.records(of: JournalID(rawValue: node)!, from: 0))
            #expect(nodeKinds.filter { $0 == "clockRead" }.count == 5, "\(node)")
        }
        let replayClock = ManualClock()
        let replayLog = CallLog()
        let replayer = try makeOrchestrator(tools: [slowTool(replayLog, clock: replayClock)], clock: replayClock)
        do {
            let replayed = try await replayer.replay(graph, journal: journal)
            #expect(replayed.jsonText() == full.jsonText(), "the graph replay's report differs")
        } catch {
            Issue.record("the replay of a graph whose nodes read the clock failed: \(error)")
        }
        #expect(replayLog.keys.isEmpty)
    }
}
