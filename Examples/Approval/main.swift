// Approval: a journaled run pauses before a payment, shows exactly what is being approved, and resumes.
//
//   swift run Approval           approve the payment (non-interactive, so CI can run it)
//   swift run Approval --deny    deny it: the agent gets a typed refusal and the payment never runs
//
// The policy says `requiresApproval: ["payments.*"]`, so the run stops before `payments.send` with status
// `awaitingApproval` and its report names the call: tool, arguments, the SHA-256 of the arguments' canonical JSON
// (RFC 8785) and the policy's hash. An approval is bound to that call and that policy: changed arguments or a
// changed policy need a new one. Resuming holds no thread while paused; the journal (in memory here, a
// FileCheckpointStore in production) holds the decision and the result, so resuming again never pays twice.
import AgentOrchestration
import Synchronization

/// Counts the payments actually sent, to show that an approved call runs once and a denied one never.
let paymentsSent = Atomic<Int>(0)

/// The tool that needs approval: sends a payment (here: counts it and returns a receipt).
struct SendPayment: Tool {
    struct Arguments: Decodable, Sendable {
        var to: String
        var amountCents: Int
        var currency: String
    }
    let name = "payments.send"
    let description = "Sends a payment; every call needs a person's approval."

    func call(arguments: Arguments) async throws -> String {
        let receipt = paymentsSent.add(1, ordering: .relaxed).newValue
        let key = ToolInvocation.current?.idempotencyKey ?? "none"
        return
            "receipt \(receipt): \(arguments.amountCents) \(arguments.currency) cents to \(arguments.to) (key \(key))"
    }
}

/// Looks up an invoice, then pays it; a refused payment becomes the step's output instead of failing the run.
struct PayInvoice: Agent {
    let name = "accounts-payable"

    func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        let invoice = try await context.callTool("invoices.lookup", arguments: ["id": step.input])
        do {
            let receipt = try await context.callTool(
                "payments.send",
                arguments: [
                    "to": invoice["payee"] ?? "?", "amountCents": invoice["amountCents"] ?? 0, "currency": "EUR",
                ]
            )
            return StepResult(output: ["paid": true, "receipt": receipt])
        } catch let error as ToolError {
            return StepResult(output: ["paid": false, "refusal": .string(error.description)])
        }
    }
}

let lookup = ClosureTool(name: "invoices.lookup", description: "An invoice by id.") { arguments in
    ["id": arguments["id"] ?? nil, "payee": "ACME GmbH", "amountCents": 125_000]
}

let denying = CommandLine.arguments.dropFirst().first == "--deny"
let orchestrator = try Orchestrator(tools: [lookup, SendPayment()])
let policy = try StrictPolicy(
    maxSteps: 3,
    maxToolCalls: 4,
    allowedTools: ["invoices.*", "payments.*"],
    timeout: .seconds(30),
    requiresApproval: ["payments.*"]
)
let journal = RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "invoice-2041")!)

let paused = await orchestrator.run(PayInvoice(), task: "INV-2041", policy: policy, journal: journal)
print("status: \(paused.status.rawValue), stop reason: \(paused.stopReason)")
guard let request = paused.pendingApproval else {
    print(paused.jsonText(prettyPrinted: true))
    fatalError("the run did not pause for approval")
}
print("awaiting approval of:")
print("  tool:           \(request.tool)")
print("  arguments:      \(request.arguments.jsonText())")
print("  arguments hash: \(request.argumentsHash)  (SHA-256 of the arguments' RFC 8785 form)")
print("  policy hash:    \(request.policyHash)")
print("  call id:        \(request.callID)")
print("payments sent while paused: \(paymentsSent.load(ordering: .relaxed))")

let resumed: ExecutionReport
if denying {
    print("\ndenying it: \"over the monthly limit\"")
    resumed = try await orchestrator.resume(
        PayInvoice(),
        journal: journal,
        denying: request,
        reason: "over the monthly limit"
    )
} else {
    print("\napproving it")
    resumed = try await orchestrator.resume(PayInvoice(), journal: journal, approving: request)
}
print(resumed.jsonText(prettyPrinted: true))

// Resuming the finished run again is safe: the journal holds the decision and the call's result.
let again = try await orchestrator.resume(PayInvoice(), journal: journal)
print("\nstatus: \(resumed.status.rawValue); output: \(resumed.finalOutput?.jsonText() ?? "none")")
print(
    "payments sent: \(paymentsSent.load(ordering: .relaxed)) (resumed once more: \(again.status.rawValue), still "
        + "\(paymentsSent.load(ordering: .relaxed)))"
)
