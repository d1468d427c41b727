import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite(
    "Workflow wait states: signals, approvals, timeouts and the workflow deadline",
    .timeLimit(.suite)
)
struct WorkflowWaitTests {
    static func waiting(_ awaited: WorkflowWaitState.Awaited) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "wait",
            version: "1",
            initialState: "hold",
            states: [
                "hold": .wait(
                    WorkflowWaitState(
                        awaited,
                        timeout: .seconds(3600),
                        output: "$.got",
                        next: "done",
                        onTimeout: "late",
                        onDenied: "denied"
                    )
                ),
                "done": succeededEnd,
                "late": .end(WorkflowEndState(.failed, reason: "nobody answered")),
                "denied": .end(WorkflowEndState(.failed, reason: "denied")),
            ]
        )
    }

    @Test("A wait takes its signal: only the awaited name is accepted, the payload is written, the timer is dropped")
    func waitForSignal() async throws {
        try await withWatchdog("a wait takes its signal") {
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(workflow: Self.waiting(.signal("reply")), data: [:])
            #expect(await handle.waitUntilWaiting() == .waiting(state: "hold", for: .signal("reply")))
            #expect(await handle.signal("other", payload: 1) == false)
            #expect(await handle.approve() == false)
            #expect(await handle.signal("reply", payload: ["text": "thanks"]))
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "done"))
            #expect(report.finalData == ["got": ["text": "thanks"]])
            #expect(report.path[0].outcome == .signalled)
            #expect(await handle.signal("reply") == false)
        }
    }

    @Test("An approval wait: approve takes next with the decision written, deny takes onDenied")
    func waitForApproval() async throws {
        try await withWatchdog("approval waits decide") {
            let orchestrator = try makeOrchestrator()
            let approved = try orchestrator.start(workflow: Self.waiting(.approval(prompt: "ok?")), data: [:])
            _ = await approved.waitUntilWaiting()
            #expect(await approved.signal("reply") == false)
            #expect(await approved.approve(reason: "fine"))
            let yes = await approved.report
            #expect(yes.succeeded)
            #expect(yes.finalData == ["got": ["approved": true, "reason": "fine"]])
            let denied = try orchestrator.start(workflow: Self.waiting(.approval(prompt: "ok?")), data: [:])
            _ = await denied.waitUntilWaiting()
            #expect(await denied.deny(reason: "too expensive"))
            let no = await denied.report
            #expect(no.stopReason == WorkflowStopReason(.failed, state: "denied", reason: "denied"))
            #expect(no.path[0].outcome == .denied)
            #expect(no.path[0].detail == "too expensive")
        }
    }

    @Test("A wait times out on the injected clock, holding no thread, and takes its timeout transition")
    func waitTimeout() async throws {
        try await withWatchdog("a wait times out on the manual clock") {
            let clock = ManualClock()
            // The default policy's timeout is 300 s: the hour-long wait does not count against it.
            let handle = try makeOrchestrator(clock: clock).start(workflow: Self.waiting(.signal("reply")), data: [:])
            _ = await handle.waitUntilWaiting()
            // Only the wait's timer sleeps: the workflow's clock stands, so its deadline timer is not armed.
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(3599))
            #expect(handle.status == .waiting(state: "hold", for: .signal("reply")))
            clock.advance(by: .seconds(1))
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.failed, state: "late", reason: "nobody answered"))
            #expect(report.path[0].outcome == .timedOut)
            #expect(report.path[0].transition == "timeout")
            // Active time: the hour spent waiting is not in it.
            #expect(report.durationNanoseconds == .zero)
        }
    }

    @Test("A wait longer than the policy's timeout takes its own timeout edge: the clock stands while it waits")
    func waitOutlastsPolicyTimeout() async throws {
        try await withWatchdog("a day-long wait under a 10 s policy times out by itself") {
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: Self.waiting(.approval(prompt: "ok?")),
                data: [:],
                policy: try StrictPolicy(timeout: .seconds(10))
            )
            _ = await handle.waitUntilWaiting()
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(11))
            #expect(handle.status == .waiting(state: "hold", for: .approval(prompt: "ok?")))
            clock.advance(by: .seconds(3600 - 11))
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.failed, state: "late", reason: "nobody answered"))
            #expect(report.path[0].outcome == .timedOut)
            #expect(report.path[0].transition == "timeout")
        }
    }
}
