import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("A finished workflow journal, reopened, reports the same run", .timeLimit(.suite))
struct WorkflowJournalReplayTests {
    @Test("A failed task replays as failed: the failure transition, the handler and the stop are the same")
    func failedTaskReplaysAsFailed() async throws {
        let definition = WorkflowDefinition(
            name: "fails",
            version: "1",
            initialState: "work",
            states: [
                "work": agentTask("bad", input: "$.ticket", output: "$.x", next: "done", onFailure: "handler"),
                "handler": agentTask("ok", output: "$.handled", next: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let handlerRuns = Counter()
        let registry = try workflowRegistry([failingAgent("bad"), constantAgent("ok", true, counter: handlerRuns)])
        let orchestrator = try makeOrchestrator()
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "fails-1")!)
        let live = try await orchestrator.start(
            workflow: definition,
            data: ["ticket": 1],
            registry: registry,
            journal: journal
        ).report
        #expect(live.statesTaken == ["work", "handler", "failed"])
        #expect(live.path[0].transition == "failure")
        let reopened = try await orchestrator.start(
            workflow: definition,
            data: [:],
            registry: registry,
            journal: journal
        ).report
        #expect(reopened.statesTaken == live.statesTaken)
        #expect(reopened.path.map(\.outcome) == live.path.map(\.outcome))
        #expect(reopened.path[0].runs.first?.succeeded == false)
        #expect(reopened.stopReason == live.stopReason)
        #expect(reopened.finalData == live.finalData)
        #expect(handlerRuns.value == 1)
    }
}
