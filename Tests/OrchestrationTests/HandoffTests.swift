import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

private func transfer(_ to: String, id: String = "h") -> ScriptedModel.Turn {
    .toolCalls([ModelToolCall(id: id, name: "transfer_to_\(to)", arguments: [:])])
}

@Suite("ModelAgent hand-offs", .timeLimit(.suite))
struct HandoffTests {
    static let echo = ClosureTool(name: "echo", description: "Echoes.", parameters: .any) { $0 }

    /// triage hands to billing, which calls a tool and answers.
    static func desk(_ triageModel: ScriptedModel, _ billingModel: ScriptedModel) -> ModelAgent<String> {
        let billing = ModelAgent(
            name: "billing",
            instructions: "You handle billing.",
            model: billingModel,
            retry: .none,
            handoffDescription: "Billing questions: refunds, invoices."
        )
        return ModelAgent(
            name: "triage",
            instructions: "Route the user.",
            model: triageModel,
            tools: .none,
            retry: .none,
            handoffs: [billing]
        )
    }

    @Test("A hand-off continues the conversation in the same run: one ledger, the target's instructions, the chain")
    func chainAndSharedLedger() async throws {
        let triageModel = ScriptedModel(turns: [transfer("billing")])
        let billingModel = ScriptedModel(turns: [
            .toolCalls([ModelToolCall(id: "e", name: "echo", arguments: ["x": 1])]),
            .text("refunded"),
        ])
        let report = try await makeOrchestrator(tools: [Self.echo]).run(
            Self.desk(triageModel, billingModel),
            task: "I want a refund"
        )
        #expect(report.status == .succeeded)
        #expect(report.finalOutput == "refunded")
        #expect(report.agentChain == ["triage", "billing"])
        #expect(report.totals.modelCalls == 3, "both agents' calls are in one ledger")
        #expect(report.totals.toolCalls == 1)
        #expect(report.ledger.first { $0.budget == "handoffs" }?.used == 1)
        #expect(report.ledger.first { $0.budget == "modelCalls" }?.used == 3)
        let offered = try #require(triageModel.requests.first?.tools)
        #expect(offered.map(\.name) == ["transfer_to_billing"])
        #expect(offered.first?.description == "Billing questions: refunds, invoices.")
        let handedOver = try #require(billingModel.requests.first)
        #expect(handedOver.instructions == "You handle billing.")
        #expect(handedOver.messages.first == .user("I want a refund"), "the target sees the whole conversation")
        #expect(handedOver.tools.map(\.name) == ["echo"])
        #expect(report.steps.map { $0.input["agent"] } == [nil, "billing", "billing"])
    }

    @Test("The (N+1)th hand-off is refused before its agent runs, with a maxHandoffs violation")
    func limit() async throws {
        let aModel = ScriptedModel(turns: [transfer("b", id: "1"), transfer("b", id: "3")])
        let bModel = ScriptedModel(turns: [transfer("a", id: "2"), .text("never")])
        let b = ModelAgent(
            name: "b",
            model: bModel,
            retry: .none,
            handoffs: [
                ModelAgent(name: "a", model: aModel, retry: .none)
            ]
        )
        let a = ModelAgent(name: "a", model: aModel, retry: .none, handoffs: [b])
        let policy = try StrictPolicy(budget: BudgetLimits([.handoffs: 2]))
        let report = await (try makeOrchestrator()).run(a, task: "go", policy: policy)
        #expect(report.status == .failed || report.status == .stopped)
        guard case .policyViolation(let violation, _) = report.stopReason else {
            Issue.record("expected a policy violation, got \(report.stopReason)")
            return
        }
        #expect(violation.limit == .maxHandoffs)
        #expect(violation.limitValue == 2)
        #expect(bModel.callCount == 1, "b never ran after the refused third hand-off")
        #expect(aModel.callCount == 2)
        #expect(report.agentChain == ["a", "b", "a"])
        #expect(report.ledger.first { $0.budget == "handoffs" }?.used == 2)
        #expect(StrictPolicy().maxHandoffs == 5, "finite by default")
    }

    @Test("A journaled run with a hand-off resumes at every entry boundary and replays to the same report")
    func journaled() async throws {
        func models() -> (ScriptedModel, ScriptedModel) {
            (ScriptedModel(turns: [transfer("billing")]), ScriptedModel(turns: [.text("refunded")]))
        }
        let store = InMemoryCheckpointStore()
        let id = JournalID(rawValue: "handoff")!
        let (t, b) = models()
        let full = await (try makeOrchestrator()).run(
            Self.desk(t, b),
            task: "go",
            journal: RunJournal(store: store, id: id)
        )
        #expect(full.status == .succeeded)
        #expect(full.agentChain == ["triage", "billing"])
        let (rt, rb) = models()
        let replayed = try await makeOrchestrator().replay(Self.desk(rt, rb), journal: RunJournal(store: store, id: id))
        #expect(replayed.jsonText() == full.jsonText())
        #expect(rt.callCount == 0 && rb.callCount == 0)
        let records = store.records(of: id, from: 0)
        for cut in 1..<records.count {
            let cutStore = InMemoryCheckpointStore()
            try cutStore.append(Array(records[..<cut]), to: id, durability: .immediate)
            let (ct, cb) = models()
            let resumed = try await makeOrchestrator().resume(
                Self.desk(ct, cb),
                journal: RunJournal(store: cutStore, id: id)
            )
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) entries")
        }
    }
}
