import AgentAdapters
import AgentPolicy
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

@Suite("MCP Streamable HTTP transport", .timeLimit(.minutes(1)))
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
    func eventStreamFraming() {
        var parser = MCPEventStreamParser()
        var events = parser.feed(Array("data: a\r\ndata: b\r\n\r\n: c\rdata:x\r\r".utf8))
        events += parser.feed(Array("event: e\nid: 1\ndata: tail".utf8))
        events += parser.finish()
        #expect(events == ["a\nb", "x", "tail"])
    }
}

extension TransportRequest {
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
