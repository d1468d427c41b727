import AgentAdapters
@_spi(Internals) import AgentPolicy
import Testing

/// An HTTP seam that plays a Streamable HTTP MCP server and records the requests it gets.
final class FakeMCPHTTPServer: ModelTransport {
    let requests = LockedState<[TransportRequest]>([])

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        Issue.record("the MCP transport streams every request")
        return TransportResponse(status: 500)
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        requests.withLock { $0.append(request) }
        let message = try MCPMessage(parsing: String(decoding: request.body, as: UTF8.self))
        guard case .request(let id, let method, _) = message else {
            return Self.response(status: 202, type: nil, chunks: [])
        }
        switch method {
        case "initialize":
            let result: JSONValue = [
                "protocolVersion": "2025-06-18", "capabilities": ["tools": [:]],
                "serverInfo": ["name": "http-server", "version": "2"],
            ]
            var response = Self.response(
                status: 200,
                type: "application/json",
                chunks: [Array(MCPMessage.result(id: id, result: result).jsonText.utf8)]
            )
            response.headers.append(TransportHeader("Mcp-Session-Id", "session-42"))
            return response
        case "tools/call":
            // Split across chunks and lines the way a real stream may be: CRLF, a comment, an event name.
            let progress = MCPMessage.notification(
                method: "notifications/progress",
                params: ["progressToken": id.json, "progress": 1]
            )
            let result = MCPMessage.result(id: id, result: ["content": [["type": "text", "text": "over http"]]])
            let text =
                ": keep-alive\r\nevent: message\r\ndata: \(progress.jsonText)\r\n\r\ndata: \(result.jsonText)\n\n"
            let bytes = Array(text.utf8)
            return Self.response(
                status: 200,
                type: "text/event-stream",
                chunks: [Array(bytes[..<17]), Array(bytes[17..<40]), Array(bytes[40...])]
            )
        default:
            return Self.response(status: 503, type: "text/plain", chunks: [Array("overloaded".utf8)])
        }
    }

    static func response(status: Int, type: String?, chunks: [[UInt8]]) -> TransportStream {
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        for chunk in chunks { continuation.yield(chunk) }
        continuation.finish()
        return TransportStream(
            status: status,
            headers: type.map { [TransportHeader("Content-Type", $0)] } ?? [],
            chunks: stream
        )
    }
}

@Suite("MCP Streamable HTTP transport", .timeLimit(.suite))
struct MCPHTTPTransportTests {
    @Test("Initialize, a call answered as an event stream with progress, and an HTTP error, over the HTTP seam")
    func overHTTP() async throws {
        let server = FakeMCPHTTPServer()
        let http = MCPHTTPTransport(
            endpoint: "https://example.com/mcp",
            transport: server,
            headers: [TransportHeader("Authorization", "Bearer t")]
        )
        let client = MCPClient(transport: http)
        let progress = LockedState<[MCPProgress]>([])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await http.run() }
            do {
                let description = try await client.start()
                #expect(description.name == "http-server")
                #expect(http.sessionID == "session-42")
                let result = try await client.callTool("now", arguments: [:]) { update in
                    progress.withLock { $0.append(update) }
                }
                #expect(result.text == "over http")
                await #expect {
                    try await client.ping()
                } throws: { error in
                    guard let error = error as? MCPError else { return false }
                    return error.code == .serverError && error.message.contains("503")
                        && error.message.contains("overloaded")
                }
            } catch {
                Issue.record("unexpected error: \(error)")
            }
            await client.close()
        }
        #expect(progress.withLock { $0 } == [MCPProgress(progress: 1)])
        let requests = server.requests.withLock { $0 }
        #expect(requests.first?.header("Mcp-Session-Id") == nil)
        #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer t" && $0.method == "POST" })
        let later = requests.dropFirst()
        #expect(!later.isEmpty)
        #expect(later.allSatisfy { $0.header("Mcp-Session-Id") == "session-42" })
        #expect(later.allSatisfy { $0.header("MCP-Protocol-Version") == "2025-06-18" })
    }

    @Test("Event-stream framing: CR, LF and CRLF lines, multi-line data, comments, a last event without a blank line")
    func eventStreamFraming() async throws {
        let received = try await messages(
            answering: ["data: a\r\ndata: b\r\n\r\n: c\rdata:x\r\r", "event: e\nid: 1\ndata: tail"],
            count: 3
        )
        #expect(received == ["a\nb", "x", "tail"])
    }

    @Test(
        "A last event is delivered once, however the stream ends after its data line",
        arguments: ["data: z", "data: z\n", "data: z\r", "data: z\r\n", "data: z\n\n", "data: z\r\n\r\n"]
    )
    func lastEvent(ending: String) async throws {
        // The second message is the sentinel that the first is never delivered twice.
        let received = try await messages(answering: [ending], then: "data: next\n\n", count: 2)
        #expect(received == ["z", "next"])
    }

    @Test("A CR LF pair split between chunks is one line break, and a BOM at the start is skipped")
    func splitLineBreak() async throws {
        let received = try await messages(answering: ["\u{FEFF}data: a\r", "\ndata: b\r", "\n\r", "\n"], count: 1)
        #expect(received == ["a\nb"])
    }

    @Test("An event past maximumEventBytes fails its request with an error naming the limit")
    func oversizedEvent() async throws {
        let big = String(repeating: "x", count: 40)
        let received = try await messages(
            answering: ["data: ok\n\n", "data: \(big)\n\n", "data: lost\n\n"],
            count: 2,
            limit: 32
        )
        #expect(received.first == "ok")
        let error = try #require(received.dropFirst().first.map { try MCPMessage(parsing: $0) })
        guard case .error(let id, let object) = error else {
            Issue.record("expected a JSON-RPC error, got \(error)")
            return
        }
        #expect(id == .number(7))
        #expect(object.message.contains("eventTooLarge") && object.message.contains("32 bytes"))
    }

    /// Sends one request through a transport whose server answers with `chunks` (then, as a second response to a
    /// second request sent after the first answer's messages arrived, `then`), and returns the first `count`
    /// messages the client's handler gets.
    private func messages(
        answering chunks: [String],
        then second: String? = nil,
        count: Int,
        limit: Int = MCPHTTPTransport.defaultMaximumEventBytes
    ) async throws -> [String] {
        let server = EventStreamServer(answers: [chunks] + (second.map { [[$0]] } ?? []))
        let http = MCPHTTPTransport(endpoint: "https://example.com/mcp", transport: server, maximumEventBytes: limit)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        try await http.open { event in
            if case .received(let text) = event { continuation.yield(text) }
        }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask { await http.run() }
            http.send(#"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#)
            var received: [String] = []
            for await text in stream {
                received.append(text)
                if received.count == count - (second == nil ? 0 : 1), second != nil {
                    // Everything of the first answer has arrived; its stream has ended, so anything it still
                    // delivered would come before the second answer's message.
                    http.send(#"{"jsonrpc":"2.0","id":8,"method":"tools/list"}"#)
                }
                if received.count == count { break }
            }
            await http.close()
            return received
        }
    }
}

/// An HTTP seam answering each request, in order, with the next event stream of `answers`, chunk by chunk.
final class EventStreamServer: ModelTransport {
    let answers: LockedState<[[String]]>

    init(answers: [[String]]) { self.answers = LockedState(answers) }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        Issue.record("the MCP transport streams every request")
        return TransportResponse(status: 500)
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        let chunks = answers.withLock { $0.isEmpty ? [] : $0.removeFirst() }
        return FakeMCPHTTPServer.response(status: 200, type: "text/event-stream", chunks: chunks.map { Array($0.utf8) })
    }
}

extension TransportRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
