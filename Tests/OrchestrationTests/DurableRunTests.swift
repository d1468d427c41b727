import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

/// Tool calls by idempotency key, for counting and for exactly-once checks.
private final class Effects: Sendable {
    private let state = LockedState<[String]>([])
    func add(_ key: String) { state.withLock { $0.append(key) } }
    var keys: [String] { state.withLock { $0 } }
}

private func workTool(_ effects: Effects, clock: ManualClock, name: String = "work") -> ClosureTool {
    ClosureTool(name: name, description: "Does one unit of work.") { arguments in
        effects.add(ToolInvocation.current?.idempotencyKey ?? "none")
        clock.advance(by: .milliseconds(7))
        return ["done": arguments]
    }
}

private let threeSteps = ScriptedAgent(
    name: "worker",
    steps: (1...3).map { n in [.callTool("work", arguments: ["n": .integer(Int64(n))])] }
)

private func journal(_ store: InMemoryCheckpointStore, _ id: String) -> RunJournal {
    RunJournal(store: store, id: JournalID(rawValue: id)!)
}

@Suite("Durable runs")
struct DurableRunTests {
    @Test("a journaled run records every transition, verifies, and pins its head hash")
    func recordsAndVerifies() async throws {
        let clock = ManualClock()
        let effects = Effects()
        let orchestrator = try makeOrchestrator(tools: [workTool(effects, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let report = await orchestrator.run(threeSteps, task: "go", journal: journal(store, "a"))
        #expect(report.status == .succeeded)
        #expect(effects.keys == ["a#4", "a#8", "a#12"].map { "\($0)@\(report.executionID)" })
        let records = store.records(of: JournalID(rawValue: "a")!, from: 0)
        let verification = JournalChain.verify(records, expectedHeadHash: report.journalHeadHash)
        guard case .verified(let count, let head) = verification else {
            Issue.record("journal does not verify: \(verification)")
            return
        }
        #expect(count == records.count)
        #expect(head == report.journalHeadHash)
        let kinds = try records.map { record -> String in
            guard case .string(let kind)? = try JournalChain.readEntry(record)["kind"] else { return "?" }
            return kind
        }
        #expect(kinds.first == "runStarted")
        #expect(kinds.filter { $0 == "toolCallStarted" }.count == 3)
        #expect(kinds.filter { $0 == "toolCallFinished" }.count == 3)
    }

    @Test("kill and resume at every entry boundary gives the uninterrupted report and never re-runs a finished call")
    func resumeAtEveryBoundary() async throws {
        let clock = ManualClock()
        let effects = Effects()
        let orchestrator = try makeOrchestrator(tools: [workTool(effects, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let full = await orchestrator.run(threeSteps, task: "go", journal: journal(store, "full"))
        let records = store.records(of: JournalID(rawValue: "full")!, from: 0)
        #expect(records.count > 10)
        for cut in 1..<records.count {
            let resumeClock = ManualClock()
            let resumeEffects = Effects()
            let resumer = try makeOrchestrator(tools: [workTool(resumeEffects, clock: resumeClock)], clock: resumeClock)
            let cutStore = InMemoryCheckpointStore()
            let id = JournalID(rawValue: "full")!
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let resumed = try await resumer.resume(threeSteps, journal: RunJournal(store: cutStore, id: id))
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) entries")
            // Only calls without a journaled result run again, with the key of their journaled intent.
            let prefixKinds = try records[..<cut].map { try JournalChain.readEntry($0)["kind"] }
            let finished = prefixKinds.filter { $0 == "toolCallFinished" }.count
            #expect(resumeEffects.keys.count == 3 - finished, "cut after \(cut) entries")
            #expect(Set(resumeEffects.keys).isSubset(of: Set(effects.keys)), "cut after \(cut) entries")
        }
    }

    @Test("replay is byte-identical and calls nothing; changed code is a typed divergence naming the entry")
    func replayAndDivergence() async throws {
        let clock = ManualClock()
        let effects = Effects()
        let orchestrator = try makeOrchestrator(tools: [workTool(effects, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let full = await orchestrator.run(threeSteps, task: "go", journal: journal(store, "r"))
        let calls = effects.keys.count
        let replayed = try await orchestrator.replay(threeSteps, journal: journal(store, "r"))
        #expect(replayed.jsonText() == full.jsonText())
        #expect(effects.keys.count == calls)
        let changed = ScriptedAgent(
            name: "worker",
            steps: [
                [.callTool("work", arguments: ["n": 1])], [.callTool("work", arguments: ["n": 99])],
                [.callTool("work", arguments: ["n": 3])],
            ]
        )
        let error = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.replay(changed, journal: journal(store, "r"))
        }
        #expect(error?.code == .divergence)
        #expect(error?.position == 8)
        #expect(error?.got?.contains("99") == true)
        #expect(effects.keys.count == calls)
    }

    @Test("a resume under another policy is refused: fork to change it")
    func policyMismatch() async throws {
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: [workTool(Effects(), clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        _ = await orchestrator.run(threeSteps, task: "go", journal: journal(store, "p"))
        let other = await orchestrator.run(
            threeSteps,
            task: "go",
            policy: try StrictPolicy(maxSteps: 5),
            journal: journal(store, "p")
        )
        guard case .journalFailed(let error) = other.stopReason else {
            Issue.record("expected journalFailed, got \(other.stopReason)")
            return
        }
        #expect(error.code == "policyMismatch")
    }

    @Test("run on a journal holding a run of another task or agent is refused; the same call resumes it")
    func startMismatch() async throws {
        let clock = ManualClock()
        let effects = Effects()
        let orchestrator = try makeOrchestrator(tools: [workTool(effects, clock: clock)], clock: clock)
        let store = InMemoryCheckpointStore()
        let first = await orchestrator.run(threeSteps, task: "go", journal: journal(store, "m"))
        let calls = effects.keys.count
        let otherTask = await orchestrator.run(threeSteps, task: "stop", journal: journal(store, "m"))
        guard case .journalFailed(let taskError) = otherTask.stopReason else {
            Issue.record("expected journalFailed, got \(otherTask.stopReason)")
            return
        }
        #expect(taskError.code == "taskMismatch")
        #expect(taskError.message.contains("\"go\"") && taskError.message.contains("\"stop\""))
        let renamed = ScriptedAgent(name: "other", steps: [])
        let otherAgent = await orchestrator.run(renamed, task: "go", journal: journal(store, "m"))
        guard case .journalFailed(let agentError) = otherAgent.stopReason else {
            Issue.record("expected journalFailed, got \(otherAgent.stopReason)")
            return
        }
        #expect(agentError.code == "agentMismatch")
        let again = await orchestrator.run(threeSteps, task: "go", journal: journal(store, "m"))
        #expect(again.jsonText() == first.jsonText())
        #expect(effects.keys.count == calls, "no tool ran again")
    }

    @Test("two runs in journals of the same id (in two stores) never share an idempotency key")
    func keysAreUniquePerRun() async throws {
        let clock = ManualClock()
        let effects = Effects()
        let orchestrator = try makeOrchestrator(tools: [workTool(effects, clock: clock)], clock: clock)
        let first = await orchestrator.run(threeSteps, task: "go", journal: journal(InMemoryCheckpointStore(), "k"))
        let firstKeys = Set(effects.keys)
        let second = await orchestrator.run(threeSteps, task: "go", journal: journal(InMemoryCheckpointStore(), "k"))
        let secondKeys = Set(effects.keys).subtracting(firstKeys)
        #expect(first.executionID != second.executionID)
        #expect(firstKeys.count == 3 && secondKeys.count == 3, "the second run's keys are all new")
    }

    @Test("a tool call's intent is stored before the tool body runs")
    func intentStoredBeforeBody() async throws {
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "intent")!
        let lastKinds = LockedState<[JSONValue?]>([])
        let probe = ClosureTool(name: "work", description: "Looks at the journal.") { _ in
            let last = store.records(of: id, from: 0).last
            lastKinds.withLock { $0.append(try? last.map { try JournalChain.readEntry($0)["kind"] } ?? nil) }
            return "ok"
        }
        let orchestrator = try makeOrchestrator(tools: [probe])
        let report = await orchestrator.run(threeSteps, task: "go", journal: RunJournal(store: store, id: id))
        #expect(report.status == .succeeded)
        #expect(lastKinds.withLock { $0 } == Array(repeating: "toolCallStarted", count: 3))
    }

    @Test("entries of an unknown future version are refused with a typed error")
    func futureVersionRefused() async throws {
        let store = InMemoryCheckpointStore()
        var chain = JournalChain()
        let record = try chain.append(["kind": "runStarted", "at": 0], version: 2)
        let id = JournalID(rawValue: "v")!
        try store.append([record], to: id, durability: .immediate)
        let orchestrator = try makeOrchestrator()
        let error = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.resume(threeSteps, journal: RunJournal(store: store, id: id))
        }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.position == 0)
    }
}
