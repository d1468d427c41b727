import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

@Suite("Workflow starts refuse waits that outlast the workflow", .timeLimit(.minutes(1)))
struct WorkflowStartCheckTests {
    /// An approval wait of `timeout`, timing out to `late`.
    static func approval(_ timeout: Duration, name: String = "approve") -> WorkflowDefinition {
        WorkflowDefinition(
            name: name,
            version: "1",
            initialState: "ask",
            states: [
                "ask": .wait(
                    WorkflowWaitState(
                        .approval(prompt: "Refund?"),
                        timeout: timeout,
                        output: "$.approval",
                        next: "done",
                        onTimeout: "late",
                        onDenied: "denied"
                    )
                ),
                "done": succeededEnd,
                "late": .end(WorkflowEndState(.failed, reason: "nobody answered")),
                "denied": .end(WorkflowEndState(.failed, reason: "denied")),
            ]
        )
    }

    @Test("A wait not shorter than the policy's timeout is refused at start, naming the state and both durations")
    func waitOutlastsWorkflow() throws {
        let orchestrator = try makeOrchestrator()
        let policy = try StrictPolicy(timeout: .seconds(60))
        // Loading knows no policy: the definition itself is valid.
        #expect(Self.approval(.seconds(86_400)).validationErrors(registry: WorkflowRegistry(), tools: []) == [])
        for timeout: Duration in [.seconds(86_400), .seconds(60)] {
            #expect(
                Self.approval(timeout).validationErrors(registry: WorkflowRegistry(), tools: [], policy: policy).map(
                    \.code
                ) == [.waitOutlastsWorkflow]
            )
            do throws(WorkflowDefinitionError) {
                _ = try orchestrator.start(workflow: Self.approval(timeout), data: [:], policy: policy)
                Issue.record("a \(timeout) wait under a 60 s workflow timeout was started")
            } catch {
                #expect(error.code == .waitOutlastsWorkflow)
                #expect(error.workflow == "approve")
                #expect(error.state == "ask")
                #expect(error.field == "timeoutNanoseconds")
                #expect(error.message.contains("\(timeout)"))
                #expect(error.message.contains("\(Duration.seconds(60))"))
            }
        }
    }

    @Test("A sub-workflow's wait is checked against the same policy")
    func subWorkflowWait() throws {
        let parent = WorkflowDefinition(
            name: "parent",
            version: "1",
            initialState: "child",
            states: [
                "child": .task(
                    WorkflowTaskState(.workflow("approve"), output: "$.child", next: "done", onFailure: "failed")
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        var registry = WorkflowRegistry()
        try registry.register(Self.approval(.seconds(86_400)))
        let errors = parent.validationErrors(
            registry: registry,
            tools: [],
            policy: try StrictPolicy(timeout: .seconds(60))
        )
        #expect(errors.map(\.code) == [.waitOutlastsWorkflow])
        #expect(errors.first?.workflow == "approve")
        #expect(errors.first?.state == "ask")
    }

    @Test("A wait shorter than the workflow timeout starts and waits")
    func shorterWaitStarts() async throws {
        try await withWatchdog("a 30 s wait under a 60 s workflow runs") {
            let handle = try makeOrchestrator().start(
                workflow: Self.approval(.seconds(30)),
                data: [:],
                policy: try StrictPolicy(timeout: .seconds(60))
            )
            #expect(await handle.waitUntilWaiting() == .waiting(state: "ask", for: .approval(prompt: "Refund?")))
            #expect(await handle.deny(reason: "no"))
            #expect(await handle.report.stopReason == WorkflowStopReason(.failed, state: "denied", reason: "denied"))
        }
    }
}
