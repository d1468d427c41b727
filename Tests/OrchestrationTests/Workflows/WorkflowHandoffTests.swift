import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Hand-offs to registered agents, by name", .timeLimit(.suite))
struct WorkflowHandoffTests {
    @Test("A workflow's model agent hands the conversation to a registered agent resolved by name")
    func handoffByName() async throws {
        let billingModel = ScriptedModel(turns: [.text("refunded")])
        let triageModel = ScriptedModel(turns: [
            .toolCalls([ModelToolCall(id: "h", name: "transfer_to_billing", arguments: [:])])
        ])
        var agents = AgentRegistry()
        try agents.register(
            ModelAgent(
                name: "billing",
                instructions: "You handle billing.",
                model: billingModel,
                tools: .none,
                retry: .none,
                handoffDescription: "Refunds and invoices."
            )
        )
        try agents.register(
            ModelAgent(
                name: "triage",
                instructions: "Route the user.",
                model: triageModel,
                tools: .none,
                retry: .none,
                handoffs: try agents.handoffTargets(["billing"])
            )
        )
        let definition = WorkflowDefinition(
            name: "desk",
            version: "1",
            initialState: "answer",
            states: [
                "answer": .task(
                    WorkflowTaskState(
                        .agent("triage"),
                        input: "$.ticket",
                        output: "$.reply",
                        next: "done",
                        onFailure: "failed"
                    )
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let orchestrator = try makeOrchestrator()
        let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "desk-1")!)
        let report = try await orchestrator.start(
            workflow: definition,
            data: ["ticket": "I was charged twice"],
            registry: WorkflowRegistry(agents: agents),
            journal: journal
        ).report
        #expect(report.succeeded, "\(report.stopReason)")
        #expect(report.path[0].runs.first?.agentChain == ["triage", "billing"])
        // The chain is journaled with the task's outcome: the finished journal, reopened, reports it again (and a
        // journaled start does not check the data paths against the data it ignores).
        let reopened = try await orchestrator.start(
            workflow: definition,
            data: [:],
            registry: WorkflowRegistry(agents: agents),
            journal: journal
        ).report
        #expect(reopened.path[0].runs.first?.agentChain == ["triage", "billing"])
        #expect(report.finalData["reply"] == "refunded")
        #expect(triageModel.requests.first?.tools.map(\.name) == ["transfer_to_billing"])
        #expect(billingModel.requests.first?.messages.first == .user("I was charged twice"))
        #expect(report.ledger.first { $0.budget == "handoffs" }?.used == 1)
    }

    @Test("An unknown hand-off target is a typed error naming it; an agent that cannot take over is refused")
    func unknownTarget() throws {
        var agents = AgentRegistry()
        try agents.register(constantAgent("plain", 1))
        do throws(OrchestrationError) {
            _ = try agents.handoffTargets(["billing"])
            Issue.record("an unregistered hand-off target was resolved")
        } catch {
            #expect(error.code == .unknownAgent)
            #expect(error.name == "billing")
            #expect(error.registered == ["plain"])
            #expect(error.message.contains("\"billing\""))
        }
        do throws(OrchestrationError) {
            _ = try agents.handoffTargets(["plain"])
            Issue.record("a closure agent was accepted as a hand-off target")
        } catch {
            #expect(error.code == .notAHandoffTarget)
            #expect(error.name == "plain")
        }
        #expect(try agents.handoffTargets([]).isEmpty)
    }
}
