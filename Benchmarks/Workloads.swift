// The workloads of ../shared/benchmarks/WORKLOADS.md.
import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import Synchronization

/// The no-op agent body: returns its input.
@inline(never)
func noOpBody(_ input: JSONValue) async -> JSONValue { input }

let noOpAgent = ClosureAgent(name: "noop") { step, _ in await noOpBody(step.input) }

/// A policy large enough for every node of a big graph to run under one ledger.
func roomyPolicy() throws -> StrictPolicy {
    try StrictPolicy(
        maxSteps: 10_000_000,
        maxTokens: 10_000_000,
        maxToolCalls: 10_000_000,
        maxRepeatedToolCalls: 10_000_000,
        timeout: .seconds(3_600)
    )
}

// MARK: Graph shapes

/// W10's run: an agent calling a no-op tool `calls` times, an orchestrator holding the tool, a policy allowing it.
func chatterRun(calls: Int) throws -> (Orchestrator, ClosureAgent, StrictPolicy) {
    let noOp = ClosureTool(name: "noop", description: "Does nothing.") { _ in .null }
    let agent = ClosureAgent(name: "chatter") { _, context in
        for index in 0..<calls { _ = try await context.callTool("noop", arguments: .integer(Int64(index))) }
        return "done"
    }
    let policy = try StrictPolicy(
        maxToolCalls: Int64(calls),
        maxRepeatedToolCalls: Int64(calls),
        timeout: .seconds(600)
    )
    return (try Orchestrator(tools: [noOp]), agent, policy)
}

func chainGraph(_ count: Int) -> TaskGraph {
    TaskGraph((0..<count).map { TaskGraph.Node("n\($0)", dependsOn: $0 == 0 ? [] : ["n\($0 - 1)"]) })
}

func wideGraph(_ count: Int) -> TaskGraph {
    var nodes = (0..<count).map { TaskGraph.Node("n\($0)") }
    nodes.append(TaskGraph.Node("sink", dependsOn: (0..<count).map { "n\($0)" }))
    return TaskGraph(nodes)
}

func graph(fromDependencies deps: [[Int]]) -> TaskGraph {
    TaskGraph(
        deps.enumerated().map { index, dependencies in
            TaskGraph.Node("n\(index)", dependsOn: dependencies.map { "n\($0)" })
        }
    )
}

/// A seeded layered DAG: `width` nodes per layer, each node after the first layer with 1–3 dependencies in the
/// previous layer.
func layeredGraph(nodes: Int, width: Int = 500, seed: UInt64) -> TaskGraph {
    var generator = SplitMix64(seed: seed)
    var deps: [[Int]] = []
    deps.reserveCapacity(nodes)
    for index in 0..<nodes {
        let layer = index / width
        guard layer > 0 else {
            deps.append([])
            continue
        }
        let previous = (layer - 1) * width
        let count = Int.random(in: 1...3, using: &generator)
        var chosen: Set<Int> = []
        while chosen.count < count { chosen.insert(previous + Int.random(in: 0..<width, using: &generator)) }
        deps.append(chosen.sorted())
    }
    return graph(fromDependencies: deps)
}

func loadW4(_ path: String) -> TaskGraph? {
    guard let text = readFile(path), let value = try? JSONValue(parsing: text), let deps = value["deps"]?.arrayValue
    else { return nil }
    return graph(fromDependencies: deps.map { ($0.arrayValue ?? []).compactMap { $0.integerValue.map(Int.init) } })
}

func agentGraph(_ shape: TaskGraph) -> AgentGraph {
    AgentGraph(
        shape.nodes.map { node in
            AgentGraph.Node(node.id, performer: .agent(noOpAgent), dependsOn: node.dependencies) { input, _ in input }
        }
    )
}

// MARK: Runners

func runRaw(_ graph: TaskGraph) async -> Checks {
    let executor = TaskGraphExecutor(configuration: .init(maxConcurrency: 100_000))
    var checks = Checks()
    do {
        let report = try await executor.run(graph) { (_: NodeInvocation<Int>) in 0 }
        checks.expect("nodes_succeeded", report.counts.succeeded, equals: graph.nodes.count)
    } catch {
        checks.record("error", .string("\(error)"))
        checks.ok = false
    }
    return checks
}

func runAgents(_ graph: TaskGraph, orchestrator: Orchestrator) async -> Checks {
    var checks = Checks()
    do {
        let report = try await orchestrator.run(
            agentGraph(graph),
            task: "x",
            policy: roomyPolicy(),
            configuration: .init(maxConcurrency: 100_000)
        )
        checks.expect("nodes_succeeded", report.execution.counts.succeeded, equals: graph.nodes.count)
        checks.record("status", .string(report.status.rawValue))
    } catch {
        checks.record("error", .string("\(error)"))
        checks.ok = false
    }
    return checks
}

/// W1's loop: `count` sequential runs of the no-op agent, checking every report's status and output.
func sequentialRuns(_ count: Int, on orchestrator: Orchestrator, policy: StrictPolicy) async -> Checks {
    var succeeded = 0
    for index in 0..<count {
        let report = await orchestrator.run(noOpAgent, task: .integer(Int64(index)), policy: policy)
        if report.status == .succeeded, report.finalOutput == .integer(Int64(index)) { succeeded += 1 }
    }
    var checks = Checks()
    checks.expect("succeeded_with_right_output", succeeded, equals: count)
    return checks
}

/// A counter of tool bodies (an atomic, so counting costs no lock).
final class BodyCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
    func reset() { count.store(0, ordering: .relaxed) }
}

func timeUntilReturn(_ body: () async -> ExecutionReport) async -> (ExecutionReport, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let report = await body()
    return (report, seconds(clock.now - start))
}

/// One result slot resumed once: the minimum a run needs to hand the agent's result back across tasks.
final class ResultSlot: Sendable {
    private let state = Mutex<(value: JSONValue?, waiter: CheckedContinuation<JSONValue, Never>?)>((nil, nil))

    func fill(_ value: JSONValue) {
        let waiter = state.withLock { state -> CheckedContinuation<JSONValue, Never>? in
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }

    func wait() async -> JSONValue {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> JSONValue? in
                if let value = state.value { return value }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// The deadline-escape primitives without orchestration: an unstructured task runs the no-op body, a child sleeps
/// until a 60 s deadline, the parent waits for the result, then cancels the sleeper.
@concurrent
func escapeFloor(_ input: JSONValue) async -> JSONValue {
    let slot = ResultSlot()
    let work = Task { slot.fill(await noOpBody(input)) }
    let value = await withTaskGroup(of: Void.self) { group in
        group.addTask { try? await Task.sleep(for: .seconds(60)) }
        let value = await slot.wait()
        group.cancelAll()
        return value
    }
    work.cancel()
    return value
}
