import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

private func journal(_ store: InMemoryCheckpointStore, _ id: String) -> RunJournal {
    RunJournal(store: store, id: JournalID(rawValue: id)!)
}

private let serial = Orchestrator.GraphConfiguration(maxConcurrency: 1)

/// A node agent whose own code takes 330 ms of the clock before each of `calls` tool calls, in the recorded graph
/// and again in every replay (the agent's code runs in both; the tool's body only live).
///
/// Before each advance it waits for the graph's deadline sleeper and its node run's (the clock's only two): a
/// deadline that fired leaves fewer, so the code stops there.
private func slowCaller(_ name: String, calls: Int, clock: ManualClock) -> ClosureAgent {
    ClosureAgent(name: name) { _, context in
        for n in 1...calls {
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(330))
            _ = try await context.callTool("work", arguments: ["by": .string(name), "n": .integer(Int64(n))])
        }
        return "done"
    }
}

/// a → b: `a` takes 660 ms of the clock, `b` 330 ms; 990 ms of a 1 s graph timeout in all.
private func nearTimeout(_ clock: ManualClock) -> AgentGraph {
    var graph = AgentGraph()
    graph.add("a", agent: slowCaller("a", calls: 2, clock: clock))
    graph.add("b", agent: slowCaller("b", calls: 1, clock: clock), dependsOn: ["a"])
    return graph
}

/// One node whose agent makes one call, takes 1.5 s of the clock (past the graph's 1 s timeout), then waits for
/// its run to end.
private func overrunning(_ clock: ManualClock) -> AgentGraph {
    var graph = AgentGraph()
    graph.add(
        "a",
        agent: ClosureAgent(name: "overrun") { _, context in
            _ = try await context.callTool("work", arguments: ["n": 1])
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(1500))
            try await context.sleep(for: .seconds(60))
            return "unreachable"
        }
    )
    return graph
}

@Suite("Durable graphs: a replay's live deadline")
struct DurableGraphReplayDeadlineTests {
    @Test("a graph that ended just before its timeout replays byte-identical though the replay's code takes as long")
    func replayNearTimeout() async throws {
        try await withWatchdog("graph replay near the timeout") {
            let policy = try StrictPolicy(timeout: .seconds(1))
            let clock = ManualClock()
            let calls = Counter()
            let orchestrator = try makeOrchestrator(tools: [countingTool("work", calls)], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = try await orchestrator.run(
                nearTimeout(clock),
                task: "go",
                policy: policy,
                journal: journal(store, "g"),
                configuration: serial
            )
            #expect(full.status == .succeeded)
            #expect(full.execution.durationNanoseconds == Nanoseconds(.milliseconds(990)))
            #expect(calls.value == 3)
            // The replay's node code advances the clock 990 ms again: past the 10 ms the original graph had left.
            let replayed: AgentGraphReport
            do {
                replayed = try await orchestrator.replay(
                    nearTimeout(clock),
                    journal: journal(store, "g"),
                    configuration: serial
                )
            } catch {
                Issue.record("graph replay near the timeout diverged falsely: \(error)")
                return
            }
            #expect(replayed.jsonText() == full.jsonText(), "graph replay near the timeout is not byte-identical")
            #expect(calls.value == 3)
        }
    }

    @Test("a graph that timed out with a node in flight replays byte-identical, whichever end won the race")
    func replayTimedOut() async throws {
        // The graph's deadline and its node run's (the same instant) fire in one advance: which ends the node run
        // first (the run's timer: `timedOut`; the executor cancelling the node: `cancelled`), and whether the
        // executor or the node notices the deadline first, is a race in the recorded graph and again in the
        // replay. The node journal pins the run's end and the report does not depend on who noticed first, so
        // every replay is byte-identical. Twelve rounds: each race goes either way about half the time.
        for round in 1...12 {
            try await withWatchdog("replay of a timed-out graph, round \(round)") {
                let policy = try StrictPolicy(timeout: .seconds(1))
                let clock = ManualClock()
                let calls = Counter()
                let orchestrator = try makeOrchestrator(tools: [countingTool("work", calls)], clock: clock)
                let store = InMemoryCheckpointStore()
                let full = try await orchestrator.run(
                    overrunning(clock),
                    task: "go",
                    policy: policy,
                    journal: journal(store, "t"),
                    configuration: serial
                )
                #expect(full.status == .timedOut)
                #expect(full.stopReason == .timedOut(timeout: Nanoseconds(.seconds(1))))
                #expect(full.execution.status == .timedOut, "the execution's status depends on who saw the deadline")
                let replayed: AgentGraphReport
                do {
                    replayed = try await orchestrator.replay(
                        overrunning(clock),
                        journal: journal(store, "t"),
                        configuration: serial
                    )
                } catch {
                    Issue.record("replay of a timed-out graph diverged in round \(round): \(error)")
                    return
                }
                #expect(replayed.jsonText() == full.jsonText(), "replay of a timed-out graph is not byte-identical")
                #expect(calls.value == 1)
            }
        }
    }

    @Test("a graph resume still counts the journaled active time against the graph's timeout")
    func resumeCountsActiveTime() async throws {
        try await withWatchdog("graph resume counting active time") {
            let policy = try StrictPolicy(timeout: .seconds(1))
            let clock = ManualClock()
            let work = ClosureTool(name: "work", description: "Takes 400 ms.") { arguments in
                clock.advance(by: .milliseconds(400))
                return arguments
            }
            let graph = {
                var graph = AgentGraph()
                graph.add("a", agent: toolCaller("work", calls: 1))
                graph.add("b", agent: toolCaller("work", calls: 1), dependsOn: ["a"])
                return graph
            }
            let orchestrator = try makeOrchestrator(tools: [work], clock: clock)
            let store = InMemoryCheckpointStore()
            let full = try await orchestrator.run(
                graph(),
                task: "go",
                policy: policy,
                journal: journal(store, "r"),
                configuration: serial
            )
            #expect(full.status == .succeeded)
            // Cut the graph journal after `a` settled (400 ms of active time), then resume with `b`'s call taking
            // 700 ms: 400 + 700 ms passes the 1 s timeout, though the resume alone takes 700 ms.
            let id = JournalID(rawValue: "r")!
            let records = store.records(of: id, from: 0)
            let kinds = try records.map { try JournalChain.readEntry($0)["kind"] }
            let cut = try #require(kinds.firstIndex(of: "nodeSettled")) + 1
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let nodeID = JournalID(rawValue: "r.a.1")!
            try cutStore.append(store.records(of: nodeID, from: 0), to: nodeID, durability: .immediate)
            let resumeClock = ManualClock()
            let slower = ClosureTool(name: "work", description: "Takes 700 ms, then waits for the graph to end.") {
                arguments in
                // The graph's deadline sleeper and the node run's are the clock's only ones: wait for them first.
                await resumeClock.waitForSleepers(count: 2)
                resumeClock.advance(by: .milliseconds(700))
                try await resumeClock.sleep(until: resumeClock.now.advanced(by: .seconds(60)))
                return arguments
            }
            let resumer = try makeOrchestrator(tools: [slower], clock: resumeClock)
            let resumed = try await resumer.resume(
                graph(),
                journal: RunJournal(store: cutStore, id: id),
                configuration: serial
            )
            #expect(resumed.status == .timedOut, "a graph resume did not count the journaled active time")
            #expect(resumed.stopReason == .timedOut(timeout: Nanoseconds(.seconds(1))))
        }
    }
}
