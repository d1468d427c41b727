import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("A journaled wait's deadline survives a restart", .timeLimit(.suite))
struct WorkflowWaitRestartTests {
    /// An orchestrator whose wall clock reads `clock`, as a restarted process reading the same clock would.
    static func orchestrator(_ clock: ManualClock) throws -> Orchestrator {
        var configuration = Orchestrator.Configuration()
        configuration.wallClock = WallClock { clock.now.offset }
        return try Orchestrator(clock: clock, idGenerator: .seeded(7), configuration: configuration)
    }

    static let policy = try! StrictPolicy(timeout: .seconds(7200))

    /// Starts the refund workflow on a fresh journal, lets it reach its 3600 s wait, and returns the journal as it
    /// was when the process died (the old process is gone afterwards).
    static func journalCutInWait(_ clock: ManualClock, id: JournalID) async throws -> InMemoryCheckpointStore {
        let first = InMemoryCheckpointStore()
        let before = try orchestrator(clock).start(
            workflow: WorkflowJournalTests.definition,
            data: ["ticket": 1],
            registry: try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")]),
            policy: policy,
            journal: RunJournal(store: first, id: id)
        )
        _ = await before.waitUntilWaiting()
        // The wait's timer sleeps (the workflow's clock stands, so no deadline timer): its deadline is journaled.
        await clock.waitForSleepers(count: 1)
        let restarted = InMemoryCheckpointStore()
        try WorkflowJournalTests.cut(id, from: first, to: restarted)
        await before.cancel()
        _ = await before.report
        return restarted
    }

    static func resume(_ clock: ManualClock, _ store: InMemoryCheckpointStore, id: JournalID) throws -> WorkflowHandle {
        try orchestrator(clock).start(
            workflow: WorkflowJournalTests.definition,
            data: [:],
            registry: try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")]),
            policy: policy,
            journal: RunJournal(store: store, id: id)
        )
    }

    @Test("Resumed part-way through its timeout, a wait times out after only the remainder")
    func remainder() async throws {
        try await withWatchdog("a resumed wait times out after the remainder", seconds: 30) {
            let clock = ManualClock()
            let id = JournalID(rawValue: "refund-7")!
            let store = try await Self.journalCutInWait(clock, id: id)
            let entries = try store.records(of: id, from: 0).map { try JournalChain.readEntry($0) }
            #expect(entries[0]["journalFormat"] == 4)
            #expect(entries.map { $0["kind"] } == ["workflowStarted", "taskFinished", "waitDeadline"])
            #expect(entries[2]["state"] == "hold")
            #expect(entries[2]["deadlineNanoseconds"] == .integer(Nanoseconds(.seconds(3600)).rawValue))

            // The process was down for 1000 s of the wait's 3600.
            clock.advance(by: .seconds(1000))
            let after = try Self.resume(clock, store, id: id)
            #expect(await after.waitUntilWaiting() == .waiting(state: "hold", for: .signal("customer")))
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(2599))
            #expect(after.status == .waiting(state: "hold", for: .signal("customer")))
            clock.advance(by: .seconds(1))
            let report = await after.report
            #expect(report.statesTaken == ["classify", "hold", "failed"])
            #expect(report.path[1].outcome == .timedOut)
            #expect(report.path[1].transition == "timeout")
            // The resumed deadline was not journaled twice.
            let kinds = try store.records(of: id, from: 0).map { try JournalChain.readEntry($0)["kind"] }
            #expect(kinds.filter { $0 == "waitDeadline" }.count == 1)
        }
    }

    @Test("Resumed after its deadline has passed, a wait times out at once")
    func passed() async throws {
        try await withWatchdog("a resumed wait past its deadline times out at once", seconds: 30) {
            let clock = ManualClock()
            let id = JournalID(rawValue: "refund-8")!
            let store = try await Self.journalCutInWait(clock, id: id)
            clock.advance(by: .seconds(4000))
            let after = try Self.resume(clock, store, id: id)
            // No clock advance: the timer is due on resume.
            let report = await after.report
            #expect(report.statesTaken == ["classify", "hold", "failed"])
            #expect(report.path[1].outcome == .timedOut)
        }
    }
}
