import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

private func journal(_ store: InMemoryCheckpointStore, _ id: String) -> RunJournal {
    RunJournal(store: store, id: JournalID(rawValue: id)!)
}

/// An agent whose own code takes 330 ms of the clock before each of three tool calls: 990 ms in all, in the
/// recorded run and again in every replay (the agent's code runs in both; the tool's body only live).
///
/// Before each advance it waits for the run's deadline sleeper (the clock's only one): a deadline that fired
/// leaves none, so the code stops there and the deadline's termination comes before the journal's next entry.
private func slowCaller(_ clock: ManualClock) -> ClosureAgent {
    ClosureAgent(name: "slow") { _, context in
        for n in 1...3 {
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .milliseconds(330))
            _ = try await context.callTool("work", arguments: ["n": .integer(Int64(n))])
        }
        return "done"
    }
}

/// An agent that makes one call, takes 1.5 s of the clock (past a 1 s timeout), then waits for its run to end.
private func overrunner(_ clock: ManualClock) -> ClosureAgent {
    ClosureAgent(name: "overrun") { _, context in
        _ = try await context.callTool("work", arguments: ["n": 1])
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .milliseconds(1500))
        try await context.sleep(for: .seconds(60))
        return "unreachable"
    }
}

@Suite("Durable runs: a replay's live deadline")
struct DurableReplayDeadlineTests {
    @Test("a run that ended just before its timeout replays byte-identical though the replay's code takes as long")
    func replayNearTimeout() async throws {
        try await withWatchdog("replay near the timeout") {
            let policy = try StrictPolicy(timeout: .seconds(1))
            let clock = ManualClock()
            let calls = Counter()
            let orchestrator = try makeOrchestrator(tools: [countingTool("work", calls)], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = await orchestrator.run(
                slowCaller(clock),
                task: "go",
                policy: policy,
                journal: journal(store, "n")
            )
            #expect(full.status == .succeeded)
            #expect(calls.value == 3)
            // The replay's own code advances the clock 990 ms again: past the 10 ms the original had left.
            let replayed: ExecutionReport
            do {
                replayed = try await orchestrator.replay(slowCaller(clock), journal: journal(store, "n"))
            } catch {
                Issue.record("replay near the timeout diverged falsely: \(error)")
                return
            }
            #expect(replayed.jsonText() == full.jsonText(), "replay near the timeout is not byte-identical")
            #expect(calls.value == 3)
        }
    }

    @Test("a run that timed out replays byte-identical, its timeout fed from the journal")
    func replayTimedOut() async throws {
        try await withWatchdog("replay of a timed-out run") {
            let policy = try StrictPolicy(timeout: .seconds(1))
            let clock = ManualClock()
            let calls = Counter()
            let orchestrator = try makeOrchestrator(tools: [countingTool("work", calls)], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = await orchestrator.run(
                overrunner(clock),
                task: "go",
                policy: policy,
                journal: journal(store, "t")
            )
            #expect(full.status == .timedOut)
            #expect(full.stopReason == .timedOut(timeout: Nanoseconds(.seconds(1))))
            let replayed: ExecutionReport
            do {
                replayed = try await orchestrator.replay(overrunner(clock), journal: journal(store, "t"))
            } catch {
                Issue.record("replay of a timed-out run diverged falsely: \(error)")
                return
            }
            #expect(replayed.jsonText() == full.jsonText(), "replay of a timed-out run is not byte-identical")
            #expect(calls.value == 1)
        }
    }

    @Test("a resume still counts the journaled active time against the timeout")
    func resumeCountsActiveTime() async throws {
        try await withWatchdog("resume counting active time") {
            let policy = try StrictPolicy(timeout: .seconds(1))
            let clock = ManualClock()
            let work = ClosureTool(name: "work", description: "Takes 400 ms.") { arguments in
                clock.advance(by: .milliseconds(400))
                return arguments
            }
            let agent = toolCaller("work", calls: 2)
            let orchestrator = try makeOrchestrator(tools: [work], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = await orchestrator.run(agent, task: "go", policy: policy, journal: journal(store, "a"))
            #expect(full.status == .succeeded)
            // Cut after the first call's result (400 ms of active time), then resume with a second call of 700 ms:
            // 400 + 700 ms passes the 1 s timeout, though the resume alone takes 700 ms.
            let id = JournalID(rawValue: "a")!
            let records = store.records(of: id, from: 0)
            let kinds = try records.map { try JournalChain.readEntry($0)["kind"] }
            let cut = try #require(kinds.firstIndex(of: "toolCallFinished")) + 1
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let resumeClock = ManualClock()
            let slower = ClosureTool(name: "work", description: "Takes 700 ms, then waits for the run to end.") {
                arguments in
                // The run's deadline sleeper is the clock's only one: wait for it before moving the clock.
                await resumeClock.waitForSleepers(count: 1)
                resumeClock.advance(by: .milliseconds(700))
                try await resumeClock.sleep(until: resumeClock.now.advanced(by: .seconds(60)))
                return arguments
            }
            let resumer = try makeOrchestrator(tools: [slower], clock: resumeClock)
            let resumed = try await resumer.resume(agent, journal: RunJournal(store: cutStore, id: id))
            #expect(resumed.status == .timedOut, "a resume did not count the journaled active time")
            #expect(resumed.stopReason == .timedOut(timeout: Nanoseconds(.seconds(1))))
        }
    }
}
