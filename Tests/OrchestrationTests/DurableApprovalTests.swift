import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

private final class Payments: Sendable {
    private let state = LockedState<[String]>([])
    func add(_ key: String) { state.withLock { $0.append(key) } }
    var keys: [String] { state.withLock { $0 } }
}

private func paymentTool(_ payments: Payments) -> ClosureTool {
    ClosureTool(name: "payments.send", description: "Sends money.") { arguments in
        payments.add(ToolInvocation.current?.idempotencyKey ?? "none")
        return ["sent": arguments]
    }
}

/// A store that counts its reads.
private final class CountingStore: CheckpointStore {
    let inner = InMemoryCheckpointStore()
    private let reads = LockedState(0)
    var readCount: Int { reads.withLock { $0 } }

    func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) throws {
        try inner.append(records, to: journal, durability: durability)
    }

    func records(of journal: JournalID, from position: Int) -> [JournalRecord] {
        reads.withLock { $0 += 1 }
        return inner.records(of: journal, from: position)
    }

    func journals() -> [JournalID] { inner.journals() }
}

private let payer = ScriptedAgent(
    name: "payer",
    steps: [[.output("prepared")], [.callTool("payments.send", arguments: ["amount": 42])]]
)

@Suite("Durable runs: approval")
struct DurableApprovalTests {
    let store = InMemoryCheckpointStore()
    let journal: RunJournal
    let policy: StrictPolicy

    init() throws {
        journal = RunJournal(store: store, id: JournalID(rawValue: "pay")!)
        policy = try StrictPolicy(requiresApproval: ["payments.*"])
    }

    @Test("a policy pattern pauses before the call and names it; approving runs it exactly once")
    func approveOnce() async throws {
        let payments = Payments()
        let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal)
        #expect(paused.status == .awaitingApproval)
        let request = try #require(paused.pendingApproval)
        #expect(request.tool == "payments.send")
        #expect(request.argumentsHash == SHA256.hash((["amount": 42] as JSONValue).canonicalJSONBytes()))
        #expect(payments.keys.isEmpty)
        // Paused: resuming without a decision is refused.
        await #expect(throws: DurableRunError.self) { _ = try await orchestrator.resume(payer, journal: journal) }
        // Another call's approval is refused.
        var other = request
        other.argumentsHash = SHA256.hash([1, 2, 3])
        let mismatch = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.resume(payer, journal: journal, approving: other)
        }
        #expect(mismatch?.code == .approvalMismatch)
        let done = try await orchestrator.resume(payer, journal: journal, approving: request)
        #expect(done.status == .succeeded)
        #expect(payments.keys.count == 1)
        // Approving twice is refused; resuming again replays the journaled result and runs nothing.
        let twice = await #expect(throws: DurableRunError.self) {
            _ = try await orchestrator.resume(payer, journal: journal, approving: request)
        }
        #expect(twice?.code == .noPendingApproval)
        let again = try await orchestrator.resume(payer, journal: journal)
        #expect(again.jsonText() == done.jsonText())
        #expect(payments.keys.count == 1)
    }

    @Test("crashing after the approved call ran never runs it again")
    func crashAfterApprovedCall() async throws {
        let payments = Payments()
        let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal)
        let request = try #require(paused.pendingApproval)
        let done = try await orchestrator.resume(payer, journal: journal, approving: request)
        let records = store.records(of: journal.id, from: 0)
        let finished = try #require(
            try records.firstIndex { try JournalChain.readEntry($0)["kind"] == "toolCallFinished" }
        )
        let cut = InMemoryCheckpointStore()
        try cut.append(Array(records[...finished]), to: journal.id, durability: .immediate)
        let resumed = try await orchestrator.resume(payer, journal: RunJournal(store: cut, id: journal.id))
        #expect(resumed.jsonText() == done.jsonText())
        #expect(payments.keys.count == 1)
    }

    @Test("a denial gives the agent a typed refusal and the tool never runs")
    func deny() async throws {
        let payments = Payments()
        let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal)
        let request = try #require(paused.pendingApproval)
        let denied = try await orchestrator.resume(payer, journal: journal, denying: request, reason: "too much")
        #expect(payments.keys.isEmpty)
        #expect(denied.status == .failed)
        #expect(denied.steps.last?.toolCalls.last?.status == .refused)
        #expect(denied.steps.last?.toolCalls.last?.error?.code == "approvalDenied")
    }

    @Test(
        "replaying a journal that paused and was approved, or denied, gives the resumed run's report and runs nothing"
    )
    func replayAfterDecision() async throws {
        for approve in [true, false] {
            let payments = Payments()
            let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
            let decided = RunJournal(store: store, id: JournalID(rawValue: approve ? "pay-approved" : "pay-denied")!)
            let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: decided)
            let request = try #require(paused.pendingApproval)
            // The paused journal alone replays to the paused report.
            let pausedReplay = try await orchestrator.replay(payer, journal: decided)
            #expect(pausedReplay.jsonText() == paused.jsonText(), "the paused journal replays to the pause")
            let done =
                approve
                ? try await orchestrator.resume(payer, journal: decided, approving: request)
                : try await orchestrator.resume(payer, journal: decided, denying: request, reason: "too much")
            let calls = payments.keys.count
            let replayed = try await orchestrator.replay(payer, journal: decided)
            #expect(
                replayed.jsonText() == done.jsonText(),
                "approve \(approve): the replay is the resumed run's report"
            )
            #expect(payments.keys.count == calls, "approve \(approve): the replay runs no tool")
        }
    }

    @Test("run on a journal that holds a run resumes it after one read of the journal, not two")
    func runOnAJournalReadsItOnce() async throws {
        let payments = Payments()
        let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
        let counting = CountingStore()
        let held = RunJournal(store: counting, id: JournalID(rawValue: "pay-once")!)
        let open = StrictPolicy()
        let first = await orchestrator.run(payer, task: "pay", policy: open, journal: held)
        #expect(first.status == .succeeded)
        let before = counting.readCount
        let again = await orchestrator.run(payer, task: "pay", policy: open, journal: held)
        #expect(again.jsonText() == first.jsonText(), "the finished run is fed back, not run again")
        #expect(payments.keys.count == 1)
        #expect(counting.readCount - before == 1, "the journal is read once")
    }

    @Test("a run without a journal refuses a call that needs approval")
    func noJournalRefuses() async throws {
        let payments = Payments()
        let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
        let report = await orchestrator.run(payer, task: "pay", policy: policy)
        #expect(payments.keys.isEmpty)
        #expect(report.steps.last?.toolCalls.last?.error?.code == "approvalRequired")
    }

    @Test("a fork continues from entry k under a new policy in a new journal that names its parent")
    func fork() async throws {
        let payments = Payments()
        let orchestrator = try makeOrchestrator(tools: [paymentTool(payments)])
        let paused = await orchestrator.run(payer, task: "pay", policy: policy, journal: journal)
        #expect(paused.status == .awaitingApproval)
        let records = store.records(of: journal.id, from: 0)
        let into = RunJournal(store: store, id: JournalID(rawValue: "pay-fork")!)
        // Fork before the approval request, with a policy that needs none: the call runs live.
        let forked = try await orchestrator.fork(
            payer,
            journal: journal,
            at: records.count - 2,
            into: into,
            policy: StrictPolicy()
        )
        #expect(forked.status == .succeeded)
        #expect(payments.keys.count == 1)
        let first = try JournalChain.readEntry(store.records(of: into.id, from: 0)[0])
        guard case .object(let origin)? = first["forkedFrom"] else {
            Issue.record("no forkedFrom in \(first)")
            return
        }
        #expect(origin["journal"] == "pay")
        #expect(origin["position"] == .integer(Int64(records.count - 2)))
    }
}
