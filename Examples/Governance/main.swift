// Governance: five misbehaving agents, each stopped by the policy, with the reason printed.
// `swift run Governance`
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Synchronization

let echo = ClosureTool(name: "echo", description: "Returns its arguments.") { $0 }
let orchestrator = try Orchestrator(tools: [echo])

func show(_ title: String, _ report: ExecutionReport) {
    let seconds = Double(report.durationNanoseconds.rawValue) / 1e9
    print("\(title)")
    print("  status: \(report.status.rawValue) after \(seconds) s")
    print("  reason: \(report.stopReason)")
    print("  steps run: \(report.totals.steps), tool bodies run: \(report.totals.toolCalls)")
    print("  agent interrupted while its code ran: \(report.agentStopped ? "no" : "yes (its task was cancelled)")")
}

// 1. A runaway agent: every step asks for another one.
struct Runaway: Agent {
    let name = "runaway"
    func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        StepResult(output: step.input, followUpSteps: [AgentStep(.integer((step.input.integerValue ?? 0) + 1))])
    }
}
show(
    "Runaway agent (step loop), maxSteps 5:",
    await orchestrator.run(Runaway(), task: 0, policy: try StrictPolicy(maxSteps: 5))
)

// 2. A tool spammer: 1,000 calls with fresh arguments.
let spammer = ClosureAgent(name: "spammer") { _, context in
    for index in 0..<1_000 { _ = try await context.callTool("echo", arguments: ["n": .integer(Int64(index))]) }
    return "done"
}
show(
    "Tool spammer, maxToolCalls 10:",
    await orchestrator.run(spammer, task: nil, policy: try StrictPolicy(maxToolCalls: 10))
)

// 3. A token bomb: the model reports a million tokens.
let bomb = ClosureAgent(name: "token bomb") { _, context in
    let reservation = try context.reserveUsage(ModelUsage(inputTokens: 100, outputTokens: 100))
    try context.reportUsage(ModelUsage(inputTokens: 100, outputTokens: 1_000_000), for: reservation)
    return "unreachable"
}
show(
    "Token bomb, maxTokens 1,000:",
    await orchestrator.run(bomb, task: nil, policy: try StrictPolicy(maxTokens: 1_000))
)

// 4. A hung agent: awaits for a minute.
let hung = ClosureAgent(name: "hung") { _, _ in
    try await Task.sleep(for: .seconds(60))
    return "unreachable"
}
show(
    "Hung agent, timeout 100 ms:",
    await orchestrator.run(hung, task: nil, policy: try StrictPolicy(timeout: .milliseconds(100)))
)

// 5. A busy-looping agent that never checks cancellation (it spins for 400 ms).
let busy = ClosureAgent(name: "busy loop") { _, _ in
    let start = ContinuousClock.now
    var spins: UInt64 = 0
    while ContinuousClock.now - start < .milliseconds(400) { spins &+= 1 }
    return .integer(Int64(spins & 1))
}
show(
    "Busy-looping agent, timeout 100 ms:",
    await orchestrator.run(busy, task: nil, policy: try StrictPolicy(timeout: .milliseconds(100)))
)
