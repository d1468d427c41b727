import AgentAdapters
import AgentPolicy
import Testing

/// A typed tool whose `Arguments` may or may not agree with `parameters`.
private struct Typed<Arguments: Decodable & Sendable, Output: Encodable & Sendable>: Tool {
    let name: String
    var description = "A typed tool under test."
    let parameters: ToolSchema
    let body: @Sendable (Arguments) async throws -> Output

    func call(arguments: Arguments) async throws -> Output { try await body(arguments) }
}

private struct Query: Decodable, Sendable {
    var query: String
    var limit: Int
    var tags: [String]?
}

/// Refuses an empty query with an error of its own: the caller's fault, not drift.
private struct CheckedQuery: Decodable, Sendable {
    struct EmptyQuery: Error {}
    var query: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try container.decode(String.self, forKey: .query)
        if query.isEmpty { throw EmptyQuery() }
    }

    private enum CodingKeys: String, CodingKey { case query }
}

private struct Ticket: Codable, Sendable {
    var id: Int
    var title: String
}

private let querySchema = ToolSchema.object(
    properties: ["query": .string(), "limit": .integer(minimum: 1), "tags": .array(of: .any)],
    required: ["query", "limit"]
)

/// An ``AgentContext`` backend that only calls tools, through a registry.
private struct ToolsOnlyBackend: AgentContextBackend {
    struct Unused: Error {}
    let registry: ToolRegistry

    func callTool(_ name: String, arguments: JSONValue) async throws -> JSONValue {
        let tool = try registry.tool(named: name)
        try tool.check(arguments)
        return try await tool.call(arguments)
    }
    func reserveUsage(_ estimate: ModelUsage) throws -> UsageReservation { throw Unused() }
    func reportUsage(_ actual: ModelUsage, for reservation: UsageReservation?) throws { throw Unused() }
    func releaseUsage(_ reservation: UsageReservation) {}
    var remainingBudget: RemainingBudget { fatalError("not used by these tests") }
    var timeRemaining: Duration { .zero }
    var elapsed: Duration { .zero }
    var completedStepOutputs: [JSONValue] { [] }
    func sleep(for duration: Duration) async throws {}
}

private func context(_ tools: [any Tool]) throws -> AgentContext {
    AgentContext(
        executionID: "e",
        agentName: "a",
        task: nil,
        metadata: [:],
        tools: [],
        nodeID: nil,
        backend: ToolsOnlyBackend(registry: try ToolRegistry(tools))
    )
}

@Suite("Typed tools: who is to blame", .timeLimit(.suite))
struct TypedToolTests {
    // MARK: Registration catches drift

    @Test("A property the type requires but the schema does not is refused at registration, naming tool, type, field")
    func driftMissingRequired() {
        let schema = ToolSchema.object(properties: ["query": .string(), "limit": .integer()], required: ["query"])
        let tool = Typed<Query, Int>(name: "kb.search", parameters: schema) { _ in 0 }
        #expect {
            _ = try ToolRegistry([tool])
        } throws: { error in
            guard let error = error as? ToolError else { return false }
            return error.code == .schemaMismatch && error.tool == "kb.search" && error.field == "limit"
                && error.message.contains("Query") && error.message.contains("required")
        }
    }

    @Test("A member whose kind differs from the property's type is refused at registration")
    func driftWrongKind() {
        let schema = ToolSchema.object(
            properties: ["query": .string(), "limit": .string()],
            required: ["query", "limit"]
        )
        let tool = Typed<Query, Int>(name: "kb.search", parameters: schema) { _ in 0 }
        do {
            _ = try ToolRegistry([tool])
            Issue.record("drift between schema and type was not caught")
        } catch {
            #expect(error.code == .schemaMismatch)
            #expect(error.field == "limit")
            #expect(error.message.contains("kb.search"))
            #expect(error.message.contains("string"))
        }
    }

    @Test("Schemas that agree, open members and types with their own checks all register")
    func noFalseDrift() throws {
        let registry = try ToolRegistry([
            Typed<Query, Int>(name: "agrees", parameters: querySchema) { $0.limit },
            Typed<CheckedQuery, Int>(
                name: "checked",
                parameters: .object(properties: ["query": .string()], required: ["query"])
            ) { _ in 0 },
            Typed<Query, Int>(name: "no.schema", parameters: .any) { _ in 0 },
            Typed<[String: JSONValue], Int>(
                name: "open",
                parameters: .object(properties: ["x": .any], required: ["x"])
            ) { _ in 0 },
        ])
        #expect(registry.names == ["agrees", "checked", "no.schema", "open"])
    }

    // MARK: Calls: caller's fault or tool's fault

    @Test("Arguments that fail the schema are the caller's fault: invalidArguments")
    func callerFault() throws {
        let registry = try ToolRegistry([Typed<Query, Int>(name: "kb.search", parameters: querySchema) { $0.limit }])
        let tool = try registry.tool(named: "kb.search")
        #expect(throws: ToolError.self) { try tool.check(["query": "x"]) }
        do {
            try tool.check(["query": "x", "limit": 0])
        } catch {
            #expect(error.code == .invalidArguments)
            #expect(error.field == "limit")
        }
    }

    @Test("Arguments that pass the schema but do not decode are the tool's fault: schemaMismatch, not invalidArguments")
    func toolFault() throws {
        let registry = try ToolRegistry([Typed<Query, Int>(name: "kb.search", parameters: querySchema) { $0.limit }])
        let tool = try registry.tool(named: "kb.search")
        try tool.check(["query": "x", "limit": 3, "tags": ["a"]])
        do {
            try tool.check(["query": "x", "limit": 3, "tags": ["a", 7]])
            Issue.record("arguments the type cannot hold were accepted")
        } catch {
            #expect(error.code == .schemaMismatch)
            #expect(error.tool == "kb.search")
            #expect(error.field == "tags[1]")
            #expect(error.message.contains("Query"))
        }
    }

    @Test("A type refusing values with an error of its own blames the caller")
    func typeRefuses() throws {
        let schema = ToolSchema.object(properties: ["query": .string()], required: ["query"])
        let registry = try ToolRegistry([Typed<CheckedQuery, Int>(name: "checked", parameters: schema) { _ in 0 }])
        do {
            try registry.tool(named: "checked").check(["query": ""])
            Issue.record("an empty query was accepted")
        } catch {
            #expect(error.code == .invalidArguments)
            #expect(error.message.contains("CheckedQuery"))
        }
    }

    // MARK: Results

    @Test("A result that does not decode names the tool, the type and the field")
    func outputMismatch() async throws {
        let tool = ClosureTool(name: "tickets.get", description: "A ticket.") { _ in ["title": "Printer on fire"] }
        let context = try context([tool])
        do {
            _ = try await context.callTool("tickets.get", arguments: ["id": 1], returning: Ticket.self)
            Issue.record("an output without id decoded into Ticket")
        } catch let error as ToolError {
            #expect(error.code == .outputMismatch)
            #expect(error.tool == "tickets.get")
            #expect(error.field == "id")
            #expect(error.message.contains("Ticket"))
            #expect(!error.description.hasPrefix("DecodingError"))
        }
    }

    @Test("A typed output that cannot be encoded fails the call, naming the tool and the output type")
    func outputDoesNotEncode() async throws {
        let tool = Typed<Query, Double>(name: "ratio", parameters: querySchema) { _ in .nan }
        let registered = try ToolRegistry([tool]).tool(named: "ratio")
        do {
            _ = try await registered.call(["query": "x", "limit": 1])
            Issue.record("NaN was encoded")
        } catch let error as ToolError {
            #expect(error.code == .toolFailed)
            #expect(error.message.contains("ratio"))
            #expect(error.message.contains("Double"))
        }
    }
}
