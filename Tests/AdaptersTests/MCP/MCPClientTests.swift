import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

@Suite("MCP client against an in-process server", .timeLimit(.suite))
struct MCPClientTests {
    static let echo = MCPToolDefinition(
        name: "echo",
        description: "Echoes its text.",
        inputSchema: ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]],
        annotations: MCPToolAnnotations(readOnlyHint: true)
    )

    static func echoServer(pages: [[MCPToolDefinition]] = [[echo]]) -> InMemoryMCPServer {
        InMemoryMCPServer(toolPages: pages) { call in
            [
                InMemoryMCPServer.reply(
                    to: call,
                    with: MCPToolResult(content: [["type": "text", "text": call.arguments["text"] ?? ""]])
                )
            ]
        }
    }

    @Test("start() initializes: offers the newest version, checks the answer, then sends initialized")
    func lifecycle() async throws {
        let server = Self.echoServer()
        let client = MCPClient(transport: server)
        let description = try await client.start()
        #expect(description.name == "fake-server")
        #expect(description.protocolVersion == "2025-11-25")
        #expect(description.sendsToolListChanges)
        guard case .request(_, "initialize", let params) = server.received.first else {
            Issue.record("initialize not sent first")
            return
        }
        #expect(params?["protocolVersion"] == .string(MCPClient.supportedProtocolVersions[0]))
        #expect(server.received(method: "notifications/initialized").count == 1)
        try await client.ping()
        await #expect(throws: MCPError.self) { try await client.start() }
    }

    @Test("An older version the client speaks is accepted; one it does not is refused and the connection closed")
    func versionNegotiation() async throws {
        let older = MCPClient(transport: InMemoryMCPServer(protocolVersion: "2024-11-05"))
        #expect(try await older.start().protocolVersion == "2024-11-05")
        let server = InMemoryMCPServer(protocolVersion: "1999-01-01")
        let client = MCPClient(transport: server)
        await #expect {
            try await client.start()
        } throws: { error in
            (error as? MCPError)?.code == .unsupportedProtocolVersion
                && "\(error)".contains("1999-01-01")
        }
        #expect(server.isClosed)
        #expect(server.received(method: "notifications/initialized").isEmpty)
    }

    @Test("A server that never answers initialize times out on the injected clock, and is closed")
    func initializeTimeout() async throws {
        let clock = ManualClock()
        let server = InMemoryMCPServer(answersInitialize: false)
        var configuration = MCPClient.Configuration()
        configuration.initializeTimeout = .seconds(5)
        let client = MCPClient(transport: server, configuration: configuration, clock: clock)
        let started = Task { try await client.start() }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(5))
        await #expect {
            _ = try await started.value
        } throws: { error in
            (error as? MCPError)?.code == .timedOut && "\(error)".contains("initialize")
        }
        #expect(server.isClosed)
        #expect(server.received(method: "notifications/cancelled").isEmpty, "initialize is never cancelled")
    }

    @Test("tools/list follows cursors over every page")
    func pagination() async throws {
        let pages = (0..<3).map { page in
            [MCPToolDefinition(name: "t\(page)a"), MCPToolDefinition(name: "t\(page)b")]
        }
        let server = Self.echoServer(pages: pages)
        let client = MCPClient(transport: server)
        try await client.start()
        let tools = try await client.tools(prefix: "fake")
        #expect(tools.map(\.name) == ["fake.t0a", "fake.t0b", "fake.t1a", "fake.t1b", "fake.t2a", "fake.t2b"])
        let cursors = server.received(method: "tools/list").map { message -> JSONValue? in
            guard case .request(_, _, let params) = message else { return nil }
            return params?["cursor"]
        }
        #expect(cursors == [nil, "page-1", "page-2"])
    }

    @Test("The prefix defaults to the server's name")
    func defaultPrefix() async throws {
        let client = MCPClient(transport: Self.echoServer())
        try await client.start()
        #expect(try await client.tools().map(\.name) == ["fake-server.echo"])
    }

    @Test("list_changed calls the handler; listing again gives the new list")
    func listChanged() async throws {
        let server = Self.echoServer()
        let changes = Changes()
        var configuration = MCPClient.Configuration()
        configuration.onToolsListChanged = { changes.note() }
        let client = MCPClient(transport: server, configuration: configuration)
        try await client.start()
        server.deliver(try MCPMessage(parsing: MCPSpecFixtures.toolsListChanged))
        #expect(changes.count == 1)
        #expect(client.diagnostics.toolListChanges == 1)
        #expect(try await client.listTools().map(\.name) == ["echo"])
    }

    @Test("A response with an unknown id and malformed lines are skipped; the call still gets its answer")
    func strayLines() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]]) { call in
            [
                .result(id: .number(4242), result: [:]),
                .notification(method: "notifications/message", params: ["level": "info", "data": "hello"]),
            ]
        }
        let client = MCPClient(transport: server)
        try await client.start()
        let result = Task { try await client.callTool("echo", arguments: ["text": "x"]) }
        await server.waitForMessages(method: "tools/call")
        server.deliver("this is not JSON")
        server.deliver(#"{"jsonrpc":"2.0","id":2}"#)
        let call = try #require(server.received(method: "tools/call").first)
        guard case .request(let id, _, _) = call else { return }
        server.deliver(.result(id: id, result: ["content": [["type": "text", "text": "late"]]]))
        #expect(try await result.value.text == "late")
        #expect(client.diagnostics.unmatchedResponses == 1)
        #expect(client.diagnostics.malformedMessages == 2)
        #expect(client.diagnostics.lastMalformedMessage?.contains("\"method\"") == true)
    }

    @Test("An oversized line ends the connection: the pending call fails naming the limit, later calls too")
    func oversized() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]])
        var configuration = MCPClient.Configuration()
        configuration.maximumMessageBytes = 1024
        let client = MCPClient(transport: server, configuration: configuration)
        try await client.start()
        let result = Task { try await client.callTool("echo", arguments: ["text": "x"]) }
        await server.waitForMessages(method: "tools/call")
        server.deliver(String(repeating: "x", count: 1025))
        await #expect {
            _ = try await result.value
        } throws: { error in
            (error as? MCPError)?.code == .messageTooLarge && "\(error)".contains("1024")
        }
        await #expect(throws: MCPError.self) { try await client.ping() }
    }

    @Test("A server that dies mid-call fails the pending call and every later one with a typed error")
    func diesMidCall() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]])
        let client = MCPClient(transport: server)
        try await client.start()
        let result = Task { try await client.callTool("echo", arguments: ["text": "x"]) }
        await server.waitForMessages(method: "tools/call")
        server.crash("the server exited with status 3")
        for attempt in 0..<2 {
            await #expect {
                if attempt == 0 {
                    _ = try await result.value
                } else {
                    _ = try await client.callTool("echo", arguments: [:])
                }
            } throws: { error in
                (error as? MCPError)?.code == .connectionClosed && "\(error)".contains("status 3")
            }
        }
    }

    @Test("Cancelling the caller's task sends notifications/cancelled for its request id")
    func cancellation() async throws {
        let server = InMemoryMCPServer(toolPages: [[Self.echo]])
        let client = MCPClient(transport: server)
        try await client.start()
        let call = Task { try await client.callTool("echo", arguments: ["text": "x"]) }
        await server.waitForMessages(method: "tools/call")
        call.cancel()
        await #expect(throws: CancellationError.self) { _ = try await call.value }
        guard case .request(let id, _, _) = server.received(method: "tools/call").first,
            case .notification(_, let params) = server.received(method: "notifications/cancelled").first
        else {
            Issue.record("no cancellation sent")
            return
        }
        #expect(params?["requestId"] == id.json)
    }

    @Test("A request timeout on the injected clock fails the request and tells the server")
    func requestTimeout() async throws {
        let clock = ManualClock()
        let server = InMemoryMCPServer(toolPages: [[Self.echo]])  // never answers tools/call
        let client = MCPClient(transport: server, clock: clock)
        try await client.start()
        let answer = Task {
            try await client.request("tools/call", params: ["name": "echo", "arguments": [:]], timeout: .seconds(1))
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await #expect {
            _ = try await answer.value
        } throws: { error in
            (error as? MCPError)?.code == .timedOut
        }
        #expect(server.received(method: "notifications/cancelled").count == 1)
    }
}

final class Changes: Sendable {
    private let state = LockedState(0)
    func note() { state.withLock { $0 += 1 } }
    var count: Int { state.withLock { $0 } }
}
