import AgentAdapters
import Testing

/// A typed tool that declares no parameters: they come from `Arguments`.
private struct Search: Tool {
    struct Arguments: Decodable, Sendable {
        enum Scope: String, Decodable, CaseIterable { case title, body }
        var query: String
        var scope: Scope
        var limit: UInt8?
    }
    let name = "kb.search"
    let description = "Searches the knowledge base."
    func call(arguments: Arguments) async throws -> Int { Int(arguments.limit ?? 10) }
}

/// A typed tool whose `Arguments` is a dictionary and which declares no parameters.
private struct Tagger: Tool {
    let name = "tagger"
    let description = "Counts tags."
    func call(arguments: [String: Int]) async throws -> Int { arguments.count }
}

/// The same arguments, with parameters declared: the declared schema is kept.
private struct DeclaredSearch: Tool {
    let name = "declared"
    let description = "Searches, with a hand-written schema."
    let parameters = ToolSchema.object(
        properties: ["query": .string(minLength: 1), "scope": .string(enum: ["title", "body"])],
        required: ["query", "scope"]
    )
    func call(arguments: Search.Arguments) async throws -> Int { 0 }
}

/// A raw-JSON tool: no constraint.
private struct Echo: Tool {
    let name = "echo"
    let description = "Echoes."
    func call(arguments: JSONValue) async throws -> JSONValue { arguments }
}

@Suite("Typed tools derive their parameters", .timeLimit(.suite))
struct DerivedParametersTests {
    @Test("A typed tool without declared parameters gets the schema derived from its Arguments")
    func derived() throws {
        let expected = ToolSchema.object(
            properties: [
                "query": .string(), "scope": .string(enum: ["title", "body"]),
                "limit": ToolSchema.integer(minimum: 0, maximum: 255).nullable(),
            ],
            required: ["query", "scope"]
        )
        #expect(Search().parameters == expected)
        let registry = try ToolRegistry([Search()])
        #expect(registry.descriptions.map(\.parameters) == [expected])
        let tool = try registry.tool(named: "kb.search")
        #expect(throws: Never.self) { try tool.check(["query": "swift", "scope": "body", "limit": nil]) }
        do {
            try tool.check(["query": "swift", "scope": "everywhere"])
            Issue.record("an unknown scope passed the derived schema")
        } catch {
            #expect(error.code == .invalidArguments)
            #expect(error.field == "scope")
        }
    }

    @Test("A declared schema is kept even when Arguments is typed; JSONValue arguments default to any")
    func declaredKept() throws {
        #expect(DeclaredSearch().parameters.properties["query"] == .string(minLength: 1))
        let registry = try ToolRegistry([DeclaredSearch(), Echo()])
        #expect(try registry.tool(named: "declared").description.parameters == DeclaredSearch().parameters)
        #expect(Echo().parameters == .any)
    }

    @Test("A typed tool whose Arguments cannot be derived is refused at registration, naming tool and type")
    func underivableRefused() throws {
        do {
            _ = try ToolRegistry([Tagger()])
            Issue.record("a tool with underivable arguments registered")
        } catch {
            #expect(error.code == .schemaDerivationFailed)
            #expect(error.tool == "tagger")
            #expect(error.message.contains("Dictionary<String, Int>"))
            #expect(error.message.contains("ToolSchemaProviding"))
            #expect(error.message.contains("declare the tool's `parameters`"))
        }
        // Read directly, the default schema refuses everything rather than accepting anything.
        #expect(Tagger().parameters.validate([:]) != nil)
        #expect(Tagger().parameters.jsonSchema["not"] == [:])
    }
}
