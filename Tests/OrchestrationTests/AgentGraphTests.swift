import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// An error that says it may succeed if tried again.
struct Overloaded: RetryableError, CustomStringConvertible {
    var isRetryable: Bool { true }
    var description: String { "overloaded, try again" }
}

/// An agent that returns `label(input)`, to trace what each node received.
func labeller(_ name: String) -> ClosureAgent {
    ClosureAgent(name: name) { step, _ in .object(["by": .string(name), "task": step.input]) }
}

@Suite("Graphs of agents", .timeLimit(.suite))
struct AgentGraphTests {
    func pipeline() -> AgentGraph {
        var graph = AgentGraph()
        graph.add("research", agent: labeller("researcher"))
        graph.add("draft", agent: labeller("writer"), dependsOn: ["research"])
        graph.add("critique", agent: labeller("critic"), dependsOn: ["research"])
        graph.add("polish", agent: labeller("editor"), dependsOn: ["draft", "critique"])
        return graph
    }

    @Test("Each node's task is the input plus exactly its dependencies' outputs; the sink's output is final")
    func pipelineTasks() async throws {
        let report = try await makeOrchestrator().run(pipeline(), task: "topic")
        #expect(report.status == .succeeded)
        #expect(report.stopReason == .completed)
        let research = try #require(report.node("research")?.output)
        #expect(research == ["by": "researcher", "task": ["input": "topic", "dependencies": [:]]])
        let draft = try #require(report.node("draft")?.output)
        #expect(draft == ["by": "writer", "task": ["input": "topic", "dependencies": ["research": research]]])
        let polish = try #require(report.node("polish")?.output)
        #expect(polish["task"]?["dependencies"]?.objectValue?.keys.sorted() == ["critique", "draft"])
        #expect(report.finalOutput == .sinks(outputs: [NodeOutput(id: "polish", output: polish)]))
        #expect(report.nodes.map(\.agent) == ["researcher", "writer", "critic", "editor"])
        #expect(report.nodes.allSatisfy { $0.attempts.count == 1 && $0.attempts[0].nodeID == $0.id })
    }

    @Test("Every event of a graph run carries its node id")
    func eventsCarryNodeIDs() async throws {
        let orchestrator = try makeOrchestrator()
        let stream = orchestrator.events()
        let report = try await orchestrator.run(pipeline(), task: "topic")
        var finished = 0
        var nodes: Set<String> = []
        for await event in stream {
            let node = try #require(event.nodeID)
            nodes.insert(node)
            if case .runFinished = event.kind { finished += 1 }
            if finished == 4 { break }
        }
        #expect(nodes == ["research", "draft", "critique", "polish"])
        #expect(report.nodes.count == 4)
    }

    @Test("One run-level budget across nodes: bodies equal the ledger and never pass the limit")
    func sharedBudgetAcrossNodes() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        var graph = AgentGraph()
        for index in 0..<20 {
            graph.add("n\(index)", agent: toolCaller("t", calls: 5))
        }
        let report = try await orchestrator.run(
            graph,
            task: nil,
            policy: try StrictPolicy(maxToolCalls: 50),
            configuration: .init(maxConcurrency: 8)
        )
        let used = try #require(report.ledger.first { $0.budget == "toolCalls" })
        #expect(used.limit == 50)
        #expect(Int64(bodies.value) == used.used)
        #expect(bodies.value <= 50)
        #expect(report.status == .failed)
        guard case .policyViolation(let violation, _) = report.stopReason else {
            Issue.record("expected a policy violation, got \(report.stopReason)")
            return
        }
        #expect(violation.limit == .maxToolCalls)
        let statuses = report.execution.nodes.map(\.status)
        #expect(statuses.count == 20)
        // Each succeeded node made all 5 of its calls; the refused node failed; the rest were cancelled or skipped.
        let succeeded = statuses.filter { $0 == .succeeded }.count
        #expect(succeeded * 5 <= bodies.value)
        #expect(statuses.contains(.failed))
        #expect(!statuses.contains(.timedOut))
        #expect(succeeded < 20)
    }

    @Test("With one node in flight at a time, the run budget gives exactly N tool calls")
    func exactBudgetSequential() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        var graph = AgentGraph()
        for index in 0..<20 { graph.add("n\(index)", agent: toolCaller("t", calls: 5)) }
        let report = try await orchestrator.run(
            graph,
            task: nil,
            policy: try StrictPolicy(maxToolCalls: 50),
            configuration: .init(maxConcurrency: 1)
        )
        #expect(bodies.value == 50)
        #expect(report.nodes.filter { $0.status == .succeeded }.count == 10)
        #expect(
            report.stopReason
                == .policyViolation(
                    violation: PolicyViolation(
                        limit: .maxToolCalls,
                        limitValue: 50,
                        attempted: 51,
                        tool: "t"
                    ),
                    node: "n10"
                )
        )
        #expect(report.nodes.suffix(9).allSatisfy { $0.status == .skipped })
    }

    @Test("A node's own policy can only tighten the run's")
    func nodePolicyTightens() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        var graph = AgentGraph()
        graph.add("strict", agent: toolCaller("t", calls: 3), policy: try StrictPolicy(maxToolCalls: 2))
        graph.add("loose", agent: toolCaller("t", calls: 3), policy: try StrictPolicy(maxToolCalls: 1_000))
        let report = try await orchestrator.run(
            graph,
            task: nil,
            policy: try StrictPolicy(maxToolCalls: 100),
            configuration: .init(maxConcurrency: 1)
        )
        guard case .policyViolation(let violation, let node?) = report.stopReason else {
            Issue.record("expected a policy violation")
            return
        }
        #expect(node == "strict")
        #expect(violation.limitValue == 2)
        #expect(bodies.value == 2)
    }

    @Test("The run deadline spans the graph: the node running at the deadline is stopped, the rest skipped")
    func deadlineAcrossGraph() async throws {
        try await withWatchdog("the run deadline stops the graph (the deadline escape)") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let sleeper = ScriptedAgent(name: "sleeper", steps: [[.sleep(.milliseconds(400)), .output("ok")]])
            var graph = AgentGraph()
            graph.add("a", agent: sleeper)
            graph.add("b", agent: sleeper, dependsOn: ["a"])
            graph.add("c", agent: sleeper, dependsOn: ["b"])
            graph.add("d", agent: sleeper, dependsOn: ["c"])
            let policy = try StrictPolicy(timeout: .seconds(1))
            async let pending = orchestrator.run(graph, task: nil, policy: policy)
            for _ in 0..<2 {
                // The graph's deadline, this node's run deadline, its agent's sleep.
                await clock.waitForSleepers(count: 3)
                clock.advance(by: .milliseconds(400))
            }
            await clock.waitForSleepers(count: 3)
            clock.advance(by: .milliseconds(200))
            let report = try await pending
            #expect(report.status == .timedOut)
            #expect(report.stopReason == .timedOut(timeout: Nanoseconds(.seconds(1))))
            #expect(report.nodes.map(\.status) == [.succeeded, .succeeded, .cancelled, .skipped])
            let stopped = try #require(report.node("c")?.attempts.first?.stopReason)
            #expect([.timedOut(timeout: Nanoseconds(.milliseconds(200))), .cancelled].contains(stopped))
            #expect(report.execution.durationNanoseconds.rawValue == 1_000_000_000)
        }
    }

    @Test("Capability routing falls back to the next agent after retryable failures, naming the producer")
    func fallbackRouting() async throws {
        let flakyCalls = Counter()
        let steadyCalls = Counter()
        var registry = AgentRegistry()
        try registry.register(
            ClosureAgent(name: "flaky-writer") { _, _ in
                flakyCalls.increment()
                throw Overloaded()
            },
            capabilities: ["writing"]
        )
        try registry.register(
            ClosureAgent(name: "steady-writer") { _, _ in
                steadyCalls.increment()
                return "prose"
            },
            capabilities: ["writing", "editing"]
        )
        var graph = AgentGraph()
        graph.add("write", capability: "writing", retryPolicy: RetryPolicy(maxAttempts: 2))
        let report = try await makeOrchestrator().run(graph, task: "x", registry: registry)
        #expect(report.status == .succeeded)
        #expect(flakyCalls.value == 2)
        #expect(steadyCalls.value == 1)
        let node = try #require(report.node("write"))
        #expect(node.agent == "steady-writer")
        #expect(node.attempts.map(\.agentName) == ["flaky-writer", "flaky-writer", "steady-writer"])
        #expect(node.output == "prose")
        #expect(report.execution.node("write")?.attempts.count == 3)
    }

    @Test("A non-retryable failure is tried once and never falls back")
    func noFallbackForPlainErrors() async throws {
        let calls = Counter()
        var registry = AgentRegistry()
        try registry.register(
            ClosureAgent(name: "broken") { _, _ in
                calls.increment()
                throw PlainError()
            },
            capabilities: ["writing"]
        )
        try registry.register(labeller("backup"), capabilities: ["writing"])
        var graph = AgentGraph()
        graph.add("write", capability: "writing", retryPolicy: RetryPolicy(maxAttempts: 3))
        graph.add("after", agent: labeller("next"), dependsOn: ["write"])
        let report = try await makeOrchestrator().run(graph, task: nil, registry: registry)
        #expect(calls.value == 1)
        #expect(report.stopReason == .nodeFailed(node: "write"))
        #expect(report.nodes.map(\.status) == [.failed, .skipped])
    }

    @Test("A capability nobody offers fails validation before any agent runs, naming node and capability")
    func missingCapability() async throws {
        let calls = Counter()
        var registry = AgentRegistry()
        try registry.register(
            ClosureAgent(name: "writer") { _, _ in
                calls.increment()
                return nil
            },
            capabilities: ["writing"]
        )
        var graph = AgentGraph()
        graph.add(
            "first",
            agent: ClosureAgent(name: "first") { _, _ in
                calls.increment()
                return nil
            }
        )
        graph.add("translate", capability: "translation", dependsOn: ["first"])
        let error = await #expect(throws: OrchestrationError.self) {
            try await makeOrchestrator().run(graph, task: nil, registry: registry)
        }
        #expect(error?.code == .noAgentForCapability)
        #expect(error?.nodes == ["translate"])
        #expect(error?.name == "translation")
        #expect(error?.registered == ["writing"])
        #expect(calls.value == 0)
    }

    @Test("Invalid graphs and unknown names are refused before anything runs")
    func validation() async throws {
        var cyclic = AgentGraph()
        cyclic.nodes = [
            .init("a", performer: .agent(labeller("x")), dependsOn: ["b"]),
            .init("b", performer: .agent(labeller("x")), dependsOn: ["a"]),
        ]
        let cycle = await #expect(throws: OrchestrationError.self) {
            try await makeOrchestrator().run(cyclic, task: nil)
        }
        #expect(cycle?.code == .invalidGraph)
        #expect(cycle?.nodes == ["a", "b"])

        var named = AgentGraph()
        named.nodes = [.init("a", performer: .named("ghost"))]
        var registry = AgentRegistry()
        try registry.register(labeller("writer"))
        let unknown = await #expect(throws: OrchestrationError.self) {
            try await makeOrchestrator().run(named, task: nil, registry: registry)
        }
        #expect(unknown?.code == .unknownAgent)
        #expect(unknown?.registered == ["writer"])

        let duplicate = try #require(throws: OrchestrationError.self) { try registry.register(labeller("writer")) }
        #expect(duplicate.code == .duplicateAgent)
        #expect(duplicate.message.contains("registered: writer"))
        let empty = try #require(throws: OrchestrationError.self) { try AgentRegistry().agent(named: "x") }
        #expect(empty.message.contains("none registered"))
    }

    @Test("Agent concurrency limits hold and slots are released exactly once, also on failure")
    func concurrencySlots() async throws {
        let inFlight = LockedState((now: 0, peak: 0))
        var registry = AgentRegistry()
        try registry.register(
            ClosureAgent(name: "solo") { step, _ in
                inFlight.withLock {
                    $0.now += 1
                    $0.peak = max($0.peak, $0.now)
                }
                await Task.yield()
                inFlight.withLock { $0.now -= 1 }
                if step.input["input"] == "fail" { throw PlainError() }
                return "ok"
            },
            capabilities: ["solo"],
            maxConcurrentRuns: 1
        )
        var graph = AgentGraph()
        for index in 0..<6 { graph.add("n\(index)", capability: "solo") }
        let orchestrator = try makeOrchestrator()
        let report = try await orchestrator.run(
            graph,
            task: "go",
            configuration: .init(maxConcurrency: 6),
            registry: registry
        )
        #expect(report.status == .succeeded)
        #expect(inFlight.withLock { $0.peak } == 1)
        #expect(registry.runsInFlight(of: "solo") == 0)
        let failing = try await orchestrator.run(
            graph,
            task: "fail",
            configuration: .init(maxConcurrency: 6, failureMode: .continueIndependent),
            registry: registry
        )
        #expect(failing.nodes.allSatisfy { $0.status == .failed })
        #expect(registry.runsInFlight(of: "solo") == 0)
    }

    @Test("Caller cancellation stops a graph promptly; every node is terminal and slots are free")
    func cancellation() async throws {
        try await withWatchdog("caller cancellation stops the graph") {
            let clock = ManualClock()
            var registry = AgentRegistry()
            try registry.register(
                ScriptedAgent(name: "slow", steps: [[.sleep(.seconds(60))]]),
                capabilities: ["slow"],
                maxConcurrentRuns: 2
            )
            var graph = AgentGraph()
            for index in 0..<4 { graph.add("n\(index)", capability: "slow") }
            let orchestrator = try makeOrchestrator(clock: clock)
            let (fixedGraph, fixedRegistry) = (graph, registry)
            let task = Task { try await orchestrator.run(fixedGraph, task: nil, registry: fixedRegistry) }
            await clock.waitForSleepers(count: 5)  // the graph's deadline; two runs in flight: deadline + sleep each
            task.cancel()
            let report = try await task.value
            #expect(report.status == .cancelled)
            #expect(report.nodes.allSatisfy { [.cancelled, .skipped].contains($0.status) })
            #expect(registry.runsInFlight(of: "slow") == 0)
        }
    }

    @Test("Multi-agent runs: independent lifecycles, contained errors, reports by name, one shared budget")
    func multiAgent() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        let shared = SharedBudget(try BudgetLimits(maxToolCalls: 4))
        let agents: [any Agent] = [
            ClosureAgent(name: "a") { _, context in try await context.callTool("t", arguments: ["n": 1]) },
            ClosureAgent(name: "b") { _, _ in throw PlainError() },
            ClosureAgent(name: "c") { _, context in try await context.callTool("t", arguments: ["n": 2]) },
        ]
        let report = try await orchestrator.run(agents, task: "same task", maxConcurrency: 2, sharedBudget: shared)
        #expect(report.reports.keys.sorted() == ["a", "b", "c"])
        #expect(report.reports["a"]?.status == .succeeded)
        #expect(report.reports["b"]?.stopReason.code == "agentFailed")
        #expect(report.reports["c"]?.status == .succeeded)
        #expect(report.status == .failed)
        #expect(bodies.value == 2)
        #expect(report.sharedLedger?.first { $0.budget == "toolCalls" }?.used == 2)

        let duplicate = await #expect(throws: OrchestrationError.self) {
            try await orchestrator.run([labeller("x"), labeller("x")], task: nil)
        }
        #expect(duplicate?.code == .duplicateAgent)
    }

    @Test("Final output is deterministic: a designated node, or the sinks by id whatever order they finish in")
    func deterministicFinalOutput() async throws {
        try await withWatchdog("two graphs whose sinks finish in either order") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            func graph(slowFirst: Bool) -> AgentGraph {
                var graph = AgentGraph()
                graph.add(
                    "left",
                    agent: ScriptedAgent(
                        name: "l",
                        steps: [[.sleep(.milliseconds(slowFirst ? 20 : 10)), .output("L")]]
                    )
                )
                graph.add(
                    "right",
                    agent: ScriptedAgent(
                        name: "r",
                        steps: [[.sleep(.milliseconds(slowFirst ? 10 : 20)), .output("R")]]
                    )
                )
                return graph
            }
            var outputs: [String] = []
            for slowFirst in [true, false] {
                async let pending = orchestrator.run(graph(slowFirst: slowFirst), task: nil)
                await clock.waitForSleepers(count: 5)  // the graph's deadline; two runs: deadline + sleep each
                clock.advance(by: .milliseconds(10))
                await clock.waitForSleepers(count: 3)
                clock.advance(by: .milliseconds(10))
                let report = try await pending
                outputs.append(try JSONValue.canonicalTextForTest(report.finalOutput))
                guard case .sinks(let sinks)? = report.finalOutput else {
                    Issue.record("expected the sinks' outputs, got \(String(describing: report.finalOutput))")
                    continue
                }
                #expect(sinks.map(\.id) == ["left", "right"], "sinks in id order whatever order they finished in")
                #expect(sinks.map(\.output) == ["L", "R"])
            }
            #expect(outputs.count == 2 && outputs[0] == outputs[1])
            var designated = AgentGraph(outputNode: "left")
            designated.add("left", agent: labeller("l"))
            designated.add("right", agent: labeller("r"))
            let report = try await orchestrator.run(designated, task: nil)
            if case .node(let id, _) = report.finalOutput {
                #expect(id == "left")
            } else {
                Issue.record("expected node output")
            }
        }
    }
}

extension JSONValue {
    /// The value's JSON text; throws (never a placeholder) so two failed encodings cannot compare equal.
    static func canonicalTextForTest(_ value: some Encodable) throws -> String {
        try JSONValueEncoder().encode(value).jsonText()
    }
}

@Suite("Retryable tool failures in graphs", .timeLimit(.suite))
struct RetryableToolTests {
    @Test("A tool's retryable error that escapes the agent makes the node retry, with the error's hint recorded")
    func retryableToolError() async throws {
        let calls = Counter()
        let flaky = ClosureTool(name: "flaky", description: "Overloaded on the first call.") { _ in
            calls.increment()
            if calls.value == 1 { throw Overloaded() }
            return "ok"
        }
        let orchestrator = try makeOrchestrator(tools: [flaky])
        var graph = AgentGraph()
        graph.add(
            "fetch",
            agent: ClosureAgent(name: "fetcher") { _, context in try await context.callTool("flaky") },
            retryPolicy: RetryPolicy(maxAttempts: 2)
        )
        let report = try await orchestrator.run(graph, task: nil)
        #expect(report.status == .succeeded)
        #expect(calls.value == 2)
        let first = try #require(report.node("fetch")?.attempts.first)
        guard case .toolFailed(let error) = first.stopReason else {
            Issue.record("expected toolFailed, got \(first.stopReason)")
            return
        }
        #expect(error.isRetryable)
        #expect(report.node("fetch")?.output == "ok")
    }
}

@Suite("Node policies across attempts", .timeLimit(.suite))
struct NodePolicyAttemptTests {
    @Test("A node's own limits cover all its attempts, not each one")
    func nodeBudgetAcrossAttempts() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        let agent = ClosureAgent(name: "stumbler") { _, context in
            for index in 0..<2 { _ = try await context.callTool("t", arguments: ["n": .integer(Int64(index))]) }
            throw Overloaded()
        }
        var graph = AgentGraph()
        graph.add(
            "n",
            agent: agent,
            policy: try StrictPolicy(maxToolCalls: 3),
            retryPolicy: RetryPolicy(maxAttempts: 3)
        )
        let report = try await orchestrator.run(graph, task: nil)
        #expect(bodies.value == 3)  // 2 in the first attempt, 1 in the second; the 4th call is refused
        guard case .policyViolation(let violation, let node?) = report.stopReason else {
            Issue.record("expected a policy violation, got \(report.stopReason)")
            return
        }
        #expect(node == "n")
        #expect(violation.limit == .maxToolCalls)
        #expect(report.node("n")?.attempts.count == 2)
    }
}
