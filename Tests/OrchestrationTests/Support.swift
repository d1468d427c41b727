import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

/// A thread-safe counter for counting tool and agent bodies.
final class Counter: Sendable {
    private let state = LockedState(0)
    func increment() { state.withLock { $0 += 1 } }
    var value: Int { state.withLock { $0 } }
}

/// A one-shot signal a test can await: `fire()` once, `wait()` any number of times.
final class Signal: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = LockedState(State())

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var isFired: Bool { state.withLock { $0.fired } }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }
}

/// A tool that counts how often its body runs and returns its arguments.
func countingTool(_ name: String, _ counter: Counter, schema: ToolSchema = .any) -> ClosureTool {
    ClosureTool(name: name, description: "Counts its calls.", parameters: schema) { arguments in
        counter.increment()
        return arguments
    }
}

/// An agent that makes `calls` tool calls in one step with distinct arguments, returning how many succeeded.
func toolCaller(_ tool: String, calls: Int, sameArguments: Bool = false) -> ClosureAgent {
    ClosureAgent(name: "caller") { _, context in
        var succeeded: Int64 = 0
        for index in 0..<calls {
            let arguments: JSONValue = sameArguments ? ["n": 0] : ["n": .integer(Int64(index))]
            _ = try await context.callTool(tool, arguments: arguments)
            succeeded += 1
        }
        return .integer(succeeded)
    }
}

func makeOrchestrator(tools: [any Tool] = [], clock: ManualClock = ManualClock()) throws -> Orchestrator {
    try Orchestrator(tools: tools, clock: clock, idGenerator: .seeded(7))
}

/// Counts arrivals and lets a test wait until a number of them have happened: a deterministic rendezvous.
final class Arrivals: Sendable {
    private struct State {
        var count = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state = LockedState(State())

    func arrive() {
        let ready = state.withLock { state in
            state.count += 1
            let count = state.count
            let ready = state.waiters.filter { $0.target <= count }.map(\.continuation)
            state.waiters.removeAll { $0.target <= count }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    var count: Int { state.withLock { $0.count } }

    func wait(for target: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.count >= target { return true }
                state.waiters.append((target, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
