import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// The run's rules as a value: every input is an argument, every effect a return value. No task, clock or lock.
@Suite("Run state machine (no concurrency)")
struct RunStateMachineTests {
    private func ns(_ value: Int64) -> Nanoseconds { Nanoseconds(rawValue: value) }

    @Test("A whole run: records, times and events come from the inputs alone")
    func wholeRun() throws {
        var run = testRunMachine()
        var delivered: [OrchestrationEvent] = []
        func take(_ effects: RunEffects) {
            delivered += effects.events ?? []
            if let more = run.delivered(dropped: 0) { delivered += more }
        }
        take(run.begin(at: ns(0)))
        let (plan, e1) = run.start(at: ns(1))
        take(e1)
        #expect(plan == .plan(PlanRequest(task: "t", revision: 0, feedback: nil)))
        let (action, e2) = run.planReady([AgentStep("x")], at: ns(2))
        take(e2)
        guard case .execute(let step) = action else {
            Issue.record("expected a step, got \(String(describing: action))")
            return
        }
        let (started, e3) = run.stepStarted(step, at: ns(3))
        take(e3)
        #expect(started)
        let (position, e4) = run.toolCallStarted("echo", arguments: ["a": 1], argumentsKey: "k", at: ns(4))
        take(e4)
        let call = try #require(position)
        take(run.toolCallFinished(at: call, result: .success("ok"), at: ns(5)))
        let (review, e5) = run.stepFinished(.output("out"), at: ns(6))
        take(e5)
        #expect(review == .review(ReviewRequest(task: "t", revision: 0, outputs: ["out"])))
        let (end, e6) = run.reviewed(.accept, at: ns(7))
        take(e6)
        #expect(end == .terminate(.completed))
        #expect(run.isTerminated)
        #expect(run.agentStopped)
        #expect(run.endTime == ns(7))
        #expect(run.steps.count == 1)
        #expect(run.steps[0].startNanoseconds == ns(3) && run.steps[0].endNanoseconds == ns(6))
        #expect(run.steps[0].toolCalls.map(\.status) == [.succeeded])
        #expect(run.steps[0].toolCalls[0].endNanoseconds == ns(5))
        #expect(delivered.map(\.sequence) == Array(1...Int64(delivered.count)))
        #expect(
            delivered.map(\.kind.name) == [
                "runStarted", "stateEntered", "stateEntered", "stateEntered", "stepStarted", "toolCallStarted",
                "toolCallFinished", "stepFinished", "stateEntered", "stateEntered",
            ]
        )
        #expect(run.history.map(\.phase) == [.initial, .planning, .executing, .reviewing, .terminated])
    }

    @Test("The first termination wins; later inputs change nothing and emit nothing")
    func firstTerminationWins() {
        var run = testRunMachine()
        _ = run.begin(at: ns(0))
        _ = run.delivered(dropped: 0)
        let (_, _) = run.start(at: ns(1))
        let (won, _) = run.terminate(.timedOut(timeout: ns(10)), at: ns(10))
        #expect(won)
        let (again, effects) = run.terminate(.cancelled, at: ns(11))
        #expect(!again)
        #expect(effects.events == nil)
        #expect(run.lifecycle.stopReason == .timedOut(timeout: ns(10)))
        let (action, _) = run.planReady([AgentStep("late")], at: ns(12))
        #expect(action == nil)
        let (refusals, _) = run.toolCallRefused("echo", arguments: [:], error: CancellationError(), at: ns(13))
        #expect(refusals == 0)
        _ = run.usageReported(ModelUsage(inputTokens: 5, outputTokens: 5), at: ns(14))
        #expect(run.usage == .zero)
        #expect(run.endTime == ns(10))
    }

    @Test("A tool call that finishes after the end changes no record, count or event")
    func toolRecordFrozenAfterEnd() throws {
        var run = testRunMachine()
        _ = run.begin(at: ns(0))
        _ = run.delivered(dropped: 0)
        let (position, _) = run.toolCallStarted("echo", arguments: [:], argumentsKey: "{}", at: ns(1))
        _ = run.delivered(dropped: 0)
        _ = run.terminate(.cancelled, at: ns(2))
        _ = run.delivered(dropped: 0)
        let emitted = run.counts.emitted
        let effects = run.toolCallFinished(
            at: try #require(position),
            result: .failure(ToolError(code: .toolFailed, tool: "echo", message: "late")),
            at: ns(3)
        )
        #expect(
            run.toolCallsOutsideSteps.map(\.status) == [.interrupted],
            "a tool call finishing after the end must leave its record interrupted (records are frozen)"
        )
        #expect(run.toolCallsOutsideSteps.first?.endNanoseconds == ns(2))
        #expect(run.failedToolCalls == 0)
        #expect(run.counts.emitted == emitted, "nothing is emitted after the end")
        #expect(effects.events == nil)
    }

    @Test("Work reserved while the run ended is given back in the effects")
    func refundsAfterTermination() {
        var run = testRunMachine()
        _ = run.begin(at: ns(0))
        _ = run.terminate(.cancelled, at: ns(1))
        let (started, stepEffects) = run.stepStarted(AgentStep("x"), at: ns(2))
        #expect(!started)
        #expect(stepEffects.refunds == [.step])
        let (position, callEffects) = run.toolCallStarted("echo", arguments: [:], argumentsKey: "{}", at: ns(3))
        #expect(position == nil)
        #expect(callEffects.refunds == [.toolCall(tool: "echo", argumentsKey: "{}")])
    }

    @Test("A revise decision that arrives after the end refunds the revision")
    func revisionRefund() {
        var run = testRunMachine()
        _ = run.begin(at: ns(0))
        _ = run.terminate(.cancelled, at: ns(1))
        let (action, effects) = run.reviewed(.revise(feedback: "again"), at: ns(2))
        #expect(action == nil)
        #expect(effects.refunds == [.revision])
    }

    @Test("One deliverer at a time: events queued during a delivery go to the deliverer, in order")
    func oneDeliverer() {
        var run = testRunMachine()
        let first = run.begin(at: ns(0)).events ?? []
        #expect(first.map(\.sequence) == [1, 2])
        // Another thread acts while the first batch is out: its events are queued, not handed to it.
        let (_, concurrent) = run.start(at: ns(1))
        #expect(concurrent.events == nil)
        // The deliverer comes back and gets them, then nothing.
        let next = run.delivered(dropped: 3) ?? []
        #expect(next.map(\.sequence) == [3])
        #expect(run.delivered(dropped: 0) == nil)
        #expect(run.counts.dropped == 3)
    }

    @Test("Without listeners, events are counted but not built")
    func countsWithoutListeners() {
        var run = testRunMachine(emitsEvents: false)
        #expect(run.begin(at: ns(0)).events == nil)
        #expect(run.counts.emitted == 2)
    }

    @Test("Waiters for the end are handed back when the run ends, or at once after")
    func terminationWaitersAreEffects() async {
        // The continuations are real, but the rule is the machine's: it returns them; nothing here is concurrent.
        var run = testRunMachine()
        // A waiter the machine fails to hand back is resumed here, after the failed expectation: never a hang.
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            #expect(run.waitForTermination(waiter).resumptions.isEmpty)
            let (_, effects) = run.terminate(.cancelled, at: ns(1))
            #expect(effects.resumptions.count == 1, "the termination did not hand back the waiter registered before it")
            for waiter in effects.resumptions { waiter.resume() }
            if effects.resumptions.isEmpty { waiter.resume() }
        }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let effects = run.waitForTermination(waiter)
            #expect(effects.resumptions.count == 1, "a waiter registered after the end was not handed back at once")
            for waiter in effects.resumptions { waiter.resume() }
            if effects.resumptions.isEmpty { waiter.resume() }
        }
    }

    @Test("A refused call is recorded, counted and emitted; a failed body counts as failed, a cancelled one not")
    func toolOutcomes() throws {
        var run = testRunMachine()
        _ = run.begin(at: ns(0))
        _ = run.start(at: ns(0))
        let (count, _) = run.toolCallRefused(
            "nope",
            arguments: [:],
            error: ToolError.unknown("nope", registered: []),
            at: ns(1)
        )
        #expect(count == 1)
        #expect(run.toolCallsOutsideSteps.map(\.status) == [.refused])
        let (failing, _) = run.toolCallStarted("t", arguments: [:], argumentsKey: "{}", at: ns(2))
        _ = run.toolCallFinished(
            at: try #require(failing),
            result: .failure(ToolError(code: .toolFailed, tool: "t", message: "x")),
            at: ns(3)
        )
        let (cancelled, _) = run.toolCallStarted("t", arguments: [:], argumentsKey: "{}", at: ns(4))
        _ = run.toolCallFinished(at: try #require(cancelled), result: .failure(CancellationError()), at: ns(5))
        #expect(run.toolCallsOutsideSteps.map(\.status) == [.refused, .failed, .interrupted])
        #expect(run.failedToolCalls == 1)
        #expect(run.toolBodies == 2)
        #expect(run.refusedToolCalls == 1)
    }

    @Test("The report is a function of the records and the ledger figures passed in")
    func reportFromRecords() {
        var run = testRunMachine()
        _ = run.begin(at: ns(0))
        _ = run.terminate(.cancelled, at: ns(40))
        let report = run.report(ledger: [], sharedLedger: nil, timeout: ns(100), now: ns(999))
        #expect(report.durationNanoseconds == ns(40))
        #expect(report.stopReason == .cancelled)
        #expect(report.ledger.map(\.budget) == ["timeNanoseconds"])
        #expect(report.ledger.last?.used == 40)
        #expect(report.events.runFinished == 1)
    }
}
