import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

/// The typed output of the structured-output tests.
struct Ticket: Codable, Hashable, Sendable {
    enum Priority: String, Codable, CaseIterable, Sendable { case low, high }
    var title: String
    var priority: Priority
}

@Suite("ModelAgent: the governed tool loop and typed output", .timeLimit(.suite))
struct ModelAgentTests {
    static let echo = ClosureTool(name: "echo", description: "Echoes.", parameters: .any) { $0 }

    @Test("Tool calls run, their results go back, the text answer ends the run; the transcript is the run's")
    func loop() async throws {
        let model = ScriptedModel(turns: [
            .toolCalls([ModelToolCall(id: "c1", name: "echo", arguments: ["x": 1])]),
            .text("done"),
        ])
        let agent = ModelAgent(name: "looper", instructions: "Be brief.", model: model, retry: .none)
        let report = try await makeOrchestrator(tools: [Self.echo]).run(agent, task: "go")
        #expect(report.status == .succeeded)
        #expect(report.finalOutput == "done")
        #expect(report.totals.modelCalls == 2)
        #expect(report.totals.toolCalls == 1)
        #expect(report.steps.count == 2, "one model call per step")
        #expect(report.steps.map { $0.modelCalls.count } == [1, 1])
        #expect(report.steps.last?.input == ["turn": 1, "repairs": 0], "step inputs never carry the transcript")
        #expect(
            report.modelTranscript == [
                .user("go"),
                .assistant("", toolCalls: [ModelToolCall(id: "c1", name: "echo", arguments: ["x": 1])]),
                .toolResult(for: "c1", content: #"{"x":1}"#),
                .assistant("done"),
            ]
        )
        #expect(model.requests.last?.messages.count == 3)
        #expect(model.requests.first?.instructions == "Be brief.")
        #expect(model.requests.first?.tools.map(\.name) == ["echo"])
        #expect(model.requests.first?.responseSchema == nil)
    }

    @Test("Two runs of one agent keep separate transcripts")
    func transcriptPerRun() async throws {
        let model = ScriptedModel(turns: [.text("a")], whenExhausted: .repeatLast)
        let agent = ModelAgent(name: "twice", model: model, retry: .none)
        let orchestrator = try makeOrchestrator()
        let first = await orchestrator.run(agent, task: "one")
        let second = await orchestrator.run(agent, task: "two")
        #expect(first.modelTranscript == [.user("one"), .assistant("a")])
        #expect(second.modelTranscript == [.user("two"), .assistant("a")])
    }

    @Test("Only the tools the agent may use are offered; others asked for are refused as unknown")
    func toolAccess() async throws {
        let counter = Counter()
        let model = ScriptedModel(turns: [
            .toolCalls([
                ModelToolCall(id: "a", name: "count", arguments: [:]),
                ModelToolCall(id: "b", name: "echo", arguments: [:]),
            ]),
            .text("ok"),
        ])
        let agent = ModelAgent(name: "picky", model: model, tools: try .named(["ec*"]), retry: .none)
        let report = try await makeOrchestrator(tools: [Self.echo, countingTool("count", counter)]).run(
            agent,
            task: "t"
        )
        #expect(model.requests.first?.tools.map(\.name) == ["echo"])
        #expect(counter.value == 0)
        #expect(report.totals.toolCalls == 1)
        let refusal = report.modelTranscript.first { $0.toolCallID == "a" }
        #expect(refusal?.isError == true)
        #expect(refusal?.content.contains("may not call tool") == true)
    }

    @Test("A batch beyond the tool budget: 10 of 20 run, the model reads 10 refusals, then answers")
    func batchBeyondBudget() async throws {
        let counter = Counter()
        let calls = (0..<20).map { ModelToolCall(id: "c\($0)", name: "count", arguments: ["n": .integer(Int64($0))]) }
        let model = ScriptedModel(turns: [.toolCalls(calls), .text("enough")])
        let agent = ModelAgent(name: "greedy", model: model, retry: .none)
        let policy = try StrictPolicy(maxToolCalls: 10)
        let report = try await makeOrchestrator(tools: [countingTool("count", counter)]).run(
            agent,
            task: "t",
            policy: policy
        )
        #expect(counter.value == 10)
        #expect(report.finalOutput == "enough")
        let results = model.requests.last?.messages.filter { $0.role == .tool } ?? []
        #expect(results.count == 20)
        #expect(results.filter(\.isError).count == 10)
        #expect(results.last?.content.contains("maxToolCalls") == true)
    }

    @Test("A typed output carries its schema and decodes from the report")
    func typedOutput() async throws {
        let model = ScriptedModel(turns: [.text(#"{"title": "Crash on launch", "priority": "high"}"#)])
        let agent = ModelAgent(name: "triage", model: model, output: Ticket.self, retry: .none)
        let report = try await makeOrchestrator().run(agent, task: "The app crashes")
        #expect(report.status == .succeeded)
        #expect(try report.output(as: Ticket.self) == Ticket(title: "Crash on launch", priority: .high))
        let schema = try #require(model.requests.first?.responseSchema)
        #expect(schema == (try ToolSchema(deriving: Ticket.self)))
    }

    @Test("An answer that does not fit is sent back with the problem, and the repair is accepted")
    func repaired() async throws {
        let model = ScriptedModel(turns: [
            .text("Sure! Here it is."),
            .text(#"{"title": "x", "priority": "urgent"}"#),
            .text(#"{"title": "x", "priority": "low"}"#),
        ])
        let agent = ModelAgent(name: "triage", model: model, output: Ticket.self, retry: .none)
        let report = try await makeOrchestrator().run(agent, task: "t")
        #expect(report.status == .succeeded)
        #expect(try report.output(as: Ticket.self) == Ticket(title: "x", priority: .low))
        #expect(report.totals.modelCalls == 3, "each repair is a governed call")
        let corrections = report.modelTranscript.filter { $0.role == .user }.dropFirst().map(\.content)
        #expect(corrections.count == 2)
        #expect(corrections.first?.contains("not JSON") == true)
        #expect(corrections.last?.contains("priority") == true)
    }

    @Test("After the last repair the run fails with a typed error naming the type and the first violation")
    func repairsExhausted() async throws {
        let model = ScriptedModel(turns: [.text(#"{"title": 3}"#)], whenExhausted: .repeatLast)
        let agent = ModelAgent(name: "triage", model: model, output: Ticket.self, retry: .none, maxOutputRepairs: 1)
        let report = try await makeOrchestrator().run(agent, task: "t")
        #expect(model.callCount == 2)
        guard case .agentFailed(let error) = report.stopReason else {
            Issue.record("expected agentFailed, got \(report.stopReason)")
            return
        }
        #expect(error.code == "invalidOutput")
        #expect(error.message.contains("Ticket"))
        #expect(error.message.contains("field \"priority\""), "the first violation is named")
        #expect(throws: OrchestrationError.self) { try report.output(as: Ticket.self) }
    }

    @Test("A fenced JSON answer is accepted")
    func fenced() async throws {
        let model = ScriptedModel(turns: [.text("```json\n{\"title\": \"t\", \"priority\": \"low\"}\n```")])
        let agent = ModelAgent(name: "triage", model: model, output: Ticket.self, retry: .none)
        let report = try await makeOrchestrator().run(agent, task: "t")
        #expect(try report.output(as: Ticket.self) == Ticket(title: "t", priority: .low))
    }
}
