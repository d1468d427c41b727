import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import Testing

@Suite("Workflow agent tasks take the agent's concurrency slot", .timeLimit(.suite))
struct WorkflowAgentSlotTests {
    /// Two branches on the agent `worker`.
    static let fan = WorkflowDefinition(
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

    @Test("Cancelling a workflow with one branch in the slot and one waiting for it leaves the slot free")
    func cancelReleasesSlot() async throws {
        try await withWatchdog("cancel frees the slot") {
            let release = Signal()
            let started = Arrivals()
            let worker = ClosureAgent(name: "worker") { _, _ in
                started.arrive()
                await release.wait()
                return 1
            }
            var agents = AgentRegistry()
            try agents.register(worker, maxConcurrentRuns: 1)
            let handle = try makeOrchestrator().start(
                workflow: Self.fan,
                data: [:],
                registry: WorkflowRegistry(agents: agents)
            )
            await started.wait(for: 1)
            #expect(agents.runsInFlight(of: "worker") == 1)
            #expect(await handle.cancel())
            let report = await handle.report
            #expect(report.stopReason.kind == .cancelled)
            #expect(agents.runsInFlight(of: "worker") == 0)
            #expect(started.count == 1, "the waiting branch never ran")
            release.fire()
        }
    }
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
            let definition = Self.fan
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
