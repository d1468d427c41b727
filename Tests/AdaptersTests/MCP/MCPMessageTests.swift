import AgentAdapters
import Testing

@Suite("MCP messages", .timeLimit(.suite))
struct MCPMessageTests {
    static let specificationMessages: [(String, String)] = [
        ("initialize request", MCPSpecFixtures.initializeRequest),
        ("initialize response", MCPSpecFixtures.initializeResponse),
        ("initialized", MCPSpecFixtures.initializedNotification),
        ("unsupported version error", MCPSpecFixtures.unsupportedVersionError),
        ("tools/list request", MCPSpecFixtures.listToolsRequest),
        ("tools/list response", MCPSpecFixtures.listToolsResultResponse),
        ("tools/call request", MCPSpecFixtures.callToolRequest),
        ("tools/call response", MCPSpecFixtures.callToolResultResponse),
        ("progress", MCPSpecFixtures.progressNotification),
        ("cancelled", MCPSpecFixtures.cancelledNotification),
        ("list_changed", MCPSpecFixtures.toolsListChanged),
    ]

    @Test("Every message example of the specification parses and prints back to the same JSON")
    func specificationExamplesRoundTrip() throws {
        for (name, text) in Self.specificationMessages {
            let message = try MCPMessage(parsing: text)
            #expect(message.json == (try JSONValue(parsing: text)), "\(name)")
            #expect(try MCPMessage(parsing: message.jsonText) == message, "\(name)")
            #expect(!message.jsonText.contains("\n"), "\(name): one line on the wire")
        }
    }

    @Test("The examples read as the right kinds, with their ids, methods and members")
    func specificationExamplesKinds() throws {
        #expect(
            try MCPMessage(parsing: MCPSpecFixtures.initializeRequest).isRequest(id: .number(1), method: "initialize")
        )
        #expect(
            try MCPMessage(parsing: MCPSpecFixtures.callToolRequest)
                .isRequest(id: .string("call-tool-example"), method: "tools/call")
        )
        guard case .error(let id, let error) = try MCPMessage(parsing: MCPSpecFixtures.unsupportedVersionError) else {
            Issue.record("not an error")
            return
        }
        #expect(id == .number(1))
        #expect(error.code == -32602)
        #expect(error.data?["supported"] == ["2024-11-05"])
        guard case .notification(let method, let params) = try MCPMessage(parsing: MCPSpecFixtures.progressNotification)
        else {
            Issue.record("not a notification")
            return
        }
        #expect(method == "notifications/progress")
        #expect(
            MCPProgress(json: params ?? nil)
                == MCPProgress(progress: 50, total: 100, message: "Reticulating splines...")
        )
    }

    @Test("Tool definitions and results of the specification map to the library's view")
    func toolExamples() throws {
        let tool = try #require(MCPToolDefinition(json: JSONValue(parsing: MCPSpecFixtures.toolWithOutputSchema)))
        #expect(tool.name == "get_weather_data")
        #expect(tool.title == "Weather Data Retriever")
        #expect(tool.outputSchema?["required"] == ["temperature", "conditions", "humidity"])
        let schema = ToolSchema(mcpSchema: tool.inputSchema)
        #expect(schema.validate(["location": "Oslo"]) == nil)
        #expect(schema.validate([:])?.path == "location")
        let composed = try #require(
            MCPToolDefinition(json: JSONValue(parsing: MCPSpecFixtures.toolWithCompositionInputSchema))
        )
        // oneOf cannot be checked by the library: left open, never stricter than the server.
        #expect(ToolSchema(mcpSchema: composed.inputSchema).validate(["name": "x"]) == nil)

        let structured = try MCPToolResult(
            json: JSONValue(parsing: MCPSpecFixtures.resultWithStructuredContent),
            tool: "get_weather_data"
        )
        #expect(structured.output == ["temperature": 22.5, "conditions": "Partly cloudy", "humidity": 65])
        let failed = try MCPToolResult(json: JSONValue(parsing: MCPSpecFixtures.invalidToolInputError), tool: "book")
        #expect(failed.isError)
        #expect(failed.text == "Invalid departure date: must be in the future. Current date is 08/08/2025.")
        guard case .result(_, let result) = try MCPMessage(parsing: MCPSpecFixtures.callToolResultResponse) else {
            Issue.record("not a result")
            return
        }
        let unstructured = try MCPToolResult(json: result, tool: "get_weather")
        #expect(unstructured.output.arrayValue?.first?["type"] == "text")
    }

    @Test(
        "Lines that are not JSON-RPC 2.0 messages are refused, naming what is wrong",
        arguments: [
            ("{", "not JSON"),
            ("[]", "one JSON object"),
            (#"{"id":1,"result":{}}"#, "jsonrpc"),
            (#"{"jsonrpc":"1.0","id":1,"result":{}}"#, "jsonrpc"),
            (#"{"jsonrpc":"2.0","id":1}"#, "\"method\""),
            (#"{"jsonrpc":"2.0","id":null,"result":{}}"#, "\"id\""),
            (#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, "\"id\""),
            (#"{"jsonrpc":"2.0","method":7}"#, "\"method\""),
            (#"{"jsonrpc":"2.0","method":"x","params":3}"#, "\"params\""),
            (#"{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}"#, "both"),
            (#"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#, "\"error\""),
        ]
    )
    func malformed(line: String, mentions: String) {
        #expect {
            try MCPMessage(parsing: line)
        } throws: { error in
            guard let error = error as? MCPError else { return false }
            return error.code == .malformedMessage && error.message.contains(mentions)
        }
    }

    @Test("An error response with a null id (the peer could not read the request) parses with no id")
    func errorWithNullID() throws {
        let message = try MCPMessage(
            parsing: #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#
        )
        #expect(message == .error(id: nil, MCPErrorObject(code: -32700, message: "Parse error")))
    }

    @Test("Server names become prefixes; tool names keep . : / and replace the rest")
    func naming() {
        #expect(MCPTool.prefix(forServerName: "mcp-time") == "mcp-time")
        #expect(MCPTool.prefix(forServerName: "My Server.v2") == "My_Server_v2")
        #expect(MCPTool.prefix(forServerName: "") == "mcp")
    }
}

extension MCPMessage {
    func isRequest(id expected: MCPRequestID, method expectedMethod: String) -> Bool {
        guard case .request(let id, let method, _) = self else { return false }
        return id == expected && method == expectedMethod
    }
}
