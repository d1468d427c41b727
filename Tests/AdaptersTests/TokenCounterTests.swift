import AgentAdapters
import FoundationEssentials
import Testing

@Suite("ConservativeTokenCounter: cached text lengths stay in step", .timeLimit(.suite))
struct TokenCounterTests {
    /// The estimate as the counter defines it, printing every schema and every call's arguments now.
    static func printedEstimate(_ request: ModelRequest, perMessage: Int64 = 4, perTool: Int64 = 8) -> Int64 {
        var bytes = request.instructions?.utf8.count ?? 0
        for message in request.messages {
            bytes += message.content.utf8.count + (message.toolCallID?.utf8.count ?? 0)
            for call in message.toolCalls {
                bytes += call.id.utf8.count + call.name.utf8.count + call.arguments.jsonText().utf8.count
            }
        }
        for tool in request.tools {
            bytes += tool.name.utf8.count + tool.description.utf8.count
            bytes += tool.parameters.jsonSchema.jsonText().utf8.count
        }
        bytes += request.responseSchema.map { $0.jsonSchema.jsonText().utf8.count } ?? 0
        let overhead = Int64(request.messages.count) * perMessage + Int64(request.tools.count) * perTool
        return max(1, (Int64(bytes) + 2) / 3 + overhead)
    }

    static let search = ToolDescription(
        name: "search",
        description: "Searches.",
        parameters: .object(properties: ["query": .string(description: "What to find")], required: ["query"])
    )

    @Test("A description whose schema is changed in place, or replaced, counts its new schema")
    func mutatedDescription() {
        var tool = Self.search
        let before = ConservativeTokenCounter().inputTokens(of: ModelRequest(messages: [], tools: [tool]))
        #expect(before == Self.printedEstimate(ModelRequest(messages: [], tools: [tool])))
        tool.parameters.properties["limit"] = .integer(description: String(repeating: "a long description ", count: 20))
        tool.parameters.required.append("limit")
        let grown = ModelRequest(messages: [], tools: [tool])
        #expect(ConservativeTokenCounter().inputTokens(of: grown) == Self.printedEstimate(grown))
        #expect(ConservativeTokenCounter().inputTokens(of: grown) > before + 50)
        tool.parameters = .any
        let replaced = ModelRequest(messages: [], tools: [tool])
        #expect(ConservativeTokenCounter().inputTokens(of: replaced) == Self.printedEstimate(replaced))
        #expect(Self.search.parameters.properties["limit"] == nil, "the original value is unchanged")
    }

    @Test("A tool call whose arguments change counts its new arguments; decoded values count as made ones")
    func mutatedCallAndDecoding() throws {
        var call = ModelToolCall(id: "c1", name: "search", arguments: ["query": "swift"])
        call.arguments = ["query": .string(String(repeating: "x", count: 300))]
        let request = ModelRequest(
            instructions: "Be brief.",
            messages: [.user("find it"), .assistant("", toolCalls: [call]), .toolResult(for: "c1", content: "[]")],
            tools: [Self.search],
            responseSchema: .object(properties: ["answer": .string()], required: ["answer"])
        )
        #expect(ConservativeTokenCounter().inputTokens(of: request) == Self.printedEstimate(request))
        #expect(ConservativeTokenCounter().inputTokens(of: request) > 100)
        let decoded = try JSONDecoder().decode(ModelRequest.self, from: JSONEncoder().encode(request))
        #expect(decoded == request)
        #expect(ConservativeTokenCounter().inputTokens(of: decoded) == Self.printedEstimate(request))
    }
}
