import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

@Suite("Graph run handles and graph events", .timeLimit(.suite))
struct GraphRunHandleTests {
    @Test("A graph handle streams its node events and its node runs' events, with the metadata, graphFinished last")
    func graphEvents() async throws {
        try await withWatchdog("a graph handle streams its events and ends") {
            let attempts = Counter()
            let flaky = ClosureAgent(name: "flaky") { _, _ in
                attempts.increment()
                if attempts.value == 1 { throw Overloaded() }
                return "ok"
            }
            let failing = ClosureAgent(name: "failing") { _, _ in
                throw ToolError(code: .toolFailed, tool: "none", message: "no")
            }
            var graph = AgentGraph()
            graph.add("first", agent: flaky, retryPolicy: RetryPolicy(maxAttempts: 2))
            graph.add("broken", agent: failing)
            graph.add("after", agent: labeller("after"), dependsOn: ["broken"])
            let orchestrator = try makeOrchestrator()
            let handle = try orchestrator.start(
                graph,
                task: "t",
                configuration: .init(maxConcurrency: 1, failureMode: .continueIndependent),
                metadata: ["tenant": "acme"]
            )
            var events: [OrchestrationEvent] = []
            for await event in handle.events { events.append(event) }
            let report = try await handle.report
            let graphLevel = events.filter { $0.executionID == handle.executionID }
            #expect(graphLevel.map(\.sequence) == Array(1...Int64(graphLevel.count)))
            #expect(graphLevel.last?.kind == .graphFinished(report))
            #expect(events.last?.kind == .graphFinished(report))
            #expect(report.executionID == handle.executionID)
            #expect(graphLevel.contains { $0.nodeID == "first" && $0.kind.name == "nodeRetrying" })
            #expect(graphLevel.contains { $0.nodeID == "after" && $0.kind == .nodeFinished(status: .skipped) })
            #expect(graphLevel.contains { $0.nodeID == "first" && $0.kind == .nodeFinished(status: .succeeded) })
            // The node runs' own events come through the same stream, each under its run's id.
            let nodeRuns = Set(events.filter { $0.kind.name == "runStarted" }.map(\.executionID))
            #expect(nodeRuns.count == 3)  // two attempts of "first", one of "broken"
            #expect(events.allSatisfy { $0.metadata == ["tenant": "acme"] })
        }
    }

    @Test("A node waiting for an agent's slot says so")
    func slotWait() async throws {
        try await withWatchdog("a node waiting for a slot says so") {
            let gate = Signal()
            var registry = AgentRegistry()
            try registry.register(
                ClosureAgent(name: "writer") { _, _ in
                    await gate.wait()
                    return "w"
                },
                maxConcurrentRuns: 1
            )
            let graph = AgentGraph([
                AgentGraph.Node("a", performer: .named("writer")), AgentGraph.Node("b", performer: .named("writer")),
            ])
            let handle = try makeOrchestrator().start(graph, task: nil, registry: registry)
            var sawWait = false
            for await event in handle.events {
                // The second node can only wait while the first holds the slot; the gate opens once it says so.
                if event.kind == .nodeWaitingForSlot(agent: "writer") {
                    sawWait = true
                    gate.fire()
                }
            }
            let report = try await handle.report
            #expect(sawWait)
            #expect(report.status == .succeeded)
        }
    }

    @Test("After shutdown a graph run stops with stop reason shutdown and calls no agent")
    func graphAfterShutdown() async throws {
        let calls = Counter()
        let orchestrator = try makeOrchestrator()
        await orchestrator.shutdown()
        var graph = AgentGraph()
        graph.add(
            "only",
            agent: ClosureAgent(name: "never") { _, _ in
                calls.increment()
                return nil
            }
        )
        let report = try await orchestrator.run(graph, task: nil)
        #expect(report.stopReason == .shutdown)
        #expect(calls.value == 0)
    }
}
