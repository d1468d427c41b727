import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// a (calls `lookup` once) → b (`b`: the agent given).
private func chain(b: some Agent) -> AgentGraph {
    var graph = AgentGraph()
    graph.add(
        "a",
        agent: ClosureAgent(name: "a") { _, context in try await context.callTool("lookup", arguments: ["n": 1]) }
    )
    graph.add("b", agent: b, dependsOn: ["a"])
    return graph
}

@Suite("A durable graph's node a shutdown ended goes on after a resume", .timeLimit(.suite))
struct DurableGraphShutdownTests {
    /// `b` as the resumed process runs it: calls `lookup`, then answers "done".
    static func finishing(_ runs: Counter) -> ClosureAgent {
        ClosureAgent(name: "b") { _, context in
            runs.increment()
            _ = try await context.callTool("lookup", arguments: ["n": 2])
            return "done"
        }
    }

    @Test("A node run a shutdown ended continues in its next node journal: the graph succeeds, a is not redone")
    func nodeEndedByShutdownResumes() async throws {
        try await withWatchdog("a graph node ended by shutdown resumes", seconds: 30) {
            let store = InMemoryCheckpointStore()
            let journal = RunJournal(store: store, id: JournalID(rawValue: "g")!)
            let clock = ManualClock()
            let started = Arrivals()
            let hanging = ClosureAgent(name: "b") { _, context in
                _ = try await context.callTool("lookup", arguments: ["n": 2])
                started.arrive()
                try await clock.sleep(for: .seconds(1_000_000))
                return "late"
            }
            let firstCalls = Counter()
            let first = try makeOrchestrator(tools: [countingTool("lookup", firstCalls)], clock: clock)
            async let stopped = first.run(chain(b: hanging), task: "go", journal: journal)
            await started.wait(for: 1)
            await first.shutdown()
            let before = try await stopped
            #expect(before.stopReason == .shutdown)
            #expect(firstCalls.value == 2)

            let calls = Counter()
            let resumed = try makeOrchestrator(tools: [countingTool("lookup", calls)])
            let bRuns = Counter()
            let graph = chain(b: Self.finishing(bRuns))
            let report = try await resumed.resume(graph, journal: journal)
            #expect(report.status == .succeeded, "\(report.stopReason)")
            // b.1 is fed back (its call is not made again); b's agent code runs live in `g.b.1.r2`, calling again.
            #expect(calls.value == 1, "a's finished tool call is fed back from its node journal, not called again")
            #expect(report.node("b")?.status == .succeeded)
            #expect(report.node("b")?.attempts.count == 1, "a shutdown is no retry")
            #expect(report.node("b")?.attempts.first?.stopReason == .completed)
            #expect(!store.records(of: JournalID(rawValue: "g.b.1.r2")!, from: 0).isEmpty)
            // Agent code runs again whenever a journal is fed back: the fed-back run, then the one that goes on.
            #expect(bRuns.value == 2)

            // The journal replays to the same report, through the node journal the shutdown ended.
            let replayed = try await resumed.replay(graph, journal: journal)
            #expect(replayed == report)
            #expect(calls.value == 1)

            // A fork into another store after b finished copies b's continued journal too: nothing runs live.
            let forkStore = InMemoryCheckpointStore()
            let end = store.records(of: journal.id, from: 0).count - 1
            let forkRuns = Counter()
            let forked = try await resumed.fork(
                chain(b: Self.finishing(forkRuns)),
                journal: journal,
                at: end,
                into: RunJournal(store: forkStore, id: JournalID(rawValue: "f")!),
                policy: nil
            )
            #expect(forked.status == .succeeded, "\(forked.stopReason)")
            #expect(calls.value == 1, "b's continued journal is copied and fed back: its tool is not called again")
            #expect(!forkStore.records(of: JournalID(rawValue: "g.b.1.r2")!, from: 0).isEmpty)
            #expect(
                forked.node("b")?.attempts.first?.journalHeadHash == report.node("b")?.attempts.first?.journalHeadHash
            )
        }
    }

    static let graphed = WorkflowDefinition(
        name: "graphed",
        version: "1",
        initialState: "study",
        states: [
            "study": .task(WorkflowTaskState(.graph("chain"), output: "$.study", next: "done", onFailure: "failed")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    @Test("A workflow's graph task whose node a shutdown ended goes on after a resume: no failure transition")
    func graphTaskEndedByShutdownResumes() async throws {
        try await withWatchdog("a graph task ended by shutdown resumes", seconds: 30) {
            let store = InMemoryCheckpointStore()
            let journal = RunJournal(store: store, id: JournalID(rawValue: "wf")!)
            let clock = ManualClock()
            let started = Arrivals()
            let hanging = ClosureAgent(name: "b") { _, _ in
                started.arrive()
                try await clock.sleep(for: .seconds(1_000_000))
                return "late"
            }
            var before = try workflowRegistry([])
            try before.register(chain(b: hanging), named: "chain")
            let first = try makeOrchestrator(tools: [countingTool("lookup", Counter())], clock: clock)
            let stopped = try first.start(workflow: Self.graphed, data: [:], registry: before, journal: journal)
            await started.wait(for: 1)
            await first.shutdown()
            _ = await stopped.report

            let calls = Counter()
            var after = try workflowRegistry([])
            try after.register(chain(b: constantAgent("b", "done")), named: "chain")
            let report = try await makeOrchestrator(tools: [countingTool("lookup", calls)]).start(
                workflow: Self.graphed,
                data: [:],
                registry: after,
                journal: journal
            ).report
            #expect(report.succeeded, "\(report.stopReason)")
            #expect(report.finalData["study"] == ["b": "done"])
            #expect(calls.value == 0, "a's finished tool call is fed back from its node journal, not called again")
            #expect(!store.records(of: JournalID(rawValue: "wf.study.1.b.1.r2")!, from: 0).isEmpty)
            // The shut-down process does not journal the graph task's consumption as a charge: the resumed graph
            // charges its fed-back node journals, once.
            #expect(report.ledger.first { $0.budget == "toolCalls" }?.used == 1, "a's tool call is charged once")
        }
    }
}
