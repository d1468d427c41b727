import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Tool calls of one model response: N of M", .timeLimit(.suite))
struct ToolBatchTests {
    static func calls(_ count: Int, tool: String = "count") -> [ModelToolCall] {
        (0..<count).map { ModelToolCall(id: "c\($0)", name: tool, arguments: ["n": .integer(Int64($0))]) }
    }

    /// An agent that runs one batch and returns each outcome's status.
    static func batch(_ calls: [ModelToolCall]) -> ClosureAgent {
        ClosureAgent(name: "batcher") { _, context in
            let outcomes = try await context.callTools(calls)
            return .array(outcomes.map { .string($0.status.rawValue) })
        }
    }

    @Test("With 10 tool calls left and 20 asked, exactly 10 run; the model is told about the other 10")
    func tellModel() async throws {
        let counter = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("count", counter)])
        let policy = try StrictPolicy(maxToolCalls: 10)
        let report = await orchestrator.run(Self.batch(Self.calls(20)), task: nil, policy: policy)
        #expect(counter.value == 10)
        #expect(report.status == .succeeded)
        let statuses = report.finalOutput?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(statuses == Array(repeating: "succeeded", count: 10) + Array(repeating: "refused", count: 10))
        #expect(report.totals.toolCalls == 10)
        #expect(report.totals.refusedToolCalls == 10)
        #expect(report.violations.isEmpty)
    }

    @Test("With stopRun, the 10 affordable calls finish, then the run stops with the violation")
    func stopRun() async throws {
        let counter = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("count", counter)])
        let policy = try StrictPolicy(maxToolCalls: 10, toolBatchOverflow: .stopRun)
        let report = await orchestrator.run(Self.batch(Self.calls(20)), task: nil, policy: policy)
        #expect(counter.value == 10)
        #expect(report.stopReason.violation?.limit == .maxToolCalls)
        #expect(report.steps.first?.toolCalls.filter { $0.status == .succeeded }.count == 10)
        #expect(report.steps.first?.toolCalls.filter { $0.status == .refused }.count == 10)
    }

    @Test("The reserved calls run concurrently: ten bodies meet before any returns")
    func concurrent() async throws {
        try await withWatchdog("ten tool bodies meeting") {
            let arrivals = Arrivals()
            let tool = ClosureTool(name: "meet", description: "Waits for ten.", parameters: .any) { arguments in
                arrivals.arrive()
                await arrivals.wait(for: 10)
                return arguments
            }
            let orchestrator = try makeOrchestrator(tools: [tool])
            let report = await orchestrator.run(Self.batch(Self.calls(10, tool: "meet")), task: nil)
            #expect(report.status == .succeeded)
            #expect(arrivals.count == 10)
        }
    }

    @Test("Unknown tools and invalid arguments come back as readable refusals, counted as refused")
    func readableRefusals() async throws {
        let counter = Counter()
        let strict = countingTool("strict", counter, schema: .object(properties: ["n": .integer()], required: ["n"]))
        let orchestrator = try makeOrchestrator(tools: [strict])
        let calls = [
            ModelToolCall(id: "a", name: "nope", arguments: [:]),
            ModelToolCall(id: "b", name: "strict", arguments: ["n": "text"]),
            ModelToolCall(id: "c", name: "strict", arguments: ["n": 1]),
        ]
        let agent = ClosureAgent(name: "reader") { _, context in
            let outcomes = try await context.callTools(calls)
            return .array(outcomes.map { .string($0.resultMessage.content) })
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(counter.value == 1)
        #expect(report.totals.refusedToolCalls == 2)
        #expect(report.ledger.first { $0.budget == "refusedToolCalls" }?.used == 2)
        let contents = report.finalOutput?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(contents.count == 3)
        #expect(contents.first?.contains("unknownTool") == true)
        #expect(contents.dropFirst().first?.contains("invalidArguments") == true)
        #expect(contents.last == #"{"n":1}"#)
    }

    @Test("Batch bodies run with the task-local invocation: their progress becomes run events")
    func progress() async throws {
        let tool = ClosureTool(name: "slow", description: "Reports progress.", parameters: .any) { arguments in
            ToolInvocation.current?.reportProgress(1, total: 2, message: "half")
            return arguments
        }
        let handle = try makeOrchestrator(tools: [tool]).start(Self.batch(Self.calls(2, tool: "slow")), task: nil)
        let report = await handle.report
        var progress: [OrchestrationEvent.Kind] = []
        for await event in handle.events {
            if case .toolProgress = event.kind { progress.append(event.kind) }
        }
        #expect(report.status == .succeeded)
        #expect(
            progress == Array(repeating: .toolProgress(tool: "slow", progress: 1, total: 2, message: "half"), count: 2)
        )
    }

    @Test("A result message is the output's JSON text, or an error the model can read")
    func resultMessages() {
        let call = ModelToolCall(id: "c1", name: "t", arguments: [:])
        let ok = ToolCallOutcome(call: call, status: .succeeded, output: ["a": 1])
        #expect(ok.resultMessage == .toolResult(for: "c1", content: #"{"a":1}"#))
        let refused = ToolCallOutcome(
            call: call,
            status: .refused,
            error: ErrorRecord(PolicyViolation(limit: .maxToolCalls, limitValue: 10, attempted: 11, tool: "t"))
        )
        #expect(refused.resultMessage.isError)
        #expect(refused.resultMessage.content.contains(#""code":"maxToolCalls""#))
    }
}
