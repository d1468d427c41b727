import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("Workflow journals and the pure machine", .timeLimit(.suite))
struct WorkflowJournalTests {
    static let definition = WorkflowDefinition(
        name: "refund",
        version: "2",
        initialState: "classify",
        states: [
            "classify": agentTask("classifier", output: "$.category", next: "hold"),
            "hold": .wait(
                WorkflowWaitState(
                    .signal("customer"),
                    timeout: .seconds(3600),
                    output: "$.reply",
                    next: "after",
                    onTimeout: "failed"
                )
            ),
            "after": agentTask("closer", input: "$.reply", output: "$.closed", next: "done"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    /// Copies every record of `journal` in `from` into `to`: the journal as it was when the process died.
    static func cut(_ journal: JournalID, from: InMemoryCheckpointStore, to: InMemoryCheckpointStore) throws {
        try to.append(from.records(of: journal, from: 0), to: journal, durability: .immediate)
    }

    @Test(
        "A workflow waiting for a signal survives a restart: the cut journal resumes in the same wait, nothing re-runs"
    )
    func resumeWaitingAfterRestart() async throws {
        try await withWatchdog("a waiting workflow resumes after a restart", seconds: 30) {
            let id = JournalID(rawValue: "refund-42")!
            let first = InMemoryCheckpointStore()
            let classified = Counter()
            let registry = try workflowRegistry([
                constantAgent("classifier", "billing", counter: classified), echoAgent("closer"),
            ])
            let before = try makeOrchestrator().start(
                workflow: Self.definition,
                data: ["ticket": 1],
                registry: registry,
                policy: WorkflowWaitRestartTests.policy,
                journal: RunJournal(store: first, id: id)
            )
            let waitingBefore = await before.waitUntilWaiting()
            #expect(waitingBefore == .waiting(state: "hold", for: .signal("customer")), "\(waitingBefore)")
            let restarted = InMemoryCheckpointStore()
            try Self.cut(id, from: first, to: restarted)
            // The old process goes away; whatever it does now reaches only its own store.
            await before.cancel()
            _ = await before.report

            let entries = try restarted.records(of: id, from: 0).map { try JournalChain.readEntry($0) }
            #expect(entries.count == 3)
            #expect(entries[0]["kind"] == "workflowStarted")
            #expect(entries[0]["definitionVersion"] == "2")
            #expect(entries[0]["definitionHash"] == .string(Self.definition.hash.description))
            #expect(entries[1]["kind"] == "taskFinished")
            // Entering the wait journaled its deadline on the wall clock (the system's: this orchestrator's default).
            #expect(entries[2]["kind"] == "waitDeadline")

            let after = try makeOrchestrator().start(
                workflow: Self.definition,
                data: [:],
                registry: registry,
                policy: WorkflowWaitRestartTests.policy,
                journal: RunJournal(store: restarted, id: id)
            )
            #expect(await after.waitUntilWaiting() == .waiting(state: "hold", for: .signal("customer")))
            #expect(classified.value == 1)
            #expect(await after.signal("customer", payload: "yes please"))
            let report = await after.report
            #expect(report.succeeded)
            #expect(report.statesTaken == ["classify", "hold", "after", "done"])
            #expect(
                report.finalData == [
                    "ticket": 1, "category": "billing", "reply": "yes please", "closed": ["seen": "yes please"],
                ]
            )
            #expect(classified.value == 1)
            #expect(report.journalHeadHash != nil)
            #expect(
                report.journalHeadHash == (try JournalChain(continuing: restarted.records(of: id, from: 0))).headHash
            )

            // Opening the finished journal again rebuilds the same report without running anything.
            let again = try makeOrchestrator().start(
                workflow: Self.definition,
                data: [:],
                registry: registry,
                policy: WorkflowWaitRestartTests.policy,
                journal: RunJournal(store: restarted, id: id)
            )
            let replayed = await again.report
            #expect(replayed.path == report.path)
            #expect(replayed.finalData == report.finalData)
            #expect(classified.value == 1)
        }
    }

    @Test("A journal written by another definition version is refused, naming both hashes")
    func definitionMismatch() async throws {
        try await withWatchdog("a changed definition is refused", seconds: 30) {
            let id = JournalID(rawValue: "refund-43")!
            let store = InMemoryCheckpointStore()
            let registry = try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")])
            let handle = try makeOrchestrator().start(
                workflow: Self.definition,
                data: [:],
                registry: registry,
                policy: WorkflowWaitRestartTests.policy,
                journal: RunJournal(store: store, id: id)
            )
            _ = await handle.waitUntilWaiting()
            await handle.cancel()
            _ = await handle.report
            var changed = Self.definition
            changed.version = "3"
            let refused = await
                (try makeOrchestrator().start(
                    workflow: changed,
                    data: [:],
                    registry: registry,
                    policy: WorkflowWaitRestartTests.policy,
                    journal: RunJournal(store: store, id: id)
                )).report
            #expect(refused.stopReason.kind == .invalid)
            #expect(refused.stopReason.reason?.contains(Self.definition.hash.description) == true)
            #expect(refused.path.isEmpty)
        }
    }

    @Test("The machine alone: the same inputs give the same path and data, with no task, lock or clock")
    func pureMachine() {
        func drive() -> (WorkflowMachine, [[WorkflowMachine.Effect]]) {
            var machine = WorkflowMachine(
                definition: Self.definition,
                data: [:],
                predicates: PredicateRegistry(),
                maxTransitions: 100,
                timeout: .seconds(300)
            )
            var log: [[WorkflowMachine.Effect]] = []
            log.append(machine.start(at: 0))
            let key = WorkflowTaskKey(state: "classify", visit: 1, branch: nil)
            log.append(machine.taskFinished(key, .success("billing", executionID: "r1"), at: 5))
            log.append(machine.signal("nobody", payload: 1, at: 6).effects)
            log.append(machine.signal("customer", payload: "ok", at: 7).effects)
            log.append(
                machine.taskFinished(
                    WorkflowTaskKey(state: "after", visit: 1, branch: nil),
                    .failure("agentFailed", detail: "x", executionID: "r2"),
                    at: 9
                )
            )
            return (machine, log)
        }
        let (machine, log) = drive()
        #expect(
            log[0] == [
                .run(
                    WorkflowTaskKey(state: "classify", visit: 1, branch: nil),
                    .agent("classifier"),
                    input: [:],
                    transitionsLeft: 100
                )
            ]
        )
        #expect(log[1] == [.startTimer(state: "hold", visit: 1, at: Nanoseconds(rawValue: 5 + 3_600_000_000_000))])
        #expect(log[2] == [])
        #expect(log[3].first == .cancelTimer(state: "hold", visit: 1))
        #expect(log[4] == [.finished])
        #expect(machine.stop == WorkflowStopReason(.failed, state: "failed", reason: "a task failed"))
        #expect(machine.path.map(\.state) == ["classify", "hold", "after", "failed"])
        #expect(machine.data == ["category": "billing", "reply": "ok"])
        let (again, _) = drive()
        #expect(
            again.report(executionID: "e", ledger: [], at: 9) == machine.report(executionID: "e", ledger: [], at: 9)
        )
    }
}
