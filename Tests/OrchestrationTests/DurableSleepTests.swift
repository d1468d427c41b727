import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

/// Sleeps 10 s of the clock, calls `work`, sleeps again, calls `work` again.
private let sleeper = ScriptedAgent(
    name: "sleeper",
    steps: [
        [.sleep(.seconds(10)), .callTool("work", arguments: ["n": 1])],
        [.sleep(.seconds(10)), .callTool("work", arguments: ["n": 2]), .output("done")],
    ]
)

private func journal(_ store: InMemoryCheckpointStore, _ id: String = "s") -> RunJournal {
    RunJournal(store: store, id: JournalID(rawValue: id)!)
}

/// Records the sleeper's run: each sleep is ended by advancing the clock once the agent sleeps beside the run's
/// deadline timer.
private func record(_ clock: ManualClock, _ orchestrator: Orchestrator, _ store: InMemoryCheckpointStore) async
    -> ExecutionReport
{
    async let report = orchestrator.run(
        sleeper,
        task: "go",
        policy: try! StrictPolicy(timeout: .seconds(60)),
        journal: journal(store)
    )
    for _ in 1...2 {
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(10))
    }
    return await report
}

private func kinds(_ records: [JournalRecord]) throws -> [String] {
    try records.map { record in
        guard case .string(let kind)? = try JournalChain.readEntry(record)["kind"] else { return "?" }
        return kind
    }
}

@Suite("Durable runs: a sleep the journal went past is not waited again")
struct DurableSleepTests {
    @Test("a replay passes every recorded sleep at once and is byte-identical")
    func replayPassesSleeps() async throws {
        try await withWatchdog("replay of a run that sleeps") {
            let clock = ManualClock()
            let calls = Counter()
            let orchestrator = try makeOrchestrator(tools: [countingTool("work", calls)], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = await record(clock, orchestrator, store)
            #expect(full.status == .succeeded)
            #expect(full.durationNanoseconds == Nanoseconds(.seconds(20)))
            // A clock nobody advances: a replay that waited for a sleep would never end (the watchdog says so).
            let replayer = try makeOrchestrator(tools: [countingTool("work", calls)], clock: ManualClock())
            let replayed = try await replayer.replay(sleeper, journal: journal(store))
            #expect(replayed.jsonText() == full.jsonText(), "a replay of a run that sleeps is not byte-identical")
            #expect(calls.value == 2)
        }
    }

    @Test("a resume passes the sleeps before the journal's end and waits only for one the journal ends in")
    func resumeWaitsOnlyForTheLastSleep() async throws {
        try await withWatchdog("resume of a run that sleeps") {
            let clock = ManualClock()
            let calls = Counter()
            let orchestrator = try makeOrchestrator(tools: [countingTool("work", calls)], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = await record(clock, orchestrator, store)
            // Cut after the first call finished: the second step's sleep is the one the process died in.
            let records = store.records(of: JournalID(rawValue: "s")!, from: 0)
            let cut = try #require(try kinds(records).firstIndex(of: "toolCallFinished")) + 1
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: JournalID(rawValue: "s")!, durability: .immediate)
            let resumeClock = ManualClock()
            let resumer = try makeOrchestrator(tools: [countingTool("work", calls)], clock: resumeClock)
            async let resumed = resumer.resume(sleeper, journal: journal(cutStore))
            // One sleep to wait for (the agent's, beside the deadline timer): the first step's passed at once.
            await resumeClock.waitForSleepers(count: 2)
            resumeClock.advance(by: .seconds(10))
            let report = try await resumed
            #expect(report.status == .succeeded)
            #expect(report.finalOutput == full.finalOutput)
            #expect(
                report.durationNanoseconds == full.durationNanoseconds,
                "the resumed run's active time is not the uninterrupted run's"
            )
            #expect(calls.value == 3, "the first call ran again, or the second did not run")
            #expect(resumeClock.now.offset == .seconds(10), "the resume waited for a sleep the journal went past")
        }
    }
}
