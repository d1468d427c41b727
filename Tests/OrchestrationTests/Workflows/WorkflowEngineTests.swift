import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite(
    "Workflow engine: task, decision and end states, sub-workflows, task failure transitions",
    .timeLimit(.suite)
)
struct WorkflowEngineTests {
    @Test("Task → decision → end: the output is written at its path, the decision routes on it, the path is reported")
    func taskDecisionEnd() async throws {
        let definition = WorkflowDefinition(
            name: "triage",
            version: "1",
            initialState: "classify",
            states: [
                "classify": agentTask("classifier", input: "$.ticket", output: "$.category", next: "route"),
                "route": .decision(
                    WorkflowDecisionState(
                        [
                            .init(.equals("$.category", "billing"), next: "billing"),
                            .init(.predicate("never"), next: "failed"),
                        ],
                        default: "other"
                    )
                ),
                "billing": agentTask("echo", input: "$.ticket", output: "$.draft", next: "done"),
                "other": agentTask("echo", output: "$.draft", next: "done"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let orchestrator = try makeOrchestrator()
        let report = try await orchestrator.run(
            workflow: definition,
            data: ["ticket": ["text": "refund please"]],
            registry: try workflowRegistry(
                [constantAgent("classifier", "billing"), echoAgent("echo")],
                predicates: ["never": { _ in false }]
            )
        )
        #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "done"))
        #expect(report.statesTaken == ["classify", "route", "billing", "done"])
        #expect(report.path.map(\.outcome) == [.succeeded, .chose, .succeeded, .ended])
        #expect(report.path[1].transition == "$.category == \"billing\"")
        #expect(
            report.finalData == [
                "ticket": ["text": "refund please"], "category": "billing",
                "draft": ["seen": ["text": "refund please"]],
            ]
        )
        #expect(report.states["other"] == nil)
        #expect(report.states["billing"] == WorkflowStateSummary(visits: 1, lastOutcome: .succeeded))
        #expect(report.transitions == 3)
        #expect(report.path[0].runs.first?.executionID != nil)
        #expect(report.definitionHash == definition.hash)
        #expect(report.version == "1")
        let decoded = try JSONValueDecoder().decode(WorkflowReport.self, from: try JSONValueEncoder().encode(report))
        #expect(decoded == report)
        #expect(report.schemaVersion == WorkflowReport.currentSchemaVersion)
    }

    @Test("A failing agent task takes its failure transition: handler runs once, the workflow succeeds")
    func taskFailureTransition() async throws {
        let handled = Counter()
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "a",
            states: [
                "a": agentTask("broken", output: "$.a", next: "done", onFailure: "handler"),
                "handler": agentTask("handler", output: "$.handled", next: "done"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: [:],
            registry: try workflowRegistry([failingAgent("broken"), constantAgent("handler", true, counter: handled)])
        )
        #expect(report.succeeded)
        #expect(handled.value == 1)
        #expect(report.statesTaken == ["a", "handler", "done"])
        #expect(report.path[0].outcome == .failed)
        #expect(report.path[0].transition == "failure")
        #expect(report.path[0].runs.first?.stopReason == "agentFailed")
        #expect(report.path[0].detail?.contains("broken broke") == true)
    }

    @Test("A tool task calls the tool once, governed; a failing tool and a missing input take the failure transition")
    func toolTasks() async throws {
        let calls = Counter()
        let tools: [any Tool] = [
            countingTool("lookup", calls),
            ClosureTool(name: "explode", description: "Fails.", parameters: .any) { _ in
                throw ToolError(code: .toolFailed, tool: "explode", message: "boom")
            },
        ]
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "look",
            states: [
                "look": .task(
                    WorkflowTaskState(
                        .tool("lookup"),
                        input: "$.query",
                        output: "$.found",
                        next: "explode",
                        onFailure: "failed"
                    )
                ),
                "explode": .task(
                    WorkflowTaskState(.tool("explode"), output: "$.x", next: "failed", onFailure: "missing")
                ),
                // Validation accepts the path (this state writes it), but the data does not hold it yet.
                "missing": .task(
                    WorkflowTaskState(
                        .tool("lookup"),
                        input: "$.later",
                        output: "$.later",
                        next: "failed",
                        onFailure: "done"
                    )
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator(tools: tools).run(
            workflow: definition,
            data: ["query": ["id": 1]],
            registry: WorkflowRegistry()
        )
        #expect(report.succeeded)
        #expect(calls.value == 1)
        #expect(report.finalData["found"] == ["id": 1])
        #expect(report.path.map(\.outcome) == [.succeeded, .failed, .failed, .ended])
        #expect(report.path[1].runs.first?.stopReason == "toolFailed")
        #expect(report.path[2].runs.first?.stopReason == "missingInput")
        #expect(report.path[2].runs.first?.executionID == nil)
    }

    @Test(
        "A sub-workflow task runs the registered workflow on its input; its final data is the output; its failure fails the task"
    )
    func subWorkflow() async throws {
        let child = WorkflowDefinition(
            name: "child",
            version: "1",
            initialState: "work",
            states: [
                "work": agentTask("echo", output: "$.echoed", next: "end"), "end": succeededEnd, "failed": failedEnd,
            ]
        )
        let failingChild = WorkflowDefinition(
            name: "failing",
            version: "1",
            initialState: "end",
            states: ["end": .end(WorkflowEndState(.failed, reason: "no"))]
        )
        let definition = WorkflowDefinition(
            name: "parent",
            version: "1",
            initialState: "sub",
            states: [
                "sub": .task(
                    WorkflowTaskState(
                        .workflow("child"),
                        input: "$.order",
                        output: "$.result",
                        next: "bad",
                        onFailure: "failed"
                    )
                ),
                "bad": .task(
                    WorkflowTaskState(.workflow("failing"), output: "$.bad", next: "failed", onFailure: "done")
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: ["order": ["id": 9]],
            registry: try workflowRegistry([echoAgent("echo")], workflows: [child, failingChild])
        )
        #expect(report.succeeded)
        #expect(report.finalData["result"] == ["id": 9, "echoed": ["seen": ["id": 9]]])
        #expect(report.path[1].outcome == .failed)
        #expect(report.path[1].runs.first?.stopReason == "failed")
    }
}
