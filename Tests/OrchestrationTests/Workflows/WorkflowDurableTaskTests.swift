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
}
