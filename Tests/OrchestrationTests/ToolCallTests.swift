import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import Testing

struct Weather: Tool {
    struct Arguments: Decodable, Sendable {
        var city: String
        var days: Int?
    }
    struct Forecast: Codable, Sendable, Equatable {
        var city: String
        var celsius: [Int]
    }
    let name = "weather"
    let description = "Forecast for a city."
    let parameters = ToolSchema.object(
        properties: ["city": .string(), "days": .integer(minimum: 1, maximum: 7)],
        required: ["city"]
    )
    let counter: Counter

    func call(arguments: Arguments) async throws -> Forecast {
        counter.increment()
        return Forecast(city: arguments.city, celsius: Array(repeating: 20, count: arguments.days ?? 1))
    }
}

@Suite("Tool calls through the context", .timeLimit(.suite))
struct ToolCallTests {
    @Test("A typed tool decodes its arguments and encodes its output")
    func typedTool() async throws {
        let counter = Counter()
        let orchestrator = try makeOrchestrator(tools: [Weather(counter: counter)])
        let agent = ClosureAgent(name: "planner") { _, context in
            struct Request: Encodable {
                var city: String
                var days: Int
            }
            let forecast = try await context.callTool(
                "weather",
                arguments: Request(city: "Oslo", days: 2),
                returning: Weather.Forecast.self
            )
            return .integer(Int64(forecast.celsius.count))
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(report.finalOutput == 2)
        #expect(report.steps[0].toolCalls[0].output == ["city": "Oslo", "celsius": [20, 20]])
        #expect(counter.value == 1)
    }

    static let invalidArguments: [(JSONValue, String)] = [
        ([:], "city"), (["city": 3], "city"), (["city": "Oslo", "days": 8], "days"),
        (["city": "Oslo", "days": "two"], "days"),
    ]

    @Test(
        "Arguments failing the schema are refused before the body runs, naming tool and field",
        arguments: invalidArguments
    )
    func schemaRefusal(arguments: JSONValue, field: String) async throws {
        let counter = Counter()
        let orchestrator = try makeOrchestrator(tools: [Weather(counter: counter)])
        let agent = ClosureAgent(name: "sloppy") { _, context in
            do {
                _ = try await context.callTool("weather", arguments: arguments)
                return "ran"
            } catch let error as ToolError {
                return [
                    "code": .string(error.code.rawValue), "tool": .string(error.tool),
                    "field": .string(error.field ?? ""),
                ]
            }
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(counter.value == 0)
        #expect(report.finalOutput == ["code": "invalidArguments", "tool": "weather", "field": .string(field)])
        #expect(report.steps[0].toolCalls[0].status == .refused)
        #expect(report.totals.toolCalls == 0)
        #expect(report.ledger.first { $0.budget == "toolCalls" }?.used == 0)
    }

    @Test("Arguments that pass the schema but do not decode are refused too, naming the field")
    func decodeRefusal() async throws {
        let counter = Counter()
        struct Loose: Tool {
            struct Arguments: Decodable, Sendable { var count: Int }
            let name = "loose"
            let description = "Schema says nothing."
            // Declared, so kept although `Arguments` is typed (the derived schema would refuse "many" itself).
            let parameters = ToolSchema.any
            let counter: Counter
            func call(arguments: Arguments) async throws -> Int {
                counter.increment()
                return arguments.count
            }
        }
        let orchestrator = try makeOrchestrator(tools: [Loose(counter: counter)])
        let agent = ClosureAgent(name: "a") { _, context in
            do {
                _ = try await context.callTool("loose", arguments: ["count": "many"])
                return "ran"
            } catch let error as ToolError {
                return ["code": .string(error.code.rawValue), "field": .string(error.field ?? "?")]
            }
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(report.finalOutput == ["code": "schemaMismatch", "field": "count"])
        #expect(counter.value == 0, "the tool's body ran although its arguments did not decode")
        #expect(report.steps[0].toolCalls.map(\.status) == [.refused])
        #expect(report.totals.toolCalls == 0)
        #expect(report.ledger.first { $0.budget == "toolCalls" }?.used == 0)
    }

    @Test("Every call runs and counts: a now() tool returns a fresh value each call")
    func noCaching() async throws {
        let counter = Counter()
        let now = ClosureTool(name: "now", description: "A fresh value.") { _ in
            counter.increment()
            return .integer(Int64(counter.value))
        }
        let orchestrator = try makeOrchestrator(tools: [now])
        let agent = ClosureAgent(name: "clock reader") { _, context in
            var seen: [JSONValue] = []
            for _ in 0..<3 { seen.append(try await context.callTool("now")) }
            return .array(seen)
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(report.finalOutput == [1, 2, 3])
    }

    @Test("The context lists only the tools the policy allows")
    func allowedToolsListed() async throws {
        let orchestrator = try makeOrchestrator(tools: [
            countingTool("search_web", Counter()), countingTool("shell", Counter()),
            countingTool("search_x", Counter()),
        ])
        let agent = ClosureAgent(name: "lister") { _, context in .array(context.tools.map { .string($0.name) }) }
        let report = await orchestrator.run(
            agent,
            task: nil,
            policy: try StrictPolicy(allowedTools: ["search_*"], deniedTools: ["*_x"])
        )
        #expect(report.finalOutput == ["search_web"])
    }

    @Test("After the run ends, the context refuses every call")
    func contextAfterRun() async throws {
        let counter = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", counter)])
        let escaped = LockedState<AgentContext?>(nil)
        let agent = ClosureAgent(name: "leaker") { _, context in
            escaped.withLock { $0 = context }
            return nil
        }
        _ = await orchestrator.run(agent, task: nil)
        let context = try #require(escaped.withLock { $0 })
        let error = await #expect(throws: ToolError.self) { try await context.callTool("t") }
        #expect(error?.code == .runEnded)
        #expect(counter.value == 0)
    }
}

@Suite("Hostile tool arguments")
struct HostileArgumentTests {
    @Test("Arguments nested deeper than the parser allows are refused before anything walks them")
    func deepArguments() async throws {
        let counter = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", counter)])
        let agent = ClosureAgent(name: "deep") { _, context in
            var value: JSONValue = 0
            for _ in 0..<2_000 { value = .array([value]) }
            do {
                _ = try await context.callTool("echo", arguments: value)
                return "ran"
            } catch let error as ToolError {
                return .string(error.code.rawValue)
            }
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(report.finalOutput == "invalidArguments")
        #expect(counter.value == 0)
    }

    @Test("Nesting depth is measured without recursion")
    func depth() {
        #expect(JSONValue.integer(1).nestingDepth() == 0)
        #expect(JSONValue.array([[1], ["a": [2]]]).nestingDepth() == 3)
        var deep: JSONValue = 0
        for _ in 0..<10 { deep = .array([deep]) }
        #expect(deep.nestingDepth(upTo: 5) == 6)
    }
}

@Suite("Refused tool calls are bounded")
struct RefusedCallLimitTests {
    @Test("maxRefusedToolCalls N allows N refusals; the (N+1)th stops the run", arguments: [Int64(0), 3])
    func refusedCallLimit(limit: Int64) async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("real", Counter())])
        let attempts = Counter()
        let agent = ClosureAgent(name: "hallucinator") { _, context in
            for _ in 0..<1_000 {
                attempts.increment()
                do { _ = try await context.callTool("imaginary") } catch is ToolError { continue }
            }
            return "never"
        }
        let report = await orchestrator.run(agent, task: nil, policy: try StrictPolicy(maxRefusedToolCalls: limit))
        #expect(attempts.value == Int(limit) + 1)
        #expect(report.stopReason.violation?.limit == .maxRefusedToolCalls)
        #expect(report.stopReason.violation?.attempted == limit + 1)
        #expect(report.ledger.first { $0.budget == "refusedToolCalls" }?.used == limit)
    }
}
