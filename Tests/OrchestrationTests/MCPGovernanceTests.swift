import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

/// MCP tools in runs: the orchestrator governs them like local tools, and refuses before anything is sent.
@Suite("MCP tools under governance", .timeLimit(.suite))
struct MCPGovernanceTests {
    static let echo = MCPToolDefinition(
        name: "echo",
        description: "Echoes its text.",
        inputSchema: ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]]
    )

    /// A started client over `server`, and its tools prefixed `fake`.
    static func connect(_ server: InMemoryMCPServer) async throws -> (MCPClient, [MCPTool]) {
        let client = MCPClient(transport: server)
        try await client.start()
        return (client, try await client.tools(prefix: "fake"))
    }

    static func caller(_ arguments: JSONValue) -> ClosureAgent {
        ClosureAgent(name: "caller") { _, context in
            do {
                return try await context.callTool("fake.echo", arguments: arguments)
            } catch let error as ToolError {
                return ["code": .string(error.code.rawValue), "message": .string(error.message)]
            }
        }
    }

    static func answering(_ call: InMemoryMCPServer.Call) -> [MCPMessage] {
        [InMemoryMCPServer.reply(to: call, with: MCPToolResult(content: [], structuredContent: call.arguments))]
    }

    @Test("A call the policy denies stops the run and never reaches the server")
    func deniedNeverSent() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]], onCall: Self.answering)
        let (_, tools) = try await Self.connect(server)
        let orchestrator = try makeOrchestrator(tools: tools)
        let policy = try StrictPolicy(budget: BudgetLimits(), deniedTools: ["fake.*"])
        let report = await orchestrator.run(Self.caller(["text": "hi"]), task: nil, policy: policy)
        #expect(report.status != .succeeded)
        #expect(report.violations.first?.tool == "fake.echo")
        #expect(server.received(method: "tools/call").isEmpty)
    }

    @Test("Arguments that fail the server's input schema are refused by the library; nothing is sent")
    func invalidNeverSent() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]], onCall: Self.answering)
        let (_, tools) = try await Self.connect(server)
        let orchestrator = try makeOrchestrator(tools: tools)
        let report = await orchestrator.run(Self.caller(["text": 7]), task: nil, policy: StrictPolicy())
        #expect(report.finalOutput?["code"] == "invalidArguments")
        #expect(server.received(method: "tools/call").isEmpty)
        let allowed = await orchestrator.run(Self.caller(["text": "ok"]), task: nil, policy: StrictPolicy())
        #expect(allowed.finalOutput == ["text": "ok"])
        #expect(server.received(method: "tools/call").count == 1)
    }

    @Test("The tool-call budget counts MCP calls: past the limit nothing more is sent")
    func budget() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]], onCall: Self.answering)
        let (_, tools) = try await Self.connect(server)
        let orchestrator = try makeOrchestrator(tools: tools)
        let agent = ClosureAgent(name: "greedy") { _, context in
            for index in 0..<3 { _ = try await context.callTool("fake.echo", arguments: ["text": .string("\(index)")]) }
            return "done"
        }
        let report = await orchestrator.run(
            agent,
            task: nil,
            policy: try StrictPolicy(budget: BudgetLimits(maxToolCalls: 2))
        )
        #expect(report.violations.first?.limit == .maxToolCalls)
        #expect(server.received(method: "tools/call").count == 2)
    }

    @Test("isError from the server reaches the agent as a readable ToolError")
    func isError() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]]) { call in
            let text: JSONValue = ["type": "text", "text": "Invalid departure date: must be in the future."]
            return [InMemoryMCPServer.reply(to: call, with: MCPToolResult(content: [text], isError: true))]
        }
        let (_, tools) = try await Self.connect(server)
        let report = try await makeOrchestrator(tools: tools).run(
            Self.caller(["text": "x"]),
            task: nil,
            policy: StrictPolicy()
        )
        #expect(report.finalOutput?["code"] == "toolFailed")
        #expect(report.finalOutput?["message"]?.stringValue?.contains("must be in the future") == true)
    }

    @Test("The run's deadline cancels a call the server never answers, and the server gets notifications/cancelled")
    func deadlineSendsCancellation() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]])  // never answers tools/call
        let (_, tools) = try await Self.connect(server)
        let clock = ManualClock()
        let orchestrator = try makeOrchestrator(tools: tools, clock: clock)
        let policy = try StrictPolicy(timeout: .milliseconds(100))
        async let pending = orchestrator.run(Self.caller(["text": "x"]), task: nil, policy: policy)
        await server.waitForMessages(method: "tools/call")
        await clock.waitForSleepers(count: 1)  // the run's deadline
        clock.advance(by: .milliseconds(100))
        let report = await pending
        #expect(report.status == .timedOut)
        await server.waitForMessages(method: "notifications/cancelled")
        guard case .request(let id, _, _) = server.received(method: "tools/call").first,
            case .notification(_, let params) = server.received(method: "notifications/cancelled").first
        else {
            Issue.record("no cancellation for the call")
            return
        }
        #expect(params?["requestId"] == id.json)
    }

    @Test("The server's progress notifications become toolProgress events of the run")
    func progressEvents() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]]) { call in
            let token = call.progressToken ?? .null
            return [
                .notification(
                    method: "notifications/progress",
                    params: ["progressToken": token, "progress": 1, "total": 2]
                ),
                .notification(
                    method: "notifications/progress",
                    params: ["progressToken": token, "progress": 2, "total": 2, "message": "done"]
                ),
            ] + Self.answering(call)
        }
        let (_, tools) = try await Self.connect(server)
        let orchestrator = try makeOrchestrator(tools: tools)
        let stream = orchestrator.events()
        async let collected = collectRun(from: stream)
        let report = await orchestrator.run(Self.caller(["text": "x"]), task: nil, policy: StrictPolicy())
        let events = await collected
        #expect(report.status == .succeeded)
        let progress = events.compactMap { event -> OrchestrationEvent.Kind? in
            if case .toolProgress = event.kind { return event.kind }
            return nil
        }
        #expect(
            progress == [
                .toolProgress(tool: "fake.echo", progress: 1, total: 2, message: nil),
                .toolProgress(tool: "fake.echo", progress: 2, total: 2, message: "done"),
            ]
        )
    }
}
