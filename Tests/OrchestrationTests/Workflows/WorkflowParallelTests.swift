import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite(
    "Workflow parallel states: joins and their failure transitions",
    .timeLimit(.suite)
)
struct WorkflowParallelTests {
    static func parallel(_ join: WorkflowParallelState.Join, _ agents: [String]) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "p",
            version: "1",
            initialState: "fan",
            states: [
                "fan": .parallel(
                    WorkflowParallelState(
                        agents.map { WorkflowParallelState.Branch($0, .agent($0)) },
                        join: join,
                        output: "$.joined",
                        next: "done",
                        onFailure: "handler"
                    )
                ),
                "handler": agentTask("ok", output: "$.handled", next: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
    }

    @Test("Parallel joins: all succeeds with every output, any keeps the succeeded ones, firstSuccess takes one")
    func parallelJoins() async throws {
        let registry = try workflowRegistry([
            constantAgent("ok", 1), constantAgent("ok2", 2), failingAgent("bad"), failingAgent("bad2"),
        ])
        let orchestrator = try makeOrchestrator()
        let all = try await orchestrator.run(
            workflow: Self.parallel(.all, ["ok", "ok2"]),
            data: [:],
            registry: registry
        )
        #expect(all.succeeded)
        #expect(all.finalData["joined"] == ["ok": 1, "ok2": 2])
        let any = try await orchestrator.run(
            workflow: Self.parallel(.any, ["ok", "bad"]),
            data: [:],
            registry: registry
        )
        #expect(any.succeeded)
        #expect(any.finalData["joined"] == ["ok": 1])
        #expect(Set(any.path[0].runs.map(\.succeeded)) == [true, false])
        let first = try await orchestrator.run(
            workflow: Self.parallel(.firstSuccess, ["bad", "ok"]),
            data: [:],
            registry: registry
        )
        #expect(first.succeeded)
        #expect(first.finalData["joined"] == ["ok": 1])
    }

    @Test("Parallel failure transitions: all with one failure, any with all failed, firstSuccess with all failed")
    func parallelFailures() async throws {
        let registry = try workflowRegistry([constantAgent("ok", 1), failingAgent("bad"), failingAgent("bad2")])
        let orchestrator = try makeOrchestrator()
        for (join, agents) in [
            (WorkflowParallelState.Join.all, ["ok", "bad"]), (.any, ["bad", "bad2"]), (.firstSuccess, ["bad", "bad2"]),
        ] {
            let report = try await orchestrator.run(
                workflow: Self.parallel(join, agents),
                data: [:],
                registry: registry
            )
            #expect(report.statesTaken == ["fan", "handler", "failed"], "join \(join)")
            #expect(report.path[0].outcome == .failed, "join \(join)")
            #expect(report.path[0].transition == "failure", "join \(join)")
            #expect(report.stopReason.kind == .failed)
        }
    }
}
