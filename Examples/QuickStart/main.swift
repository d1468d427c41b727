// QuickStart: a scripted agent calls a tool under a policy; the report is printed as JSON.
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
