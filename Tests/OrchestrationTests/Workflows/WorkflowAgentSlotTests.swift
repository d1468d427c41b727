import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

@Suite("Workflow agent tasks take the agent's concurrency slot", .timeLimit(.minutes(1)))
struct WorkflowAgentSlotTests {
    @Test("Two parallel branches on a one-slot agent run one at a time, holding the registry's slot")
    func oneSlot() async throws {
        try await withWatchdog("branches share one slot") {
            let release = Signal()
            let started = Arrivals()
            let inFlight = LockedState((now: 0, most: 0))
            let worker = ClosureAgent(name: "worker") { _, _ in
                inFlight.withLock {
                    $0.now += 1
                    $0.most = max($0.most, $0.now)
                }
                started.arrive()
                await release.wait()
                inFlight.withLock { $0.now -= 1 }
                return 1
            }
            var agents = AgentRegistry()
            try agents.register(worker, maxConcurrentRuns: 1)
            let definition = WorkflowDefinition(
                name: "both",
                version: "1",
                initialState: "fan",
                states: [
                    "fan": .parallel(
                        WorkflowParallelState(
                            [.init("a", .agent("worker")), .init("b", .agent("worker"))],
                            output: "$.both",
                            next: "done",
                            onFailure: "failed"
                        )
                    ),
                    "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let handle = try makeOrchestrator().start(
                workflow: definition,
                data: [:],
                registry: WorkflowRegistry(agents: agents)
            )
            await started.wait(for: 1)
            // The first branch holds the agent's one slot; the second waits for it.
            #expect(agents.runsInFlight(of: "worker") == 1)
            release.fire()
            let report = await handle.report
            #expect(report.succeeded, "\(report.stopReason)")
            #expect(report.finalData["both"] == ["a": 1, "b": 1])
            #expect(started.count == 2)
            #expect(inFlight.withLock { $0.most } == 1)
            #expect(agents.runsInFlight(of: "worker") == 0)
        }
    }
}
