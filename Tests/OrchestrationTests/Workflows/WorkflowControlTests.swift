import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite(
    "Workflow control from outside: pause, resume and cancel",
    .timeLimit(.suite)
)
struct WorkflowControlTests {
    @Test("Pause acts at the next state boundary: the running task ends, the next state waits for resume")
    func pauseAndResume() async throws {
        try await withWatchdog("pause holds the next state back") {
            let release = Signal()
            let started = Signal()
            let secondRuns = Counter()
            let slow = ClosureAgent(name: "slow") { _, _ in
                started.fire()
                await release.wait()
                return 1
            }
            let definition = WorkflowDefinition(
                name: "w",
                version: "1",
                initialState: "one",
                states: [
                    "one": agentTask("slow", output: "$.one", next: "two"),
                    "two": agentTask("second", output: "$.two", next: "done"),
                    "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let handle = try makeOrchestrator().start(
                workflow: definition,
                data: [:],
                registry: try workflowRegistry([slow, constantAgent("second", 2, counter: secondRuns)])
            )
            await started.wait()
            #expect(await handle.pause())
            #expect(await handle.pause() == false)
            release.fire()
            #expect(await handle.waitUntilWaiting() == .paused(before: "two"))
            #expect(secondRuns.value == 0)
            #expect(await handle.resume())
            let report = await handle.report
            #expect(report.succeeded)
            #expect(secondRuns.value == 1)
            #expect(await handle.resume() == false)
        }
    }

    @Test("Cancel ends a waiting workflow as cancelled; a finished workflow refuses cancel")
    func cancel() async throws {
        try await withWatchdog("cancel ends the workflow") {
            let handle = try makeOrchestrator().start(workflow: WorkflowWaitTests.waiting(.signal("reply")), data: [:])
            _ = await handle.waitUntilWaiting()
            #expect(await handle.cancel())
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.cancelled, state: "hold"))
            #expect(report.path[0].outcome == .stopped)
            #expect(await handle.cancel() == false)
        }
    }

    @Test("Cancel during a task cancels its governed run")
    func cancelRunningTask() async throws {
        try await withWatchdog("cancel reaches the running task") {
            let started = Signal()
            let hanging = ClosureAgent(name: "hang") { _, _ in
                started.fire()
                try await Task.sleep(for: .seconds(3600))
                return 1
            }
            let definition = WorkflowDefinition(
                name: "w",
                version: "1",
                initialState: "one",
                states: [
                    "one": agentTask("hang", output: "$.x", next: "done"), "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let handle = try makeOrchestrator().start(
                workflow: definition,
                data: [:],
                registry: try workflowRegistry([hanging])
            )
            await started.wait()
            #expect(await handle.cancel())
            let report = await handle.report
            #expect(report.stopReason.kind == .cancelled)
            #expect(report.path[0].outcome == .stopped)
        }
    }
}
