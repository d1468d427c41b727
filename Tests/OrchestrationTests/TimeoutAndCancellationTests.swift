import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Synchronization
import Testing

/// A flag a busy loop spins on; only atomics, so the loop never suspends or checks cancellation.
final class SpinGate: Sendable {
    private let released = Atomic<Bool>(false)
    private let spinning = Atomic<Bool>(false)
    func release() { released.store(true, ordering: .releasing) }
    var isReleased: Bool { released.load(ordering: .acquiring) }
    func markSpinning() { spinning.store(true, ordering: .releasing) }
    var isSpinning: Bool { spinning.load(ordering: .acquiring) }
}

/// An agent that spins on `gate` without ever suspending or checking cancellation.
func spinner(_ gate: SpinGate, spinning: Arrivals, ended: Arrivals) -> ClosureAgent {
    ClosureAgent(name: "spinner") { _, _ in
        spinning.arrive()
        var spins = 0
        while !gate.isReleased { spins &+= 1 }
        ended.arrive()
        return .integer(Int64(spins & 1))
    }
}

@Suite("Timeouts and cancellation", .serialized, .timeLimit(.suite))
struct TimeoutAndCancellationTests {
    @Test("A hung agent is stopped at the deadline with stop reason timedOut")
    func hungAgent() async throws {
        try await withWatchdog("a hung agent is stopped at its deadline") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let agent = ScriptedAgent(
                name: "hung",
                steps: [[.output("partial")], [.sleep(.seconds(10)), .output("never")]]
            )
            let policy = try StrictPolicy(timeout: .milliseconds(100))
            async let pending = orchestrator.run(agent, task: nil, policy: policy)
            await clock.waitForSleepers(count: 2)  // the run's deadline and the agent's sleep
            clock.advance(by: .milliseconds(100))
            let report = await pending
            #expect(report.status == .timedOut)
            #expect(report.stopReason == .timedOut(timeout: Nanoseconds(.milliseconds(100))))
            #expect(report.durationNanoseconds == Nanoseconds(.milliseconds(100)))
            #expect(report.stepOutputs == ["partial"])
            #expect(report.steps.map(\.status) == [.completed, .interrupted])
            #expect(report.violations.first?.limit == .timeout)
            #expect(
                report.history.last
                    == PhaseTransition(phase: .terminated, atNanoseconds: Nanoseconds(.milliseconds(100)))
            )
            #expect(report.ledger.last == BudgetLine(budget: "timeNanoseconds", limit: 100_000_000, used: 100_000_000))
        }
    }

    @Test("Before the deadline the agent keeps running; at N-1 ns it has not timed out")
    func notBeforeDeadline() async throws {
        try await withWatchdog("an agent 1 ns before its deadline completes") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let agent = ScriptedAgent(name: "slow", steps: [[.sleep(.milliseconds(99)), .output("in time")]])
            let policy = try StrictPolicy(timeout: .milliseconds(100))
            async let pending = orchestrator.run(agent, task: nil, policy: policy)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(99))
            let report = await pending
            #expect(report.stopReason == .completed)
            #expect(report.finalOutput == "in time")
        }
    }

    @Test("A busy-looping agent that never checks cancellation is abandoned at the deadline, then ends")
    func busyLoop() async throws {
        // Released at the watchdog's deadline, so an abandoned spinner ends.
        let gate = SpinGate()
        try await withWatchdog(
            "a busy-looping agent is abandoned at the deadline (the deadline escape)",
            onTimeout: gate.release
        ) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let spinning = Arrivals()
            let ended = Arrivals()
            let agent = spinner(gate, spinning: spinning, ended: ended)
            let policy = try StrictPolicy(timeout: .milliseconds(100))
            async let pending = orchestrator.run(agent, task: nil, policy: policy)
            await spinning.wait(for: 1)
            await clock.waitForSleepers(count: 1)  // the run's deadline
            clock.advance(by: .milliseconds(100))
            let report = await pending
            #expect(ended.count == 0, "the run returned only after its abandoned agent ended: no deadline escape")
            #expect(report.status == .timedOut)
            #expect(report.agentStopped == false)
            #expect(report.durationNanoseconds == Nanoseconds(.milliseconds(100)))
            gate.release()
            await ended.wait(for: 1)  // the abandoned work does end once it stops spinning
        }
    }

    @Test("Four busy-looping agents at once (more than the cores) are all stopped at their deadline")
    func manyBusyLoops() async throws {
        // Released at the watchdog's deadline, so an abandoned spinner ends.
        let gate = SpinGate()
        try await withWatchdog(
            "four busy-looping agents are abandoned at their deadlines (the deadline escape)",
            onTimeout: gate.release
        ) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let spinning = Arrivals()
            let ended = Arrivals()
            let agent = spinner(gate, spinning: spinning, ended: ended)
            let policy = try StrictPolicy(timeout: .milliseconds(100))
            let reports = await withTaskGroup(of: ExecutionReport.self) { group in
                for _ in 0..<4 { group.addTask { await orchestrator.run(agent, task: nil, policy: policy) } }
                await spinning.wait(for: 4)  // four loops spinning at once on a machine with fewer cores
                await clock.waitForSleepers(count: 4)  // the four runs' deadlines
                clock.advance(by: .milliseconds(100))
                var reports: [ExecutionReport] = []
                for await report in group { reports.append(report) }
                return reports
            }
            #expect(ended.count == 0, "the runs returned only after their abandoned agents ended: no deadline escape")
            #expect(reports.count == 4)
            #expect(reports.allSatisfy { $0.status == .timedOut && !$0.agentStopped })
            gate.release()
            await ended.wait(for: 4)
        }
    }

    @Test("A quick agent is never queued behind a busy one on the agent threads")
    func quickBesideBusy() async throws {
        // Released at the watchdog's deadline, so an abandoned spinner ends.
        let gate = SpinGate()
        try await withWatchdog("a quick agent runs beside a busy one", onTimeout: gate.release) {
            let orchestrator = try makeOrchestrator()
            // Leaves an idle thread.
            _ = await orchestrator.run(ClosureAgent(name: "warm-up") { _, _ in nil }, task: nil)
            let spinning = Arrivals()
            let ended = Arrivals()
            async let busy = orchestrator.run(spinner(gate, spinning: spinning, ended: ended), task: nil)
            async let quick = orchestrator.run(ClosureAgent(name: "quick") { _, _ in "done" }, task: nil)
            let quickReport = await quick  // completes while the busy agent still spins; no clock moves
            #expect(quickReport.finalOutput == "done")
            await spinning.wait(for: 1)
            gate.release()
            #expect(await busy.status == .succeeded)
        }
    }

    @Test("A model call in flight when the run ends gives its reservation back to the shared budget")
    func reservationReleasedAtTimeout() async throws {
        try await withWatchdog("a timed-out run gives its reservation back") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let shared = SharedBudget(try BudgetLimits(maxTokens: 1_000))
            let agent = ClosureAgent(name: "slow model") { _, context in
                let reservation = try context.reserveUsage(ModelUsage(inputTokens: 900))
                try await context.sleep(for: .seconds(5))  // the model call
                try context.reportUsage(ModelUsage(inputTokens: 10), for: reservation)
                return "late"
            }
            let policy = try StrictPolicy(timeout: .seconds(1))
            async let pending = orchestrator.run(agent, task: nil, policy: policy, sharedBudget: shared)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .seconds(1))
            let report = await pending
            #expect(report.status == .timedOut)
            #expect(shared.ledger.reservedUsage == .zero)
            #expect(shared.remaining[.tokens] == 1_000)
        }
    }

    @Test("Caller cancellation ends the run promptly with a full report")
    func callerCancellation() async throws {
        try await withWatchdog("caller cancellation ends the run") {
            let clock = ManualClock()
            let bodies = Counter()
            let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)], clock: clock)
            let agent = ScriptedAgent(
                name: "waiter",
                steps: [[.callTool("t", arguments: [:]), .output("one")], [.sleep(.seconds(60))]]
            )
            let task = Task { await orchestrator.run(agent, task: "x", policy: StrictPolicy()) }
            await clock.waitForSleepers(count: 2)
            task.cancel()
            let report = await task.value
            #expect(report.status == .cancelled)
            #expect(report.stopReason == .cancelled)
            #expect(report.stepOutputs == ["one"])
            #expect(report.totals.toolCalls == 1)
            #expect(report.steps.last?.status == .interrupted)
            #expect(report.history.map(\.phase) == [.initial, .planning, .executing, .terminated])
        }
    }

    @Test("A run started in a cancelled task returns a cancelled report without calling the agent")
    func alreadyCancelled() async throws {
        try await withWatchdog("a run started cancelled returns at once") {
            let calls = Counter()
            let orchestrator = try makeOrchestrator()
            let agent = ClosureAgent(name: "never") { _, _ in
                calls.increment()
                return nil
            }
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await orchestrator.run(agent, task: nil)
            }
            let report = await task.value
            #expect(report.stopReason == .cancelled)
            #expect(calls.value == 0)
        }
    }

    @Test("Timers live in the run: a long run times out alone, short runs beside it complete")
    func timersPerRun() async throws {
        try await withWatchdog("timers live in the run") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let policy = try StrictPolicy(timeout: .seconds(1))
            let long = ScriptedAgent(name: "long", steps: [[.sleep(.milliseconds(1200)), .output("late")]])
            let short = ScriptedAgent(name: "short", steps: [[.sleep(.milliseconds(100)), .output("quick")]])
            async let a = orchestrator.run(long, task: nil, policy: policy)
            async let b = orchestrator.run(short, task: nil, policy: policy)
            async let c = orchestrator.run(short, task: nil, policy: policy)
            await clock.waitForSleepers(count: 6)
            clock.advance(by: .milliseconds(100))
            let (second, third) = await (b, c)
            #expect(second.stopReason == .completed)
            #expect(third.stopReason == .completed)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(900))
            let first = await a
            #expect(first.status == .timedOut)
        }
    }

    @Test("The deadline the agent reads never exceeds the run's remaining time")
    func timeRemaining() async throws {
        try await withWatchdog("the agent reads its remaining time") {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let agent = ClosureAgent(name: "reader") { _, context in
                let before = context.timeRemaining
                try await context.sleep(for: .milliseconds(300))
                return [
                    "before": .integer(Nanoseconds(before).rawValue),
                    "after": .integer(Nanoseconds(context.timeRemaining).rawValue),
                ]
            }
            let policy = try StrictPolicy(timeout: .seconds(1))
            async let pending = orchestrator.run(agent, task: nil, policy: policy)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(300))
            let report = await pending
            #expect(report.finalOutput == ["before": 1_000_000_000, "after": 700_000_000])
        }
    }
}
