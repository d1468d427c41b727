import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// Calls by idempotency key, per tool.
private final class Calls: Sendable {
    private let state = LockedState<[String]>([])
    func add(_ key: String) { state.withLock { $0.append(key) } }
    var keys: [String] { state.withLock { $0 } }
}

/// A store that remembers the order of every append across journals (a crash is a cut of that log).
private final class LoggedStore: CheckpointStore {
    let inner = InMemoryCheckpointStore()
    private let log = LockedState<[(JournalID, JournalRecord)]>([])
    var appended: [(JournalID, JournalRecord)] { log.withLock { $0 } }

    func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) throws {
        try inner.append(records, to: journal, durability: durability)
        log.withLock { $0 += records.map { (journal, $0) } }
    }

    func records(of journal: JournalID, from position: Int) -> [JournalRecord] {
        inner.records(of: journal, from: position)
    }

    func journals() -> [JournalID] { inner.journals() }
}

/// With `payPaused`, `c`'s last call waits until `pay`'s run has paused: the graph must let `c` finish first.
private func tools(payments: Calls, work: Calls, payPaused: Arrivals? = nil) -> [any Tool] {
    [
        ClosureTool(name: "payments.send", description: "Pays.") { arguments in
            payments.add(ToolInvocation.current?.idempotencyKey ?? "none")
            return ["paid": arguments]
        },
        ClosureTool(name: "work", description: "Works.") { arguments in
            if let payPaused, arguments == ["by": "c"] { await payPaused.wait(for: 1) }
            work.add(ToolInvocation.current?.idempotencyKey ?? "none")
            return ["done": arguments]
        },
    ]
}

/// a → (pay, c) → d: `pay` calls a tool that needs approval; `c` runs beside it; `d` needs both.
private func graph() -> AgentGraph {
    var graph = AgentGraph()
    graph.add("a", agent: ScriptedAgent(name: "a", steps: [[.callTool("work", arguments: ["by": "a"])]]))
    graph.add(
        "pay",
        agent: ScriptedAgent(
            name: "pay",
            steps: [
                [.callTool("work", arguments: ["by": "pay"])],
                [.callTool("payments.send", arguments: ["amount": 42])],
            ]
        ),
        dependsOn: ["a"]
    )
    graph.add(
        "c",
        agent: ScriptedAgent(
            name: "c",
            steps: [[.callTool("work", arguments: ["by": "c", "n": 1])], [.callTool("work", arguments: ["by": "c"])]]
        ),
        dependsOn: ["a"]
    )
    graph.add(
        "d",
        agent: ScriptedAgent(name: "d", steps: [[.callTool("work", arguments: ["by": "d"])]]),
        dependsOn: ["pay", "c"]
    )
    return graph
}

private let concurrent = Orchestrator.GraphConfiguration(maxConcurrency: 2)
private let graphID = JournalID(rawValue: "ga")!

private func payPolicy() throws -> StrictPolicy { try StrictPolicy(requiresApproval: ["payments.*"]) }

@Suite("Durable graphs: approvals inside nodes")
struct DurableGraphApprovalTests {
    @Test("a node awaiting approval pauses the graph once the others that can run have run, naming node and call")
    func pausesNamingTheCall() async throws {
        try await withWatchdog("a graph pausing for approval", seconds: 30) { try await Self.pauses() }
    }

    private static func pauses() async throws {
        let (payments, work, payPaused) = (Calls(), Calls(), Arrivals())
        let orchestrator = try makeOrchestrator(tools: tools(payments: payments, work: work, payPaused: payPaused))
        let store = InMemoryCheckpointStore()
        let journal = RunJournal(store: store, id: graphID)
        let policy = try payPolicy()
        let stream = orchestrator.events()
        let paused = try await withThrowingTaskGroup(of: AgentGraphReport?.self) { group in
            group.addTask {
                for await event in stream {
                    if event.nodeID == "pay", case .runFinished(let report) = event.kind,
                        report.status == .awaitingApproval
                    {
                        payPaused.arrive()
                    }
                    if case .graphFinished = event.kind { break }
                }
                return nil
            }
            let report = try await orchestrator.run(
                graph(),
                task: "go",
                policy: policy,
                journal: journal,
                configuration: concurrent
            )
            group.cancelAll()
            return report
        }
        #expect(paused.status == .awaitingApproval)
        #expect(payments.keys.isEmpty, "nothing is paid before approval")
        let pending = try #require(paused.pendingApprovals)
        #expect(pending.map(\.node) == ["pay"])
        let request = try #require(pending.first?.request)
        #expect(request.tool == "payments.send")
        #expect(request.arguments == ["amount": 42])
        let arguments: JSONValue = ["amount": 42]
        #expect(request.argumentsHash == SHA256.hash(arguments.canonicalJSONBytes()))
        #expect(request.policyHash.description.count == 64)
        #expect(request.callID.hasPrefix("ga.pay.1#"))
        #expect(paused.stopReason == .awaitingApproval(tool: "payments.send", callID: request.callID))
        // c, which could still run, ran to the end first; d, which needs pay, did not start.
        #expect(paused.node("c")?.status == .succeeded)
        #expect(paused.node("d")?.attempts.isEmpty == true)
        #expect(work.keys.count == 4)
        #expect(paused.node("pay")?.attempts.last?.pendingApproval == request)
        #expect(try AgentGraphReport(jsonText: paused.jsonText()) == paused)
    }

    @Test("resume approving runs the approved call once and finishes; again, or after a crash, never runs it twice")
    func approveOnceOnly() async throws {
        let (payments, work) = (Calls(), Calls())
        let orchestrator = try makeOrchestrator(tools: tools(payments: payments, work: work))
        let store = LoggedStore()
        let journal = RunJournal(store: store, id: graphID)
        let paused = try await orchestrator.run(
            graph(),
            task: "go",
            policy: try payPolicy(),
            journal: journal,
            configuration: concurrent
        )
        let request = try #require(paused.pendingApprovals?.first?.request)
        let pausedLog = store.appended.count
        let done = try await orchestrator.resume(
            graph(),
            journal: journal,
            approving: request,
            configuration: concurrent
        )
        #expect(done.status == .succeeded)
        #expect(done.pendingApprovals == nil)
        #expect(payments.keys.count == 1)
        #expect(work.keys.count == 5, "a, pay, c twice and d: nothing finished ran again")
        #expect(done.node("d")?.status == .succeeded)
        #expect(JournalChain.verify(store.records(of: graphID, from: 0), expectedHeadHash: done.journalHeadHash).isOK)

        // Resuming again with the same approval: nothing awaits it.
        do {
            _ = try await orchestrator.resume(graph(), journal: journal, approving: request, configuration: concurrent)
            Issue.record("a second approval resumed")
        } catch {
            guard case .journal(let failure) = error else { throw error }
            #expect(failure.code == .noPendingApproval)
        }
        let again = try await orchestrator.resume(graph(), journal: journal, configuration: concurrent)
        #expect(again.jsonText() == done.jsonText())
        #expect(payments.keys.count == 1)
        // A replay of the approved graph: the finished report, nothing run.
        let workBefore = work.keys.count
        let replayed = try await orchestrator.replay(graph(), journal: journal, configuration: concurrent)
        #expect(replayed.jsonText() == done.jsonText(), "the approved graph replays to its finished report")
        #expect(payments.keys.count == 1 && work.keys.count == workBefore, "the replay runs no tool")

        // A crash after the decision was journaled, after the approved call ran, and after the node ended: the
        // payment runs once in all.
        let log = store.appended
        let decoded = try log.map { ($0.0.rawValue, try JournalChain.readEntry($0.1)) }
        func position(in journal: String, of kind: String, _ field: String, _ value: String) throws -> Int {
            let index = decoded.indices.first { index in
                let (id, entry) = decoded[index]
                return index >= pausedLog && id == journal && entry["kind"] == .string(kind)
                    && (field.isEmpty || entry[field] == .string(value))
            }
            return try #require(index, "no \(kind) in \(journal) after the pause") + 1
        }
        let cuts = [
            pausedLog, try position(in: "ga.pay.1", of: "approvalDecided", "", ""),
            try position(in: "ga.pay.1", of: "toolCallFinished", "tool", "payments.send"),
            try position(in: "ga", of: "nodeAttemptFinished", "node", "pay"),
        ]
        for cut in cuts {
            let cutStore = InMemoryCheckpointStore()
            for (id, record) in log[..<cut] { try cutStore.append([record], to: id, durability: .immediate) }
            let (resumePayments, resumeWork) = (Calls(), Calls())
            let resumer = try makeOrchestrator(tools: tools(payments: resumePayments, work: resumeWork))
            let cutJournal = RunJournal(store: cutStore, id: graphID)
            let payEntries = try log[..<cut].filter { $0.0.rawValue == "ga.pay.1" }.map {
                try JournalChain.readEntry($0.1)
            }
            let decided = payEntries.contains { $0["kind"] == "approvalDecided" }
            let resumed =
                decided
                ? try await resumer.resume(graph(), journal: cutJournal, configuration: concurrent)
                : try await resumer.resume(graph(), journal: cutJournal, approving: request, configuration: concurrent)
            #expect(resumed.status == .succeeded, "cut after \(cut)")
            let paid = payEntries.contains { $0["kind"] == "toolCallFinished" && $0["tool"] == "payments.send" }
            #expect(resumePayments.keys.count == (paid ? 0 : 1), "cut after \(cut)")
            #expect(Set(resumePayments.keys).isSubset(of: Set(payments.keys)), "same idempotency key")
        }
    }

    @Test("resume denying refuses the call (it never runs); a decision for another call or policy is refused")
    func denyAndMismatch() async throws {
        let (payments, work) = (Calls(), Calls())
        let orchestrator = try makeOrchestrator(tools: tools(payments: payments, work: work))
        let store = InMemoryCheckpointStore()
        let journal = RunJournal(store: store, id: graphID)
        let paused = try await orchestrator.run(
            graph(),
            task: "go",
            policy: try payPolicy(),
            journal: journal,
            configuration: concurrent
        )
        var request = try #require(paused.pendingApprovals?.first?.request)
        var other = request
        let otherArguments: JSONValue = ["amount": 1_000]
        other.argumentsHash = SHA256.hash(otherArguments.canonicalJSONBytes())
        do {
            _ = try await orchestrator.resume(graph(), journal: journal, approving: other, configuration: concurrent)
            Issue.record("an approval of other arguments resumed")
        } catch {
            guard case .journal(let failure) = error else { throw error }
            #expect(failure.code == .approvalMismatch)
        }
        #expect(payments.keys.isEmpty)
        let denied = try await orchestrator.resume(
            graph(),
            journal: journal,
            denying: request,
            reason: "not today",
            configuration: concurrent
        )
        #expect(denied.status != .awaitingApproval)
        #expect(denied.pendingApprovals == nil)
        #expect(payments.keys.isEmpty)
        request.callID = "elsewhere#3"
        await #expect(throws: DurableGraphError.self) {
            _ = try await orchestrator.resume(graph(), journal: journal, approving: request, configuration: concurrent)
        }
    }
}

extension JournalVerification {
    fileprivate var isOK: Bool {
        if case .verified = self { return true }
        return false
    }
}
