import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("A journaled workflow's task runs keep journals of their own", .timeLimit(.suite))
struct WorkflowTaskJournalTests {
    static let definition = WorkflowDefinition(
        name: "work",
        version: "1",
        initialState: "work",
        states: [
            "work": agentTask("caller", output: "$.calls", next: "done"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    /// A `work` tool counting its calls by argument `n`.
    static func tool(_ first: Counter, _ second: Counter) -> ClosureTool {
        ClosureTool(name: "work", description: "Counts its calls by argument.") { arguments in
            if arguments["n"] == 0 { first.increment() } else { second.increment() }
            return arguments
        }
    }

    @Test("A task cut mid-run after a tool call finished resumes from its own journal: that tool body ran once")
    func taskResumesFromItsJournal() async throws {
        try await withWatchdog("a workflow task resumes from its journal", seconds: 30) {
            let id = JournalID(rawValue: "work-1")!
            let taskID = JournalID(rawValue: "work-1.work.1")!
            let store = InMemoryCheckpointStore()
            let registry = try workflowRegistry([toolCaller("work", calls: 2)])
            let whole = try await makeOrchestrator(tools: [Self.tool(Counter(), Counter())]).start(
                workflow: Self.definition,
                data: [:],
                registry: registry,
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(whole.succeeded)
            #expect(whole.finalData["calls"] == 2)
            let taskRecords = store.records(of: taskID, from: 0)
            let kinds = try taskRecords.map { try JournalChain.readEntry($0)["kind"]?.stringValue }
            let firstCallFinished = try #require(kinds.firstIndex(of: "toolCallFinished"))
            #expect(whole.path.first?.runs.first?.executionID == "\(whole.executionID).work.1")

            // The process died after the task's first tool call finished: the workflow journal holds only entry 0.
            let restarted = InMemoryCheckpointStore()
            try restarted.append(Array(store.records(of: id, from: 0).prefix(1)), to: id, durability: .immediate)
            try restarted.append(Array(taskRecords.prefix(firstCallFinished + 1)), to: taskID, durability: .immediate)
            let first = Counter()
            let second = Counter()
            let report = try await makeOrchestrator(tools: [Self.tool(first, second)]).start(
                workflow: Self.definition,
                data: [:],
                registry: registry,
                journal: RunJournal(store: restarted, id: id)
            ).report
            #expect(report.succeeded)
            #expect(first.value == 0, "the finished tool call is fed back from the task journal, not called again")
            #expect(second.value == 1)
            #expect(report.finalData == whole.finalData)
            #expect(report.ledger == whole.ledger)
            #expect(report.executionID == whole.executionID)
        }
    }

    @Test("A task a shutdown ended mid-run runs on in the next process: the shutdown is no outcome of the task")
    func taskEndedByShutdownResumes() async throws {
        try await withWatchdog("a task ended by shutdown resumes", seconds: 30) {
            let id = JournalID(rawValue: "work-2")!
            let store = InMemoryCheckpointStore()
            let clock = ManualClock()
            let started = Arrivals()
            let slow = ClosureAgent(name: "caller") { _, _ in
                started.arrive()
                try await clock.sleep(for: .seconds(1_000_000))
                return "late"
            }
            let first = try makeOrchestrator(clock: clock)
            let before = try first.start(
                workflow: Self.definition,
                data: [:],
                registry: try workflowRegistry([slow]),
                journal: RunJournal(store: store, id: id)
            )
            await started.wait(for: 1)
            await first.shutdown()
            _ = await before.report

            let calls = Counter()
            let after = try await makeOrchestrator().start(
                workflow: Self.definition,
                data: [:],
                registry: try workflowRegistry([constantAgent("caller", 2, counter: calls)]),
                journal: RunJournal(store: store, id: id)
            ).report
            #expect(after.succeeded, "\(after.stopReason)")
            // Agent code runs again whenever a journal is fed back (only tool and model calls are not repeated): once
            // for the fed-back attempt, once for the attempt that goes on in its own journal.
            #expect(calls.value == 2)
            #expect(!store.records(of: JournalID(rawValue: "work-2.work.1.2")!, from: 0).isEmpty)
            #expect(after.finalData["calls"] == 2)
        }
    }
}
