import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("Workflow journals cut anywhere, refused when foreign, and the typed data view", .timeLimit(.suite))
struct WorkflowJournalCutTests {
    /// classify → hold (a signal) → review (an approval) → close → done.
    static let definition = WorkflowDefinition(
        name: "review",
        version: "1",
        initialState: "classify",
        states: [
            "classify": agentTask("classifier", output: "$.category", next: "hold"),
            "hold": .wait(
                WorkflowWaitState(
                    .signal("customer"),
                    timeout: .seconds(3600),
                    output: "$.reply",
                    next: "review",
                    onTimeout: "failed"
                )
            ),
            "review": .wait(
                WorkflowWaitState(
                    .approval(prompt: "refund?"),
                    timeout: .seconds(3600),
                    output: "$.decision",
                    next: "close",
                    onTimeout: "failed",
                    onDenied: "failed"
                )
            ),
            "close": agentTask("closer", input: "$.reply", output: "$.closed", next: "done"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    /// Drives a run to its end: answers its signal and approves its approval.
    static func finish(_ handle: WorkflowHandle) async -> WorkflowReport {
        while true {
            switch await handle.waitUntilWaiting() {
            case .waiting(_, .signal(let name)): await handle.signal(name, payload: "yes")
            case .waiting(_, .approval): await handle.approve(reason: "fine")
            default: return await handle.report
            }
        }
    }

    @Test(
        "Cut at every entry boundary and resumed, the workflow ends as the uninterrupted run, no finished task re-run"
    )
    func cutAtEveryBoundary() async throws {
        try await withWatchdog("a workflow journal cut anywhere", seconds: 60) {
            let id = JournalID(rawValue: "review-1")!
            let store = InMemoryCheckpointStore()
            let registry = try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")])
            let whole = await Self.finish(
                try makeOrchestrator().start(
                    workflow: Self.definition,
                    data: ["ticket": 1],
                    registry: registry,
                    journal: RunJournal(store: store, id: id)
                )
            )
            #expect(whole.succeeded)
            #expect(whole.statesTaken == ["classify", "hold", "review", "close", "done"])
            let records = store.records(of: id, from: 0)
            #expect(records.count >= 7)
            for cut in 1...records.count {
                let kept = Array(records.prefix(cut))
                let finished = try kept.map { try JournalChain.readEntry($0) }.filter { $0["kind"] == "taskFinished" }
                let restarted = InMemoryCheckpointStore()
                try restarted.append(kept, to: id, durability: .immediate)
                let classified = Counter()
                let closed = Counter()
                let resumedRegistry = try workflowRegistry([
                    constantAgent("classifier", "billing", counter: classified),
                    ClosureAgent(name: "closer") { step, _ in
                        closed.increment()
                        return ["seen": step.input]
                    },
                ])
                let report = await Self.finish(
                    try makeOrchestrator().start(
                        workflow: Self.definition,
                        data: [:],
                        registry: resumedRegistry,
                        journal: RunJournal(store: restarted, id: id)
                    )
                )
                #expect(report.stopReason == whole.stopReason, "cut after \(cut) entries")
                #expect(report.statesTaken == whole.statesTaken, "cut after \(cut) entries")
                #expect(report.path.map(\.outcome) == whole.path.map(\.outcome), "cut after \(cut) entries")
                #expect(report.finalData == whole.finalData, "cut after \(cut) entries")
                #expect(report.executionID == whole.executionID, "cut after \(cut) entries")
                let classifyFinished = finished.contains { $0["state"] == "classify" }
                let closeFinished = finished.contains { $0["state"] == "close" }
                #expect(classified.value == (classifyFinished ? 0 : 1), "classify re-run after a cut at \(cut)")
                #expect(closed.value == (closeFinished ? 0 : 1), "close re-run after a cut at \(cut)")
            }
        }
    }

    /// Writes `entry` as entry 0 of a fresh journal.
    static func journal(startingWith entry: JSONValue, id: JournalID) throws -> RunJournal {
        let store = InMemoryCheckpointStore()
        var chain = JournalChain()
        try store.append([try chain.append(entry)], to: id, durability: .immediate)
        return RunJournal(store: store, id: id)
    }

    static func entryZero(policy: StrictPolicy = StrictPolicy(), format: Int64) -> JSONValue {
        [
            "kind": "workflowStarted", "at": 0, "workflow": "review", "definitionVersion": "1",
            "definitionHash": .string(definition.hash.description),
            "policyHash": .string(RunJournalEntry.policyHash(policy).description), "executionID": "old",
            "data": [:], "journalFormat": .integer(format),
        ]
    }

    @Test("A journal written under another policy is refused, as the docs say, naming the journaled policy hash")
    func policyMismatch() async throws {
        let id = JournalID(rawValue: "review-2")!
        let journal = try Self.journal(startingWith: Self.entryZero(format: 3), id: id)
        let registry = try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")])
        let other = try StrictPolicy(maxSteps: 3)
        let report = await
            (try makeOrchestrator().start(
                workflow: Self.definition,
                data: [:],
                registry: registry,
                policy: other,
                journal: journal
            )).report
        #expect(report.stopReason.kind == .invalid)
        #expect(report.stopReason.reason?.contains("another policy") == true)
        #expect(report.stopReason.reason?.contains(RunJournalEntry.policyHash(StrictPolicy()).description) == true)
        #expect(report.path.isEmpty)
        // The same journal with the policy that wrote it resumes, keeping the journaled id.
        let resumed = try makeOrchestrator().start(
            workflow: Self.definition,
            data: [:],
            registry: registry,
            journal: journal
        )
        #expect(await resumed.executionID == "old")
        await resumed.cancel()
        #expect(await resumed.report.executionID == "old")
    }

    @Test("An entry 0 of a later journal format than this code reads is refused, naming both formats")
    func laterFormatRefused() async throws {
        let id = JournalID(rawValue: "review-3")!
        let journal = try Self.journal(startingWith: Self.entryZero(format: WorkflowRecorder.journalFormat + 1), id: id)
        let registry = try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")])
        let report = await
            (try makeOrchestrator().start(workflow: Self.definition, data: [:], registry: registry, journal: journal))
            .report
        #expect(report.stopReason.kind == .invalid)
        #expect(
            report.stopReason.reason?.contains(
                "journal format \(WorkflowRecorder.journalFormat + 1); this code reads formats 1 to "
                    + "\(WorkflowRecorder.journalFormat)"
            ) == true
        )
        #expect(report.path.isEmpty)
    }

    struct Closed: Decodable, Equatable {
        var category: String
        var reply: String
    }

    struct Wrong: Decodable {
        var category: Int
    }

    @Test("WorkflowReport.data(as:) decodes the typed view, and fails with a typed error on a mismatch")
    func typedData() async throws {
        let registry = try workflowRegistry([constantAgent("classifier", "billing"), echoAgent("closer")])
        let report = await Self.finish(
            try makeOrchestrator().start(workflow: Self.definition, data: [:], registry: registry)
        )
        #expect(try report.data(as: Closed.self) == Closed(category: "billing", reply: "yes"))
        #expect(throws: DecodingError.self) { try report.data(as: Wrong.self) }
    }
}
