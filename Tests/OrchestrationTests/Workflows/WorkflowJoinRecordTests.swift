import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

/// Nothing a workflow starts goes unrecorded: branches a join cancels and runs a stop cancels stay in the report.
@Suite("Workflow records: branches cancelled by a join, runs cancelled by a stop", .timeLimit(.suite))
struct WorkflowJoinRecordTests {
    /// Sleeps an hour on the orchestrator's clock: runs until something cancels it.
    static let hanging = ScriptedAgent(name: "hang", steps: [[.sleep(.seconds(3600)), .output("never")]])

    static func registry() throws -> WorkflowRegistry {
        var agents = AgentRegistry()
        try agents.register(hanging)
        try agents.register(constantAgent("ok", 1))
        try agents.register(failingAgent("bad"))
        try agents.register(constantAgent("handler", true))
        return WorkflowRegistry(agents: agents)
    }

    @Test("firstSuccess: the branch the join cancels is in the report, named, with the join's state; Codable")
    func firstSuccessRecordsCancelled() async throws {
        try await withWatchdog("a join cancels the other branch") {
            let report = try await makeOrchestrator().run(
                workflow: WorkflowParallelTests.parallel(.firstSuccess, ["hang", "ok"]),
                data: [:],
                registry: try Self.registry()
            )
            #expect(report.succeeded)
            #expect(report.finalData["joined"] == ["ok": 1])
            let runs = report.path[0].runs
            #expect(runs.map(\.branch) == ["ok", "hang"])
            let cancelled = try #require(runs.first { $0.branch == "hang" })
            #expect(cancelled.succeeded == false)
            #expect(cancelled.stopReason == "cancelled")
            #expect(cancelled.detail == "cancelled by the join of fan")
            #expect(cancelled.performer == WorkflowPerformer.agent("hang").description)
            let decoded = try JSONValueDecoder().decode(
                WorkflowReport.self,
                from: try JSONValueEncoder().encode(report)
            )
            #expect(decoded == report)
            #expect(decoded.path[0].runs.last?.detail == "cancelled by the join of fan")
        }
    }

    @Test("all: a failure cancels the branch still running, and that branch is recorded too")
    func allRecordsCancelled() async throws {
        try await withWatchdog("a failed all-join cancels the other branch") {
            let report = try await makeOrchestrator().run(
                workflow: WorkflowParallelTests.parallel(.all, ["hang", "bad"]),
                data: [:],
                registry: try Self.registry()
            )
            #expect(report.statesTaken == ["fan", "handler", "failed"])
            #expect(report.path[0].detail == "branches failed: bad")
            let byBranch = Dictionary(uniqueKeysWithValues: report.path[0].runs.map { ($0.branch ?? "", $0) })
            #expect(byBranch["bad"]?.stopReason == "agentFailed")
            #expect(byBranch["hang"]?.stopReason == "cancelled")
            #expect(byBranch["hang"]?.detail == "cancelled by the join of fan")
        }
    }

    @Test("A run cancelled because the workflow stopped is recorded with the stop's reason")
    func stopRecordsCancelled() async throws {
        try await withWatchdog("cancel records the running task") {
            let definition = WorkflowDefinition(
                name: "w",
                version: "1",
                initialState: "one",
                states: [
                    "one": agentTask("hang", output: "$.x", next: "done"), "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: definition,
                data: [:],
                registry: try Self.registry()
            )
            // The workflow deadline, the run's deadline and the agent's sleep.
            await clock.waitForSleepers(count: 3)
            #expect(await handle.cancel())
            let report = await handle.report
            #expect(report.stopReason.kind == .cancelled)
            #expect(report.path[0].runs.count == 1)
            #expect(report.path[0].runs.first?.stopReason == "cancelled")
            #expect(report.path[0].runs.first?.detail == "cancelled when the run stopped: cancelled at one")
        }
    }
}
