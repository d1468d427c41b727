import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

private func tool(_ name: String, clock: ManualClock, takes duration: Duration, count: LockedState<Int>) -> ClosureTool
{
    ClosureTool(name: name, description: "Takes a while.", parameters: .any) { arguments in
        count.withLock { $0 += 1 }
        clock.advance(by: duration)
        return arguments
    }
}

/// Two units of work, then a payment that needs approval.
private let payer = ScriptedAgent(
    name: "payer",
    steps: [
        [.callTool("work", arguments: ["n": 1])], [.callTool("work", arguments: ["n": 2])],
        [.callTool("payments.send", arguments: ["amount": 42])],
    ]
)

@Suite("Durable runs: shared budgets and active time")
struct DurableBudgetTests {
    let clock = ManualClock()
    let bodies = LockedState(0)
    let policy: StrictPolicy

    init() throws {
        policy = try StrictPolicy(budget: BudgetLimits(), timeout: .seconds(1), requiresApproval: ["payments.*"])
    }

    func orchestrator() throws -> Orchestrator {
        try makeOrchestrator(
            tools: [
                tool("work", clock: clock, takes: .milliseconds(300), count: bodies),
                tool("payments.send", clock: clock, takes: .milliseconds(300), count: bodies),
            ],
            clock: clock
        )
    }

    @Test("a paused run holds nothing of the shared budget; resuming re-reserves its journaled consumption")
    func pauseGivesBack() async throws {
        let shared = SharedBudget(try BudgetLimits([.toolCalls: 10]))
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "shared")!)
        let orchestrator = try orchestrator()
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal, sharedBudget: shared)
        #expect(paused.status == .awaitingApproval)
        #expect(paused.totals.toolCalls == 2)
        #expect(shared.ledger.used(.toolCalls) == 0, "a paused run holds no reservation beyond the pending call's")
        #expect(shared.ledger.callsPerTool.isEmpty)
        #expect(shared.ledger.reservedUsage == .zero)
        let request = try #require(paused.pendingApproval)
        let done = try await orchestrator.resume(payer, journal: journal, approving: request, sharedBudget: shared)
        #expect(done.status == .succeeded)
        #expect(shared.ledger.used(.toolCalls) == 3)
        #expect(shared.ledger.callsPerTool == ["work": 2, "payments.send": 1])
        #expect(bodies.withLock { $0 } == 3)
    }

    @Test("a resume whose journaled consumption does not fit the shared budget is refused and keeps nothing")
    func resumeRefusedWhenItDoesNotFit() async throws {
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "tight")!)
        let orchestrator = try orchestrator()
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal)
        let request = try #require(paused.pendingApproval)
        let tight = SharedBudget(try BudgetLimits([.toolCalls: 1]))
        let error = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.resume(payer, journal: journal, approving: request, sharedBudget: tight)
        }
        #expect(error?.code == .sharedBudgetExceeded)
        #expect(tight.ledger.used(.toolCalls) == 0, "nothing stays reserved")
        #expect(tight.ledger.callsPerTool.isEmpty)
        #expect(bodies.withLock { $0 } == 2, "the payment did not run")
        // With room, the same approval resumes.
        let roomy = SharedBudget(try BudgetLimits([.toolCalls: 3]))
        let done = try await orchestrator.resume(payer, journal: journal, approving: request, sharedBudget: roomy)
        #expect(done.status == .succeeded)
        #expect(roomy.ledger.used(.toolCalls) == 3)
    }

    @Test("the timeout counts active run time only: a resume long after continues with the time it had left")
    func timeoutCountsActiveTimeOnly() async throws {
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "time")!)
        let orchestrator = try orchestrator()
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal)
        #expect(paused.status == .awaitingApproval)
        #expect(paused.durationNanoseconds == Nanoseconds(.milliseconds(600)))
        clock.advance(by: .seconds(3600))
        let request = try #require(paused.pendingApproval)
        let done = try await orchestrator.resume(payer, journal: journal, approving: request)
        #expect(done.status == .succeeded, "600 ms used + 300 ms for the payment fit the 1 s timeout")
        #expect(done.durationNanoseconds == Nanoseconds(.milliseconds(900)))
    }
}
