// QuickStart: a scripted agent calls a tool under a policy; the report is printed as JSON. Then a model-driven
// agent answers the same question on a scripted model, and its model calls are listed.
// Runs offline: no network, no API key. `swift run QuickStart`
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting

/// A typed tool: adds a list of integers.
struct Sum: Tool {
    struct Arguments: Decodable, Sendable {
        var numbers: [Int]
    }

    let name = "sum"
    let description = "Adds a list of integers."
    let parameters = ToolSchema.object(properties: ["numbers": .array(of: .integer())], required: ["numbers"])

    func call(arguments: Arguments) async throws -> Int { arguments.numbers.reduce(0, +) }
}

/// A raw-JSON tool made of a closure.
let lookup = ClosureTool(
    name: "lookup_price",
    description: "The price of an item, in cents.",
    parameters: .object(properties: ["item": .string(enum: ["apple", "pear"])], required: ["item"])
) { arguments in
    arguments["item"] == "apple" ? 120 : 95
}

// The agent plays a script: one step per price lookup, then a step that "asks a model" (reserving and reporting
// tokens) and adds the prices up. Each step's output is the result of its last tool call; REVIEW accepts the last
// step's output as the final output.
let agent = ScriptedAgent(
    name: "shopper",
    steps: [
        [.callTool("lookup_price", arguments: ["item": "apple"])],
        [.callTool("lookup_price", arguments: ["item": "pear"])],
        [
            .useModel(
                estimate: ModelUsage(inputTokens: 200, outputTokens: 50),
                actual: ModelUsage(inputTokens: 180, outputTokens: 22, cost: 40)
            ),
            .callTool("sum", arguments: ["numbers": [120, 95]]),
        ],
    ]
)

let policy = try StrictPolicy(
    maxSteps: 5,
    maxTokens: 1_000,
    maxToolCalls: 10,
    allowedTools: ["lookup_*", "sum"],
    timeout: .seconds(10)
)
let orchestrator = try Orchestrator(tools: [Sum(), lookup])
let report = await orchestrator.run(agent, task: "What do an apple and a pear cost together?", policy: policy)

print(report.jsonText(prettyPrinted: true))
print(
    "\nstatus: \(report.status.rawValue), stop reason: \(report.stopReason), final output: \(report.finalOutput ?? .null)"
)

// The same question put to a model-driven agent. `ScriptedModel` stands in for a provider (no network, no key): it
// asks for both prices in one response (a batch of two tool calls, reserved before either runs), then for the sum,
// then answers with JSON that decodes into `Total`. Every model call is reserved before it is made (one model call,
// the input estimate and the most output the budget allows) and billed from the model's prices.
struct Total: Decodable {
    var cents: Int
}

let model = ScriptedModel(
    descriptor: ModelDescriptor(
        name: "scripted-shopper",
        contextWindowTokens: 8_192,
        pricing: ModelPricing(inputPerMillionTokens: 400_000, outputPerMillionTokens: 1_600_000)
    ),
    turns: [
        .toolCalls([
            ModelToolCall(id: "a", name: "lookup_price", arguments: ["item": "apple"]),
            ModelToolCall(id: "p", name: "lookup_price", arguments: ["item": "pear"]),
        ]),
        .toolCalls([ModelToolCall(id: "s", name: "sum", arguments: ["numbers": [120, 95]])]),
        .text(#"{"cents": 215}"#),
    ]
)
let modelAgent = ModelAgent(
    name: "model-shopper",
    instructions: "Answer with the total price in cents as JSON.",
    model: model,
    tools: try .named(["lookup_*", "sum"]),
    output: Total.self
)
let modelPolicy = try StrictPolicy(maxTokens: 20_000, maxToolCalls: 10, timeout: .seconds(10), maxModelCalls: 5)
let modelReport = await orchestrator.run(
    modelAgent,
    task: "What do an apple and a pear cost together?",
    policy: modelPolicy
)
print(
    "\nmodel-driven agent: \(modelReport.status.rawValue), total: \(try modelReport.output(as: Total.self).cents) cents"
)
for step in modelReport.steps {
    for call in step.modelCalls {
        print(
            "  step \(step.index), attempt \(call.attempt): at most \(call.maximumOutputTokens ?? 0) output tokens;",
            "reserved \(call.reservedUsage); used \(call.usage)"
        )
    }
}
