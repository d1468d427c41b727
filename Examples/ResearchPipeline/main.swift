// ResearchPipeline: research → (draft, critique) → polish, four scripted agents under one run-level policy.
// Prints the graph report as JSON and the graph as Mermaid. `swift run ResearchPipeline`
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph

let search = ClosureTool(
    name: "search_notes",
    description: "Finds notes on a topic.",
    parameters: .object(properties: ["topic": .string()], required: ["topic"])
) { arguments in
    ["notes": ["\(arguments["topic"]?.stringValue ?? "?") uses structured concurrency", "actors isolate state"]]
}

/// Each node's agent sees the run input and its dependencies' outputs.
func writer(_ name: String, _ produce: @escaping @Sendable (JSONValue) -> JSONValue) -> ClosureAgent {
    ClosureAgent(name: name) { step, context in
        let usage = try context.reserveUsage(ModelUsage(inputTokens: 400, outputTokens: 200))
        try context.reportUsage(ModelUsage(inputTokens: 350, outputTokens: 120, cost: 90), for: usage)
        return produce(step.input)
    }
}

let researcher = ClosureAgent(name: "researcher") { step, context in
    try await context.callTool("search_notes", arguments: ["topic": step.input["input"] ?? "swift"])
}
let drafter = writer("drafter") { task in
    "Draft: \(task["dependencies"]?["research"]?["notes"]?[0]?.stringValue ?? "")."
}
let critic = writer("critic") { _ in "Critique: say why actors matter." }
let editor = writer("editor") { task in
    let draft = task["dependencies"]?["draft"]?.stringValue ?? ""
    let critique = task["dependencies"]?["critique"]?.stringValue ?? ""
    return "\(draft) Revised after: \(critique.dropFirst("Critique: ".count))"
}

var graph = AgentGraph(outputNode: "polish")
graph.add("research", agent: researcher)
graph.add("draft", agent: drafter, dependsOn: ["research"])
graph.add("critique", agent: critic, dependsOn: ["research"])
graph.add("polish", agent: editor, dependsOn: ["draft", "critique"])

let policy = try StrictPolicy(maxSteps: 10, maxTokens: 5_000, maxToolCalls: 3, maxCost: 1_000, timeout: .seconds(30))
let orchestrator = try Orchestrator(tools: [search])
let report = try await orchestrator.run(graph, task: "Swift concurrency", policy: policy)

print(report.jsonText(prettyPrinted: true))
print()
print(graph.taskGraph.mermaid(statuses: report.execution.statuses))
print("status: \(report.status.rawValue); critical path: \(report.execution.criticalPath.joined(separator: " → "))")
if case .node(_, let output) = report.finalOutput { print("final output: \(output)") }
