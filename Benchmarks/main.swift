// The benchmark executable: `swift run -c release Benchmarks [--only W1,W4] [--reps 5]`.
// One JSON line per workload on standard output; progress on standard error. See Docs/Performance.md.
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph
import Synchronization

// Everything runs on the global concurrent executor, as server code does: top-level code is on the main actor,
// and every call from there would pay two executor hops.
try await runAllWorkloads()

@concurrent
func runAllWorkloads() async throws {
    let options = Options(CommandLine.arguments)
    let reps = options.reps
    let orchestrator = try Orchestrator()

    func run(_ id: String, _ body: () async throws -> Void) async rethrows {
        guard options.selects(id) else { return }
        note("running \(id)…")
        try await body()
    }

    // W0: the floors.
    await run("W0-floor-call") {
        let size = 10_000
        let (times, checks) = await measure(reps: reps) {
            var last: JSONValue = .null
            for index in 0..<size { last = await noOpBody(.integer(Int64(index))) }
            var checks = Checks()
            checks.expect("last", Int(last.integerValue ?? -1), equals: size - 1)
            return checks
        }
        emit(throughputLine("W0-floor-call", size: size, reps: reps, times: times, checks: checks))
    }

    await run("W0-floor-taskgroup") {
        let size = 10_000
        let (times, checks) = await measure(reps: reps) {
            let sum = await withTaskGroup(of: Int.self) { group in
                for _ in 0..<size { group.addTask { 1 } }
                var sum = 0
                for await value in group { sum += value }
                return sum
            }
            var checks = Checks()
            checks.expect("children", sum, equals: size)
            return checks
        }
        emit(throughputLine("W0-floor-taskgroup", size: size, reps: reps, times: times, checks: checks))
    }

    // W0-floor-escape (informative, not in WORKLOADS.md): the primitives a deadline-enforced run cannot avoid —
    // one unstructured task for the agent, a deadline sleeper child, and a continuation resumed when the agent
    // finishes — with no orchestration at all. The floor for W1.
    await run("W0-floor-escape") {
        let size = 10_000
        let (times, checks) = await measure(reps: reps) {
            var finished = 0
            for index in 0..<size {
                let value = await escapeFloor(.integer(Int64(index)))
                if value == .integer(Int64(index)) { finished += 1 }
            }
            var checks = Checks()
            checks.expect("finished", finished, equals: size)
            return checks
        }
        emit(throughputLine("W0-floor-escape", size: size, reps: reps, times: times, checks: checks))
    }

    // W0-floor-handoff (informative, our own; Benchmarks/HandoffFloor.swift): one job handed to a parked
    // dedicated thread and back, the two hand-offs a default run (agent code on dedicated threads) cannot avoid.
    await run("W0-floor-handoff") {
        let size = 10_000
        let thread = HandoffThread()
        let (times, checks) = await measure(reps: reps) {
            var finished = 0
            for index in 0..<size {
                let value = await handoffFloor(.integer(Int64(index)), on: thread)
                if value == .integer(Int64(index)) { finished += 1 }
            }
            var checks = Checks()
            checks.expect("finished", finished, equals: size)
            return checks
        }
        emit(throughputLine("W0-floor-handoff", size: size, reps: reps, times: times, checks: checks))
    }

    // W1: sequential governed runs.
    try await run("W1-lifecycle") {
        let size = 10_000
        let policy = try StrictPolicy(maxSteps: 5)
        let (times, checks) = await measure(reps: reps) {
            await sequentialRuns(size, on: orchestrator, policy: policy)
        }
        emit(throughputLine("W1-lifecycle", size: size, reps: reps, times: times, checks: checks))
    }

    // W1 on the shared cooperative pool (informative): the default runs agent code on dedicated threads so that
    // busy-looping agents cannot starve deadlines; this variant shows what that safety costs per run.
    try await run("W1-lifecycle-shared-pool") {
        let size = 10_000
        let policy = try StrictPolicy(maxSteps: 5)
        var configuration = Orchestrator.Configuration()
        configuration.agentExecution = .sharedPool
        let pooled = try Orchestrator(configuration: configuration)
        let (times, checks) = await measure(reps: reps) {
            await sequentialRuns(size, on: pooled, policy: policy)
        }
        emit(throughputLine("W1-lifecycle-shared-pool", size: size, reps: reps, times: times, checks: checks))
    }

    // W2–W4: graphs, raw and as agents.
    let shapes: [(String, () -> TaskGraph?)] = [
        ("W2-dag-chain", { chainGraph(2_000) }),
        ("W3-dag-wide", { wideGraph(10_000) }),
        ("W4-dag-layered", { loadW4(options.w4Path) }),
    ]
    for (prefix, make) in shapes {
        for variant in ["agents", "raw"] {
            let id = "\(prefix)-\(variant)"
            await run(id) {
                guard let graph = make() else {
                    emit(["workload": .string(id), "ok": false, "error": .string("cannot read \(options.w4Path)")])
                    return
                }
                let (times, checks) = await measure(reps: reps) {
                    variant == "raw" ? await runRaw(graph) : await runAgents(graph, orchestrator: orchestrator)
                }
                var line = throughputLine(id, size: graph.nodes.count, reps: reps, times: times, checks: checks)
                if case .object(var fields) = line {
                    fields["edges"] = .integer(Int64(graph.nodes.reduce(0) { $0 + $1.dependencies.count }))
                    line = .object(fields)
                }
                emit(line)
            }
        }
    }

    // W5: 200 sleeping nodes under a cap of 50.
    await run("W5-parallel-sleep") {
        let inFlight = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        let graph = TaskGraph((0..<200).map { TaskGraph.Node("n\($0)") })
        let executor = TaskGraphExecutor(configuration: .init(maxConcurrency: 50))
        let (times, _) = await measure(reps: reps) {
            peak.store(0, ordering: .relaxed)
            _ = try? await executor.run(graph) { (_: NodeInvocation<Int>) in
                let now = inFlight.add(1, ordering: .relaxed).newValue
                _ = peak.max(now, ordering: .relaxed)
                try await Task.sleep(for: .milliseconds(20))
                inFlight.subtract(1, ordering: .relaxed)
                return 0
            }
            return Checks()
        }
        var checks = Checks()
        checks.expect("max_in_flight", peak.load(ordering: .relaxed), equals: 50)
        let sorted = times.sorted()
        let makespan = sorted[sorted.count / 2] * 1e3
        emit([
            "workload": "W5-parallel-sleep", "size": 200, "reps": .integer(Int64(reps)),
            "median_s": .number(sorted[sorted.count / 2]), "min_s": .number(sorted.first ?? 0),
            "max_s": .number(sorted.last ?? 0), "makespan_ms": .number(makespan), "ideal_ms": 80,
            "ratio_to_ideal": .number(makespan / 80), "max_in_flight": .integer(Int64(peak.load(ordering: .relaxed))),
            "checks": .object(checks.values), "ok": .bool(checks.ok),
        ])
    }

    // W7, W7b: a tool spammer under maxToolCalls 10.
    let toolBodies = BodyCounter()
    let counted = ClosureTool(name: "counted", description: "Counts its calls.") { arguments in
        toolBodies.increment()
        return arguments
    }
    let toolOrchestrator = try Orchestrator(tools: [counted])

    for (id, sameArguments) in [("W7-tool-budget", false), ("W7b-tool-budget-same-args", true)] {
        try await run(id) {
            let spammer = ClosureAgent(name: "spammer") { _, context in
                for index in 0..<1_000 {
                    _ = try await context.callTool(
                        "counted",
                        arguments: ["n": .integer(sameArguments ? 0 : Int64(index))]
                    )
                }
                return "done"
            }
            let policy = try StrictPolicy(maxToolCalls: 10)
            toolBodies.reset()
            let (report, elapsed) = await timeUntilReturn {
                await toolOrchestrator.run(spammer, task: nil, policy: policy)
            }
            var checks = Checks()
            checks.expect("tool_body_ran", toolBodies.value, equals: 10)
            checks.expect("reported_tool_calls", report.totals.toolCalls, equals: 10)
            checks.record("stop_reason", .string(violationLimit(report)?.rawValue ?? report.stopReason.code))
            checks.require(violationLimit(report) == .maxToolCalls)
            emit([
                "workload": .string(id), "size": 1_000, "reps": 1, "tool_body_ran": .integer(Int64(toolBodies.value)),
                "reported_tool_calls": .integer(Int64(report.totals.toolCalls)),
                "stop_reason": .string(report.stopReason.code),
                "limit": .string(violationLimit(report)?.rawValue ?? ""), "seconds_until_return": .number(elapsed),
                "checks": .object(checks.values), "ok": .bool(checks.ok),
            ])
        }
    }

    // W8: 100 agents, one shared budget of 50 tool calls.
    try await run("W8-shared-budget") {
        let sharer = ClosureAgent(name: "sharer") { _, context in
            for index in 0..<5 {
                _ = try await context.callTool("counted", arguments: ["n": .integer(Int64(index))])
                await Task.yield()
            }
            return "done"
        }
        let shared = SharedBudget(try BudgetLimits(maxToolCalls: 50))
        toolBodies.reset()
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { _ = await toolOrchestrator.run(sharer, task: nil, sharedBudget: shared) }
            }
        }
        let elapsed = seconds(clock.now - start)
        var checks = Checks()
        checks.expect("tool_body_ran", toolBodies.value, equals: 50)
        checks.expect("overshoot", max(0, toolBodies.value - 50), equals: 0)
        checks.expect("ledger_tool_calls", Int(shared.ledger.used(.toolCalls)), equals: 50)
        emit([
            "workload": "W8-shared-budget", "size": 100, "reps": 1, "tool_body_ran": .integer(Int64(toolBodies.value)),
            "overshoot": .integer(Int64(max(0, toolBodies.value - 50))), "seconds": .number(elapsed),
            "checks": .object(checks.values), "ok": .bool(checks.ok),
        ])
    }

    // W11, W11b, W11c: governed model calls.
    try await runModelWorkloads(options: options, reps: reps)

    // W12a: the journal's hash chain, per entry.
    try runJournalWorkloads(options: options, reps: reps)

    // W12a-sha-lanes: SHA-256 scalar against four SIMD lanes.
    try runHashLaneWorkloads(options: options, reps: reps)

    // W12: W1 with a journal attached, and replay.
    try await runRunJournalWorkloads(options: options, reps: reps)

    // W9: scaling of random layered DAGs.
    for variant in ["raw", "agents"] {
        await run("W9-scale-\(variant)") {
            var perNode: [String: JSONValue] = [:]
            var ratios: [Double] = []
            var ok = true
            for size in [1_000, 10_000, 100_000] {
                let graph = layeredGraph(nodes: size, seed: 42)
                let (times, checks) = await measure(reps: size == 100_000 ? 1 : reps) {
                    variant == "raw" ? await runRaw(graph) : await runAgents(graph, orchestrator: orchestrator)
                }
                ok = ok && checks.ok
                let median = times.sorted()[times.count / 2]
                let micros = median / Double(size) * 1e6
                perNode["\(size)"] = .number(micros)
                ratios.append(micros)
            }
            let peak = peakRSSMegabytes()
            emit([
                "workload": .string("W9-scale-\(variant)"), "size": 100_000, "us_per_node": .object(perNode),
                "ratio_100k_to_1k": .number(ratios[2] / ratios[0]), "peak_rss_mb": .number(peak),
                "peak_kb_per_node_at_100k": .number(peak * 1024 / 100_000), "ok": .bool(ok),
            ])
        }
    }

    // W10: 100,000 events to one subscriber that keeps up.
    try await run("W10-events") {
        let calls = 100_000
        let (eventOrchestrator, agent, policy) = try chatterRun(calls: calls)
        let stream = eventOrchestrator.events(bufferingNewest: 4 * calls)
        let reader = Task {
            var count = 0
            for await event in stream {
                count += 1
                if case .runFinished = event.kind { break }
            }
            return count
        }
        let (report, elapsed) = await timeUntilReturn { await eventOrchestrator.run(agent, task: nil, policy: policy) }
        let received = await reader.value
        var checks = Checks()
        checks.expect("events_received", received, equals: report.events.emitted)
        checks.expect("dropped", report.events.dropped, equals: 0)
        checks.expect("tool_calls", report.totals.toolCalls, equals: calls)
        emit([
            "workload": "W10-events", "size": .integer(Int64(report.events.emitted)), "reps": 1,
            "seconds": .number(elapsed), "events_per_s": .number(Double(report.events.emitted) / elapsed),
            "dropped": .integer(Int64(report.events.dropped)), "checks": .object(checks.values), "ok": .bool(checks.ok),
        ])
    }

    // W10-unobserved (informative, our own): W10's run with nobody subscribed, so no event is built or delivered.
    // The events it would have emitted, per second of the run: the ceiling any delivery design can reach for W10.
    try await run("W10-unobserved") {
        let calls = 100_000
        let (quietOrchestrator, agent, policy) = try chatterRun(calls: calls)
        let (report, elapsed) = await timeUntilReturn { await quietOrchestrator.run(agent, task: nil, policy: policy) }
        var checks = Checks()
        checks.expect("tool_calls", report.totals.toolCalls, equals: calls)
        emit([
            "workload": "W10-unobserved", "size": .integer(Int64(report.events.emitted)), "reps": 1,
            "seconds": .number(elapsed), "events_per_s": .number(Double(report.events.emitted) / elapsed),
            "checks": .object(checks.values), "ok": .bool(checks.ok),
        ])
    }

    // W6d: 1,000 concurrent runs, each awaiting a 10 s sleep under a 100 ms timeout; lateness is each run's time
    // until return beyond its timeout, measured from just before its own call.
    try await run("W6d-timeout-many") {
        let size = 1_000
        let agent = ClosureAgent(name: "sleeper") { _, _ in
            try await Task.sleep(for: .seconds(10))
            return "late"
        }
        let policy = try StrictPolicy(timeout: .milliseconds(100))
        let results = await withTaskGroup(of: (RunStatus, Double).self) { group in
            for _ in 0..<size {
                group.addTask {
                    let (report, elapsed) = await timeUntilReturn {
                        await orchestrator.run(agent, task: nil, policy: policy)
                    }
                    return (report.status, elapsed)
                }
            }
            var results: [(RunStatus, Double)] = []
            for await result in group { results.append(result) }
            return results
        }
        let lateness = results.map { max(0, $0.1 - 0.1) * 1e3 }.sorted()
        func percentile(_ p: Double) -> Double { lateness[min(lateness.count - 1, Int(Double(lateness.count) * p))] }
        var checks = Checks()
        checks.expect("timed_out", results.filter { $0.0 == .timedOut }.count, equals: size)
        checks.require(percentile(0.99) <= 10)
        emit([
            "workload": "W6d-timeout-many", "size": .integer(Int64(size)), "reps": 1,
            "lateness_ms": .object([
                "p50": .number(percentile(0.5)), "p99": .number(percentile(0.99)), "max": .number(lateness.last ?? 0),
            ]),
            "checks": .object(checks.values), "ok": .bool(checks.ok),
        ])
    }

    // W6c (informative): four busy-looping agents at once on a 2-core machine, each under a 100 ms timeout. With
    // agent code on dedicated threads every run still returns at its deadline.
    try await run("W6c-timeout-busy-x4") {
        let agent = ClosureAgent(name: "busy") { _, _ in
            let clock = ContinuousClock()
            let start = clock.now
            var spins: UInt64 = 0
            while clock.now - start < .milliseconds(300) { spins &+= 1 }
            return .integer(Int64(spins & 1))
        }
        let policy = try StrictPolicy(timeout: .milliseconds(100))
        let clock = ContinuousClock()
        let start = clock.now
        let results = await withTaskGroup(of: (RunStatus, Double).self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let report = await orchestrator.run(agent, task: nil, policy: policy)
                    return (report.status, seconds(clock.now - start))
                }
            }
            var results: [(RunStatus, Double)] = []
            for await result in group { results.append(result) }
            return results
        }
        let slowest = results.map(\.1).max() ?? 0
        var checks = Checks()
        checks.expect("timed_out", results.filter { $0.0 == .timedOut }.count, equals: 4)
        // Four spinning threads share two cores with the supervising tasks; the kernel's time slicing, not the
        // library, sets how soon a woken supervisor runs, so this informative check allows 25 ms.
        checks.require(slowest <= 0.125)
        try? await Task.sleep(for: .milliseconds(400))  // let the abandoned loops end before W6a and W6b
        emit([
            "workload": "W6c-timeout-busy-x4", "size": 4, "reps": 1, "slowest_seconds_until_return": .number(slowest),
            "checks": .object(checks.values), "ok": .bool(checks.ok),
        ])
    }

    // W6: timeouts on the real clock. Last, because the busy loop keeps one thread for 10 s after the run returns.
    for (id, busy) in [("W6a-timeout-await", false), ("W6b-timeout-busy", true)] {
        try await run(id) {
            let ended = Atomic<Bool>(false)
            let agent = ClosureAgent(name: busy ? "busy" : "sleeper") { _, _ in
                if busy {
                    let clock = ContinuousClock()
                    let start = clock.now
                    var spins: UInt64 = 0
                    while clock.now - start < .seconds(10) { spins &+= 1 }
                    ended.store(true, ordering: .releasing)
                    return .integer(Int64(spins & 1))
                }
                try await Task.sleep(for: .seconds(10))
                return "late"
            }
            let policy = try StrictPolicy(timeout: .milliseconds(100))
            let (report, elapsed) = await timeUntilReturn { await orchestrator.run(agent, task: nil, policy: policy) }
            var checks = Checks()
            checks.require(report.status == .timedOut)
            checks.require(elapsed <= 0.110)
            checks.record("late_ms", .number((elapsed - 0.1) * 1e3))
            emit([
                "workload": .string(id), "size": 1, "reps": 1, "seconds_until_return": .number(elapsed),
                "status": .string(report.status.rawValue), "stop_reason": .string(report.stopReason.code),
                "agent_stopped": .bool(report.agentStopped), "checks": .object(checks.values), "ok": .bool(checks.ok),
            ])
        }
    }
}

func violationLimit(_ report: ExecutionReport) -> PolicyViolation.Limit? {
    if case .policyViolation(let violation, _) = report.stopReason { return violation.limit }
    return nil
}
