import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

/// Rewrites a workflow journal as a process that died would have left it: only the entries `keep` accepts, chained
/// anew into `to` (the dropped entries' positions and hashes are gone, as if never written).
func rechain(
    _ journal: JournalID,
    from: InMemoryCheckpointStore,
    to: InMemoryCheckpointStore,
    keep: ([String: JSONValue]) -> Bool
) throws {
    var chain = JournalChain()
    var records: [JournalRecord] = []
    for record in from.records(of: journal, from: 0) {
        let entry = try JournalChain.readEntry(record).filter { !JournalChain.envelopeFields.contains($0.key) }
        guard keep(entry) else { continue }
        records.append(try chain.append(.object(entry)))
    }
    try to.append(records, to: journal, durability: .immediate)
}

@Suite(
    "Every workflow task kind is durable, and a cancelled run's consumption is charged on resume",
    .timeLimit(.suite)
)
struct WorkflowDurableTaskTests {
    /// fan (firstSuccess: `slow` calls `lookup` and hangs, `fast` answers once that call is made) → again (`lookup`).
    static let raced = WorkflowDefinition(
        name: "raced",
        version: "1",
        initialState: "fan",
        states: [
            "fan": .parallel(
                WorkflowParallelState(
                    [.init("slow", .agent("slow")), .init("fast", .agent("fast"))],
                    join: .firstSuccess,
                    output: "$.joined",
                    next: "again",
                    onFailure: "failed"
                )
            ),
            "again": .task(WorkflowTaskState(.tool("lookup"), output: "$.second", next: "done", onFailure: "failed")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func racedRegistry(clock: ManualClock) throws -> WorkflowRegistry {
        let called = Arrivals()
        let slow = ClosureAgent(name: "slow") { _, context in
            _ = try await context.callTool("lookup", arguments: ["by": "slow"])
            called.arrive()
            try await clock.sleep(for: .seconds(1_000_000))
            return "late"
        }
        let fast = ClosureAgent(name: "fast") { _, _ in
            await called.wait(for: 1)
            return 1
        }
        return try workflowRegistry([slow, fast])
    }

    @Test("A firstSuccess loser's tool call is journaled when it reports back, and charged again on resume")
    func cancelledLoserChargedOnResume() async throws {
        try await withWatchdog("a cancelled loser's charge survives a resume", seconds: 30) {
            let id = JournalID(rawValue: "raced-1")!
            let store = InMemoryCheckpointStore()
            let clock = ManualClock()
            let policy = try StrictPolicy(maxToolCalls: 5)
            let whole = try await makeOrchestrator(tools: [countingTool("lookup", Counter())], clock: clock).start(
                workflow: Self.raced,
                data: [:],
                registry: try Self.racedRegistry(clock: clock),
                policy: policy,
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(whole.succeeded, "\(whole.stopReason)")
            #expect(whole.ledger.first { $0.budget == "toolCalls" }?.used == 2, "the loser's call and again's")
            let entries = try store.records(of: id, from: 0).map { try JournalChain.readEntry($0) }
            let charged = try #require(entries.first { $0["kind"] == "taskCharged" })
            #expect(charged["state"] == "fan")
            #expect(charged["branch"] == "slow")
            #expect(charged["visit"] == 1)
            #expect(try whole.journalHeadHash == JournalChain(continuing: store.records(of: id, from: 0)).headHash)
            // Reopened after its end, the journal rebuilds the same report, the loser's charge included.
            let reopened = try await makeOrchestrator(tools: [countingTool("lookup", Counter())]).start(
                workflow: Self.raced,
                data: [:],
                registry: try Self.racedRegistry(clock: ManualClock()),
                policy: policy,
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(reopened.ledger == whole.ledger)
            #expect(reopened.journalHeadHash == whole.journalHeadHash)

            // The process died after the join (and the loser's charge), before `again` finished.
            let restarted = InMemoryCheckpointStore()
            try rechain(id, from: store, to: restarted) { entry in
                entry["kind"] != "taskFinished" || entry["state"] == "fan"
            }
            let calls = Counter()
            let resumedClock = ManualClock()
            let resumed = try await makeOrchestrator(tools: [countingTool("lookup", calls)], clock: resumedClock)
                .start(
                    workflow: Self.raced,
                    data: [:],
                    registry: try Self.racedRegistry(clock: resumedClock),
                    policy: policy,
                    journal: RunJournal(store: restarted, id: id)
                ).report
            #expect(resumed.succeeded, "\(resumed.stopReason)")
            #expect(calls.value == 1, "only again's call runs: the join's branches are not run again")
            #expect(resumed.ledger == whole.ledger, "the cancelled loser's journaled tool call is charged again")
            #expect(resumed.finalData == whole.finalData)
        }
    }

    /// An agent counting its runs that calls `lookup` once and returns `output`.
    static func looker(_ name: String, _ output: JSONValue, _ runs: Counter) -> ClosureAgent {
        ClosureAgent(name: name) { _, context in
            runs.increment()
            _ = try await context.callTool("lookup", arguments: ["by": .string(name)])
            return output
        }
    }

    /// first (calls `lookup`) → second (echoes the first's output).
    static func pairGraph(second: Counter) -> AgentGraph {
        var graph = AgentGraph()
        graph.nodes.append(AgentGraph.Node("first", performer: .named("first")))
        let echo = ClosureAgent(name: "second") { step, _ in
            second.increment()
            return ["after": step.input]
        }
        graph.add("second", agent: echo, dependsOn: ["first"]) { _, dependencies in dependencies["first"] ?? .null }
        return graph
    }

    static let graphWorkflow = WorkflowDefinition(
        name: "graphed",
        version: "1",
        initialState: "study",
        states: [
            "study": .task(WorkflowTaskState(.graph("pair"), output: "$.study", next: "done", onFailure: "failed")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func graphRegistry(first: Counter, second: Counter) throws -> WorkflowRegistry {
        var registry = try workflowRegistry([Self.looker("first", "one", first)])
        try registry.register(Self.pairGraph(second: second), named: "pair")
        return registry
    }

    @Test(
        "A graph task cut after its first node finished resumes from its graph journal: that node's call is not made again"
    )
    func graphTaskResumesFromItsJournal() async throws {
        try await withWatchdog("a workflow's graph task resumes from its journal", seconds: 30) {
            let id = JournalID(rawValue: "graphed-1")!
            let graphID = JournalID(rawValue: "graphed-1.study.1")!
            let firstNodeID = JournalID(rawValue: "graphed-1.study.1.first.1")!
            let store = InMemoryCheckpointStore()
            let whole = try await makeOrchestrator(tools: [countingTool("lookup", Counter())]).start(
                workflow: Self.graphWorkflow,
                data: [:],
                registry: try Self.graphRegistry(first: Counter(), second: Counter()),
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(whole.succeeded, "\(whole.stopReason)")
            #expect(whole.finalData["study"] == ["second": ["after": "one"]])
            let graphRecords = store.records(of: graphID, from: 0)
            let graphEntries = try graphRecords.map { try JournalChain.readEntry($0) }
            let firstFinished = try #require(
                graphEntries.firstIndex { $0["kind"] == "nodeAttemptFinished" && $0["node"] == "first" },
                "the graph task keeps a graph journal of its own"
            )

            // The process died after the graph's first node finished: the workflow journal holds only entry 0.
            let restarted = InMemoryCheckpointStore()
            try restarted.append(Array(store.records(of: id, from: 0).prefix(1)), to: id, durability: .immediate)
            try restarted.append(Array(graphRecords.prefix(firstFinished + 1)), to: graphID, durability: .immediate)
            try restarted.append(store.records(of: firstNodeID, from: 0), to: firstNodeID, durability: .immediate)
            let first = Counter()
            let second = Counter()
            let calls = Counter()
            let resumed = try await makeOrchestrator(tools: [countingTool("lookup", calls)]).start(
                workflow: Self.graphWorkflow,
                data: [:],
                registry: try Self.graphRegistry(first: first, second: second),
                journal: RunJournal(store: restarted, id: id)
            ).report
            #expect(resumed.succeeded, "\(resumed.stopReason)")
            // The finished first node is fed back from its node journal: its agent code runs again on the journaled
            // inputs (as any fed-back journal's does), its tool call is not made again.
            #expect(calls.value == 0, "the first node's tool call is fed back from its node journal, not made again")
            #expect(first.value == 1)
            #expect(second.value == 1)
            #expect(resumed.finalData == whole.finalData)
            #expect(resumed.ledger == whole.ledger, "the first node's journaled use is charged once")
            #expect(resumed.executionID == whole.executionID)
        }
    }

    static let inner = WorkflowDefinition(
        name: "inner",
        version: "1",
        initialState: "one",
        states: [
            "one": .task(WorkflowTaskState(.tool("lookup"), output: "$.one", next: "two", onFailure: "failed")),
            "two": agentTask("two", output: "$.two", next: "done"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static let outer = WorkflowDefinition(
        name: "outer",
        version: "1",
        initialState: "sub",
        states: [
            "sub": .task(WorkflowTaskState(.workflow("inner"), output: "$.sub", next: "done", onFailure: "failed")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    @Test("A sub-workflow task cut after its first task finished resumes from its own workflow journal")
    func subWorkflowResumesFromItsJournal() async throws {
        try await withWatchdog("a workflow's sub-workflow task resumes from its journal", seconds: 30) {
            let id = JournalID(rawValue: "outer-1")!
            let innerID = JournalID(rawValue: "outer-1.sub.1")!
            let store = InMemoryCheckpointStore()
            let whole = try await makeOrchestrator(tools: [countingTool("lookup", Counter())]).start(
                workflow: Self.outer,
                data: [:],
                registry: try workflowRegistry([constantAgent("two", 2)], workflows: [Self.inner]),
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(whole.succeeded, "\(whole.stopReason)")
            #expect(whole.finalData["sub"]?["two"] == 2)
            let innerEntries = try store.records(of: innerID, from: 0).map { try JournalChain.readEntry($0) }
            #expect(innerEntries.first?["kind"] == "workflowStarted", "the sub-workflow keeps a journal of its own")
            #expect(innerEntries.contains { $0["kind"] == "taskFinished" && $0["state"] == "one" })

            // The process died after the sub-workflow's first task finished: the parent journal holds only entry 0.
            let restarted = InMemoryCheckpointStore()
            try restarted.append(Array(store.records(of: id, from: 0).prefix(1)), to: id, durability: .immediate)
            try rechain(innerID, from: store, to: restarted) { entry in
                entry["kind"] != "taskFinished" || entry["state"] == "one"
            }
            let calls = Counter()
            let twos = Counter()
            let resumed = try await makeOrchestrator(tools: [countingTool("lookup", calls)]).start(
                workflow: Self.outer,
                data: [:],
                registry: try workflowRegistry([constantAgent("two", 2, counter: twos)], workflows: [Self.inner]),
                journal: RunJournal(store: restarted, id: id)
            ).report
            #expect(resumed.succeeded, "\(resumed.stopReason)")
            #expect(calls.value == 0, "the sub-workflow's finished tool task is not run again")
            #expect(twos.value == 1)
            #expect(resumed.finalData == whole.finalData)
            #expect(resumed.ledger == whole.ledger, "the sub-workflow's journaled use is charged once")
            #expect(resumed.transitions == whole.transitions)
        }
    }

    @Test("A sub-workflow a shutdown ended mid-task resumes with its parent: the shutdown journals no cancel in it")
    func subWorkflowEndedByShutdownResumes() async throws {
        try await withWatchdog("a sub-workflow ended by shutdown resumes", seconds: 30) {
            let id = JournalID(rawValue: "outer-2")!
            let store = InMemoryCheckpointStore()
            let clock = ManualClock()
            let started = Arrivals()
            let slow = ClosureAgent(name: "two") { _, _ in
                started.arrive()
                try await clock.sleep(for: .seconds(1_000_000))
                return "late"
            }
            let first = try makeOrchestrator(tools: [countingTool("lookup", Counter())], clock: clock)
            let before = try first.start(
                workflow: Self.outer,
                data: [:],
                registry: try workflowRegistry([slow], workflows: [Self.inner]),
                journal: RunJournal(store: store, id: id)
            )
            await started.wait(for: 1)
            await first.shutdown()
            _ = await before.report
            let innerKinds = try store.records(of: JournalID(rawValue: "outer-2.sub.1")!, from: 0).map {
                try JournalChain.readEntry($0)["kind"]?.stringValue
            }
            #expect(!innerKinds.contains("cancel"), "a shutdown is never journaled, in a sub-workflow either")
            #expect(innerKinds.filter { $0 == "taskFinished" }.count == 1, "only the finished tool task")

            let calls = Counter()
            let after = try await makeOrchestrator(tools: [countingTool("lookup", calls)]).start(
                workflow: Self.outer,
                data: [:],
                registry: try workflowRegistry([constantAgent("two", 2)], workflows: [Self.inner]),
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(after.succeeded, "\(after.stopReason)")
            #expect(after.finalData["sub"]?["two"] == 2)
            #expect(calls.value == 0)
        }
    }
}
