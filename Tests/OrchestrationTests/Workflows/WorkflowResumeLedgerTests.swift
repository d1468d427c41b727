import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("Resumed workflows keep their ledger and their id", .timeLimit(.suite))
struct WorkflowResumeLedgerTests {
    /// look (a tool call) → hold (a signal) → again (a tool call) → done.
    static let definition = WorkflowDefinition(
        name: "ledger",
        version: "1",
        initialState: "look",
        states: [
            "look": .task(WorkflowTaskState(.tool("lookup"), output: "$.first", next: "hold", onFailure: "failed")),
            "hold": .wait(
                WorkflowWaitState(
                    .signal("go"),
                    timeout: .seconds(3600),
                    output: "$.go",
                    next: "again",
                    onTimeout: "failed"
                )
            ),
            "again": .task(WorkflowTaskState(.tool("lookup"), output: "$.second", next: "done", onFailure: "failed")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    /// Runs the workflow in a first process until it waits, copies its journal to a second store (the process
    /// dies), resumes it there with `sharedBudget`, signals it and returns the resumed report, the tool calls made by
    /// the second process and both handles' execution ids.
    static func cutAndResume(
        policy: StrictPolicy,
        sharedBudget: SharedBudget? = nil,
        id: String
    ) async throws -> (report: WorkflowReport, callsAfter: Int, before: String, after: String) {
        let journal = JournalID(rawValue: id)!
        let first = InMemoryCheckpointStore()
        let before = try makeOrchestrator(tools: [countingTool("lookup", Counter())]).start(
            workflow: definition,
            data: [:],
            policy: policy,
            journal: RunJournal(store: first, id: journal)
        )
        #expect(await before.waitUntilWaiting() == .waiting(state: "hold", for: .signal("go")))
        let restarted = InMemoryCheckpointStore()
        try WorkflowJournalTests.cut(journal, from: first, to: restarted)
        await before.cancel()
        _ = await before.report
        let calls = Counter()
        // Another process: its id generator would give another id.
        let after = try Orchestrator(
            tools: [countingTool("lookup", calls)],
            clock: ManualClock(),
            idGenerator: .seeded(8)
        )
        .start(
            workflow: definition,
            data: [:],
            policy: policy,
            sharedBudget: sharedBudget,
            journal: RunJournal(store: restarted, id: journal)
        )
        if await after.waitUntilWaiting() == .waiting(state: "hold", for: .signal("go")) {
            await after.signal("go", payload: true)
        }
        return (await after.report, calls.value, await before.executionID, await after.executionID)
    }

    static func used(_ report: WorkflowReport, _ budget: String) -> Int64? {
        report.ledger.first { $0.budget == budget }?.used
    }

    @Test("Cut and resumed, a workflow reports the ledger of the uninterrupted run and keeps its execution id")
    func sameLedgerAfterResume() async throws {
        try await withWatchdog("a resumed workflow's ledger", seconds: 30) {
            let policy = try StrictPolicy(maxSteps: 10, maxToolCalls: 5)
            let whole = try makeOrchestrator(tools: [countingTool("lookup", Counter())]).start(
                workflow: Self.definition,
                data: [:],
                policy: policy,
                journal: RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "whole")!)
            )
            _ = await whole.waitUntilWaiting()
            await whole.signal("go", payload: true)
            let uninterrupted = await whole.report
            #expect(uninterrupted.succeeded)
            #expect(Self.used(uninterrupted, "toolCalls") == 2)

            let (resumed, callsAfter, before, after) = try await Self.cutAndResume(policy: policy, id: "ledger-1")
            #expect(resumed.succeeded)
            #expect(callsAfter == 1, "the finished tool task is not run again")
            #expect(resumed.ledger == uninterrupted.ledger, "the resumed ledger counts the journaled task's use")
            #expect(Self.used(resumed, "steps") == 2)
            #expect(after == before, "a resumed workflow keeps its execution id")
            #expect(resumed.executionID == before)
        }
    }

    @Test("A resumed workflow whose budget the journaled tasks used up stops on the budget instead of spending again")
    func exhaustedAfterResume() async throws {
        try await withWatchdog("a resumed workflow's exhausted budget", seconds: 30) {
            let policy = try StrictPolicy(maxToolCalls: 1)
            let (resumed, callsAfter, _, _) = try await Self.cutAndResume(policy: policy, id: "ledger-2")
            #expect(callsAfter == 0, "the resumed workflow's second tool call is refused by the rebuilt ledger")
            #expect(resumed.stopReason.kind == .failed)
            #expect(resumed.path.last?.state == "failed")
            #expect(resumed.path.first { $0.state == "again" }?.runs.first?.stopReason == "policyViolation")
            #expect(Self.used(resumed, "toolCalls") == 1)
        }
    }

    @Test("The journaled consumption is reserved again in a host-shared budget; one without room refuses the resume")
    func sharedBudgetOnResume() async throws {
        try await withWatchdog("a resumed workflow and its host's budget", seconds: 30) {
            let policy = try StrictPolicy(maxToolCalls: 5)
            let roomy = SharedBudget(try BudgetLimits(maxToolCalls: 10))
            let (fits, _, _, _) = try await Self.cutAndResume(policy: policy, sharedBudget: roomy, id: "ledger-3")
            #expect(fits.succeeded)
            #expect(roomy.ledger.used(.toolCalls) == 2, "the journaled call is reserved again, the new one added")

            let full = SharedBudget(try BudgetLimits(maxToolCalls: 0))
            let (refused, callsAfter, _, _) = try await Self.cutAndResume(
                policy: policy,
                sharedBudget: full,
                id: "ledger-4"
            )
            #expect(refused.stopReason.kind == .invalid)
            #expect(refused.stopReason.reason?.contains("shared budget cannot take") == true)
            #expect(refused.path.isEmpty)
            #expect(callsAfter == 0)
            #expect(full.ledger.used(.toolCalls) == 0, "a refused resume keeps nothing of the host's budget")
        }
    }
}
