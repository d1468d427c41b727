import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("Orchestrator shutdown ends workflow drivers", .timeLimit(.suite))
struct WorkflowShutdownTests {
    static let shutDown = "the orchestrator shut down"

    @Test("Shutdown ends a waiting workflow and one with a task in flight: each ends cancelled with its report")
    func endsRunningWorkflows() async throws {
        try await withWatchdog("shutdown ends running workflows", seconds: 30) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let waiting = try orchestrator.start(
                workflow: WorkflowWaitTests.waiting(.signal("reply")),
                data: [:]
            )
            #expect(await waiting.waitUntilWaiting() == .waiting(state: "hold", for: .signal("reply")))

            let started = Arrivals()
            let handled = Counter()
            let slow = ClosureAgent(name: "slow") { _, _ in
                started.arrive()
                try await clock.sleep(for: .seconds(1_000_000))
                return "late"
            }
            let busy = try orchestrator.start(
                workflow: WorkflowDefinition(
                    name: "busy",
                    version: "1",
                    initialState: "work",
                    states: [
                        "work": agentTask("slow", output: "$.out", next: "done", onFailure: "handler"),
                        "handler": agentTask("handler", output: "$.handled", next: "done"),
                        "done": succeededEnd, "failed": failedEnd,
                    ]
                ),
                data: [:],
                registry: try workflowRegistry([slow, constantAgent("handler", true, counter: handled)])
            )
            await started.wait(for: 1)

            await orchestrator.shutdown()
            // Both reports are made by the time shutdown returns.
            let waited = await waiting.report
            #expect(waited.stopReason == WorkflowStopReason(.cancelled, state: "hold", reason: Self.shutDown))
            #expect(waited.path.count == 1)
            let worked = await busy.report
            #expect(worked.stopReason == WorkflowStopReason(.cancelled, state: "work", reason: Self.shutDown))
            // The run the shutdown ended is no failure of the task: the failure transition is not taken.
            #expect(worked.statesTaken == ["work"])
            #expect(handled.value == 0)

            // A workflow started afterwards ends cancelled at once, running nothing.
            let late = try orchestrator.start(workflow: WorkflowWaitTests.waiting(.signal("reply")), data: [:])
            let report = await late.report
            #expect(report.stopReason.kind == .cancelled)
            #expect(report.stopReason.reason == Self.shutDown)
        }
    }

    @Test("A journaled workflow ended by shutdown is not cancelled in its journal: the next process resumes it")
    func journaledResumes() async throws {
        try await withWatchdog("a workflow ended by shutdown resumes from its journal", seconds: 30) {
            let id = JournalID(rawValue: "refund-shutdown")!
            let store = InMemoryCheckpointStore()
            let registry = try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")])
            let first = try makeOrchestrator()
            let before = try first.start(
                workflow: WorkflowJournalTests.definition,
                data: ["ticket": 1],
                registry: registry,
                policy: WorkflowWaitRestartTests.policy,
                journal: RunJournal(store: store, id: id)
            )
            _ = await before.waitUntilWaiting()
            await first.shutdown()
            #expect((await before.report).stopReason.reason == Self.shutDown)
            let kinds = try store.records(of: id, from: 0).map { try JournalChain.readEntry($0)["kind"] }
            #expect(!kinds.contains("cancel"))
            #expect(!kinds.contains("shutdown"))

            let after = try makeOrchestrator().start(
                workflow: WorkflowJournalTests.definition,
                data: [:],
                registry: registry,
                policy: WorkflowWaitRestartTests.policy,
                journal: RunJournal(store: store, id: id)
            )
            #expect(await after.waitUntilWaiting() == .waiting(state: "hold", for: .signal("customer")))
            #expect(await after.signal("customer", payload: "ok"))
            #expect((await after.report).succeeded)
        }
    }
}
