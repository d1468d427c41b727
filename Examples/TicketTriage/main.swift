// TicketTriage: a support-ticket workflow loaded from a JSON definition, run on scripted models.
//
//   swift run TicketTriage
//
// The definition (Definition.swift) classifies each ticket with a model-driven agent, routes it with a decision
// state (billing | technical | anything else), drafts a reply with a second agent or looks one up with a tool, and
// sends it with a tool. Billing replies wait for a person's approval first: the workflow waits (holding no thread)
// until the example approves it. Each run prints its report and the Mermaid state diagram with the path taken.
// The models are `ScriptedModel`s so the example runs offline and the same way every time; swap in a real
// `ChatModel` and nothing else changes.
import AgentOrchestration
import AgentTesting
import Synchronization

let tickets: [JSONValue] = [
    ["id": "T-1", "text": "I was charged twice for my subscription this month."],
    ["id": "T-2", "text": "The app crashes when I open the settings page."],
    ["id": "T-3", "text": "Do you have a student discount?"],
]

// The classifier answers with one word per ticket, in ticket order; the drafter writes the two drafts it is asked for.
let classifierModel = ScriptedModel(turns: [.text("billing"), .text("technical"), .text("sales")])
let drafterModel = ScriptedModel(turns: [
    .text("We are sorry about the double charge; we have refunded one payment."),
    .text("Thanks for the report: please update to 4.2.1, which fixes the settings crash."),
])
var agents = AgentRegistry()
try agents.register(
    ModelAgent(
        name: "classifier",
        instructions: "Answer with one word: billing, technical or other.",
        model: classifierModel,
        tools: .none,
        output: String.self
    )
)
try agents.register(
    ModelAgent(
        name: "drafter",
        instructions: "Draft a short, friendly reply to the ticket.",
        model: drafterModel,
        tools: .none,
        output: String.self
    )
)

let sent = Mutex<[JSONValue]>([])
let faq = ClosureTool(name: "faq.lookup", description: "The FAQ answer closest to a ticket.") { _ in
    "See https://example.com/faq#discounts for our discounts."
}
let reply = ClosureTool(name: "tickets.reply", description: "Sends a reply to the customer.") { arguments in
    sent.withLock { $0.append(arguments) }
    return ["delivered": true]
}

let definition = try WorkflowDefinition.parse(triageDefinitionJSON)
let registry = WorkflowRegistry(agents: agents)
let orchestrator = try Orchestrator(tools: [faq, reply])
try definition.validate(registry: registry, tools: orchestrator.tools.names, initialData: ["ticket": tickets[0]])
print("loaded \(definition.name) \(definition.version), hash \(definition.hash)\n")

for ticket in tickets {
    let handle = try orchestrator.start(
        workflow: definition,
        data: ["ticket": ticket],
        registry: registry,
        // 60 s of active time; the day-long approval wait does not count against it.
        policy: try StrictPolicy(maxSteps: 10, timeout: .seconds(60), maxWorkflowTransitions: 20)
    )
    if case .waiting(let state, .approval(let prompt)) = await handle.waitUntilWaiting() {
        print("[\(ticket["id"]?.stringValue ?? "?")] \(state): \(prompt) → approved by the on-call agent")
        await handle.approve(reason: "refund confirmed in the billing system")
    }
    let report = await handle.report
    print("[\(ticket["id"]?.stringValue ?? "?")] \(report.stopReason): " + report.statesTaken.joined(separator: " → "))
    print("report:")
    print(try JSONValueEncoder().encode(report).jsonText(prettyPrinted: true))
    print("diagram:")
    print(definition.mermaid(report: report))
}
print("replies sent: \(sent.withLock { $0.count })")
guard sent.withLock({ $0.count }) == 3 else { fatalError("expected three replies") }
