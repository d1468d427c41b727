import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("The workflow clock counts active time: it stands while the workflow waits or is paused", .timeLimit(.suite))
struct WorkflowActiveClockTests {
    /// work (6 s) → hold (a signal, up to an hour) → more (6 s) → done.
    static let workWaitWork = WorkflowDefinition(
        name: "active",
        version: "1",
        initialState: "work",
        states: [
            "work": agentTask("six", output: "$.first", next: "hold"),
            "hold": .wait(WorkflowWaitState(.signal("go"), timeout: .seconds(3600), next: "more", onTimeout: "failed")),
            "more": agentTask("six2", output: "$.second", next: "done"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func registry() throws -> WorkflowRegistry {
        var agents = AgentRegistry()
        // A scripted agent plays its script once: one per task state.
        try agents.register(ScriptedAgent(name: "six", steps: [[.sleep(.seconds(6)), .output("worked")]]))
        try agents.register(ScriptedAgent(name: "six2", steps: [[.sleep(.seconds(6)), .output("worked")]]))
        return WorkflowRegistry(agents: agents)
    }

    @Test("Time spent waiting does not count: 6 s of work, an hour's wait, then the deadline 4 s into the next task")
    func waitDoesNotCount() async throws {
        try await withWatchdog("the deadline counts only active time") {
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: Self.workWaitWork,
                data: [:],
                registry: try Self.registry(),
                policy: try StrictPolicy(timeout: .seconds(10))
            )
            // The workflow deadline, the task run's deadline and the agent's sleep.
            await clock.waitForSleepers(count: 3)
            clock.advance(by: .seconds(6))
            #expect(await handle.waitUntilWaiting() == .waiting(state: "hold", for: .signal("go")))
            clock.advance(by: .seconds(3000))
            #expect(await handle.signal("go"))
            // Again the deadline (moved out by the 3,000 s wait), the run's deadline and the sleep.
            await clock.waitForSleepers(count: 3)
            clock.advance(by: .seconds(3))
            #expect(handle.status == .running(state: "more"))
            clock.advance(by: .seconds(1))
            let report = await handle.report
            #expect(report.stopReason.kind == .timedOut)
            #expect(report.stopReason.state == "more")
            #expect(report.statesTaken == ["work", "hold", "more"])
            #expect(report.path[0].outcome == .succeeded)
            #expect(report.path[1].outcome == .signalled)
            #expect(report.path[2].enteredAt == Nanoseconds(.seconds(6)))
            #expect(report.durationNanoseconds == Nanoseconds(.seconds(10)))
        }
    }

    @Test("Time held by a pause does not count; the run finishes after the pause within its timeout")
    func pauseDoesNotCount() async throws {
        try await withWatchdog("a paused workflow's clock stands") {
            let clock = ManualClock()
            let definition = WorkflowDefinition(
                name: "paused",
                version: "1",
                initialState: "work",
                states: [
                    "work": agentTask("six", output: "$.first", next: "more"),
                    "more": agentTask("six2", output: "$.second", next: "done"),
                    "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: definition,
                data: [:],
                registry: try Self.registry(),
                policy: try StrictPolicy(timeout: .seconds(15))
            )
            await clock.waitForSleepers(count: 3)
            #expect(await handle.pause())
            clock.advance(by: .seconds(6))
            #expect(await handle.waitUntilWaiting() == .paused(before: "more"))
            // A day paused: without a standing clock the 15 s deadline would end the run here.
            clock.advance(by: .seconds(86_400))
            #expect(handle.status == .paused(before: "more"))
            #expect(await handle.resume())
            await clock.waitForSleepers(count: 3)
            clock.advance(by: .seconds(6))
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "done"))
            #expect(report.durationNanoseconds == Nanoseconds(.seconds(12)))
        }
    }
}
