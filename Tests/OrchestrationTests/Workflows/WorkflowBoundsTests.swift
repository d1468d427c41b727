import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite(
    "Workflow bounds: visit caps, the transition limit, the workflow ledger",
    .timeLimit(.suite)
)
struct WorkflowBoundsTests {
    static let loop = WorkflowDefinition(
        name: "loop",
        version: "1",
        initialState: "work",
        states: [
            "work": agentTask("counter", output: "$.n", next: "check"),
            "check": .decision(WorkflowDecisionState([.init(.equals("$.n", 3), next: "done")], default: "work")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func countingAgent(_ counter: Counter) -> ClosureAgent {
        ClosureAgent(name: "counter") { _, _ in
            counter.increment()
            return .integer(Int64(counter.value))
        }
    }

    @Test("A loop revisits and re-executes its states; the visit cap stops an endless loop naming the state")
    func visitCap() async throws {
        let runs = Counter()
        let orchestrator = try makeOrchestrator()
        let report = try await orchestrator.run(
            workflow: Self.loop,
            data: [:],
            registry: try workflowRegistry([Self.countingAgent(runs)])
        )
        #expect(report.succeeded)
        #expect(runs.value == 3)
        #expect(report.states["work"]?.visits == 3)

        var endless = Self.loop
        endless.states["check"] = .decision(
            WorkflowDecisionState([.init(.equals("$.n", -1), next: "done")], default: "work")
        )
        endless.maxVisitsPerState = 4
        let endlessRuns = Counter()
        let stopped = try await orchestrator.run(
            workflow: endless,
            data: [:],
            registry: try workflowRegistry([Self.countingAgent(endlessRuns)])
        )
        #expect(stopped.stopReason.kind == .visitCapReached)
        #expect(stopped.stopReason.state == "work")
        #expect(stopped.stopReason.limit == 4)
        #expect(endlessRuns.value == 4)
        #expect(stopped.states["work"]?.visits == 4)
    }

    @Test("The policy's transition limit stops a loop the visit caps allow")
    func transitionLimit() async throws {
        var endless = Self.loop
        endless.states["check"] = .decision(
            WorkflowDecisionState([.init(.equals("$.n", -1), next: "done")], default: "work")
        )
        endless.maxVisitsPerState = 1_000
        let runs = Counter()
        let report = try await makeOrchestrator().run(
            workflow: endless,
            data: [:],
            registry: try workflowRegistry([Self.countingAgent(runs)]),
            policy: try StrictPolicy(maxWorkflowTransitions: 5)
        )
        #expect(report.stopReason.kind == .transitionLimitReached)
        #expect(report.stopReason.limit == 5)
        #expect(report.transitions == 5)
        #expect(runs.value == 3)
        #expect(StrictPolicy().maxWorkflowTransitions == StrictPolicy.Defaults.maxWorkflowTransitions)
    }

    @Test(
        "maxWorkflowTransitions: encoded only when not the default (old policy hashes hold), round-trips, not negative"
    )
    func transitionLimitField() throws {
        let plain = try JSONValueEncoder().encode(StrictPolicy())
        #expect(plain["maxWorkflowTransitions"] == nil)
        let limited = try StrictPolicy(maxWorkflowTransitions: 7)
        let encoded = try JSONValueEncoder().encode(limited)
        #expect(encoded["maxWorkflowTransitions"] == 7)
        #expect(try JSONValueDecoder().decode(StrictPolicy.self, from: encoded) == limited)
        #expect(StrictPolicy().tightened(by: limited).maxWorkflowTransitions == 7)
        #expect(throws: PolicyError.self) { try StrictPolicy(maxWorkflowTransitions: -1) }
    }

    @Test(
        "One workflow ledger: the policy's step limit covers all task runs together, and the overrun takes the failure edge"
    )
    func sharedLedger() async throws {
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "one",
            states: [
                "one": agentTask("a", output: "$.one", next: "two"),
                "two": agentTask("b", output: "$.two", next: "done", onFailure: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: [:],
            registry: try workflowRegistry([constantAgent("a", 1), constantAgent("b", 2)]),
            policy: try StrictPolicy(maxSteps: 1)
        )
        #expect(report.statesTaken == ["one", "two", "failed"])
        #expect(report.path[1].runs.first?.stopReason == "policyViolation")
        #expect(report.ledger.first { $0.budget == BudgetKind.steps.name }?.used == 1)
    }
}
