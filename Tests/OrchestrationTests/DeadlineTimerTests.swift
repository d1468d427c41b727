import AgentTesting
import Testing

@testable import AgentOrchestration

/// The orchestrator's one deadline timer: its schedule as a value (order, removal, what must wake the timer, bounded
/// memory), and the timer itself on the real clock, where it replaces a sleeper per run.
@Suite("Deadline timer", .serialized, .timeLimit(.suite))
struct DeadlineTimerTests {
    typealias Schedule = DeadlineSchedule<Int>

    @Test("Due entries come out earliest first, removed ones never")
    func order() {
        var schedule = Schedule()
        var tickets: [Int: Schedule.Ticket] = [:]
        for (entry, seconds) in [(1, 5), (2, 1), (3, 3), (4, 2), (5, 4), (6, 3)] {
            tickets[entry] = schedule.add(entry, at: .seconds(seconds)).ticket
        }
        #expect(schedule.remove(tickets[4]!) == 4)
        #expect(schedule.remove(tickets[4]!) == nil, "a removed entry is removed once")
        #expect(schedule.earliest == .seconds(1))
        #expect(schedule.takeDue(now: .milliseconds(999)).isEmpty)
        #expect(schedule.takeDue(now: .seconds(3)).map(\.entry) == [2, 3, 6], "equal deadlines in order of adding")
        #expect(schedule.remove(tickets[3]!) == nil, "a fired entry is gone")
        #expect(schedule.earliest == .seconds(4))
        #expect(schedule.takeDue(now: .seconds(10)).map(\.entry) == [5, 1])
        #expect(schedule.isEmpty)
        #expect(schedule.earliest == nil)
    }

    @Test("Only a deadline before every live one must wake the timer")
    func earliestFlag() {
        var schedule = Schedule()
        #expect(schedule.add(1, at: .seconds(10)).isEarliest)
        #expect(!schedule.add(2, at: .seconds(10)).isEarliest, "equal deadlines started in order never wake it")
        #expect(!schedule.add(3, at: .seconds(20)).isEarliest)
        #expect(schedule.add(4, at: .seconds(5)).isEarliest)
        let ticket = schedule.add(5, at: .seconds(1)).ticket
        schedule.remove(ticket)
        #expect(schedule.add(6, at: .seconds(2)).isEarliest, "a removed earlier deadline no longer counts")
    }

    @Test("Runs that end before their deadline leave the heap bounded by the runs in flight")
    func boundedWhileRunsEndEarly() {
        var schedule = Schedule()
        let longLived = schedule.add(0, at: .seconds(1)).ticket
        var largest = 0
        for entry in 1...100_000 {
            // Sequential runs with equal timeouts, each ending long before its deadline.
            let ticket = schedule.add(entry, at: .seconds(300) + .nanoseconds(entry)).ticket
            schedule.remove(ticket)
            largest = max(largest, schedule.storageCount)
        }
        #expect(schedule.count == 1)
        #expect(largest <= 2 * 2 + Schedule.compactionSlack, "the heap grew to \(largest) slots for 2 live entries")
        #expect(schedule.takeDue(now: .seconds(1)).map(\.entry) == [0])
        schedule.remove(longLived)
        #expect(schedule.isEmpty)
    }

    @Test("Random adds and removals fire exactly the live entries, in deadline order")
    func randomAgainstModel() {
        var generator = SplitMix64(seed: 42)
        var schedule = Schedule()
        var model: [Int: (deadline: Duration, ticket: Schedule.Ticket)] = [:]
        var now = Duration.zero
        var fired: [Int] = []
        for entry in 0..<5_000 {
            let deadline = now + .milliseconds(Int64.random(in: 0...1_000, using: &generator))
            model[entry] = (deadline, schedule.add(entry, at: deadline).ticket)
            if Bool.random(using: &generator), let victim = model.keys.randomElement(using: &generator) {
                #expect(schedule.remove(model[victim]!.ticket) == victim)
                model[victim] = nil
            }
            if entry % 10 == 0 {
                now += .milliseconds(50)
                let due = schedule.takeDue(now: now)
                let expected = model.filter { $0.value.deadline <= now }
                #expect(Set(due.map(\.entry)) == Set(expected.keys))
                #expect(due.map(\.deadline) == due.map(\.deadline).sorted())
                for item in due { model[item.entry] = nil }
                fired += due.map(\.entry)
            }
        }
        #expect(schedule.count == model.count)
        #expect(Set(fired).count == fired.count, "an entry fired twice")
    }

    @Test("On the real clock, busy-looping agents are abandoned at their deadlines by the orchestrator's timer")
    func realClockBusyLoops() async throws {
        let gate = SpinGate()
        let spinning = Arrivals()
        let ended = Arrivals()
        try await withWatchdog(
            "busy loops are abandoned by the deadline timer",
            state: "agents spinning: \(spinning.count) of 4, agents ended: \(ended.count)",
            onTimeout: gate.release
        ) {
            let orchestrator = try Orchestrator(idGenerator: .seeded(7))
            #expect(orchestrator.time.deadlineTimer != nil)
            let agent = spinner(gate, spinning: spinning, ended: ended)
            let policy = try StrictPolicy(timeout: .milliseconds(20))
            let reports = await withTaskGroup(of: ExecutionReport.self) { group in
                for _ in 0..<4 { group.addTask { await orchestrator.run(agent, task: nil, policy: policy) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(ended.count == 0, "the runs returned only after their abandoned agents ended")
            #expect(reports.allSatisfy { $0.status == .timedOut && !$0.agentStopped })
            #expect(reports.allSatisfy { $0.durationNanoseconds == Nanoseconds(.milliseconds(20)) })
            gate.release()
            // On a loaded machine a 20 ms deadline can pass before an agent has started, and an agent whose run has
            // ended is never started: wait for the abandoned agents that did start, through shutdown().
            await orchestrator.shutdown()
            #expect(ended.count == spinning.count, "shutdown returned before every started agent had ended")
        }
    }

    @Test("On the real clock, a deadline earlier than the one the timer waits for wakes it")
    func earlierDeadlineWakesTheTimer() async throws {
        try await withWatchdog("a short timeout after a long one still fires") {
            let orchestrator = try Orchestrator(idGenerator: .seeded(7))
            let started = Arrivals()
            let sleeper = ClosureAgent(name: "sleeper") { _, context in
                started.arrive()
                try await context.sleep(for: .seconds(60))
                return "late"
            }
            // The timer waits for the first run's deadline, a minute away, when the second run's arrives.
            let long = orchestrator.start(sleeper, task: nil, policy: try StrictPolicy(timeout: .seconds(60)))
            await started.wait(for: 1)
            let short = await orchestrator.run(sleeper, task: nil, policy: try StrictPolicy(timeout: .milliseconds(10)))
            #expect(short.status == .timedOut)
            long.cancel()
            let cancelled = await long.report
            #expect(cancelled.status == .cancelled, "a run cancelled before its deadline is not timed out later")
        }
    }

    @Test("shutdown() ends the orchestrator's own threads: the agent threads and the deadline timer")
    func shutdownEndsThreads() async throws {
        try await withWatchdog("shutdown returns once the orchestrator's threads have ended") {
            let orchestrator = try Orchestrator(idGenerator: .seeded(7))
            let report = await orchestrator.run(
                ScriptedAgent(name: "quick", steps: [[.output("done")]]),
                task: nil,
                policy: try StrictPolicy(timeout: .seconds(60))
            )
            #expect(report.status == .succeeded)
            // Both idle for 5 s after the run; shutdown must not wait that out, nor leave them running.
            #expect(orchestrator.time.deadlineTimer?.hasRunningThread == true)
            #expect((orchestrator.agentThreads?.threadCount ?? 0) >= 1)
            await orchestrator.shutdown()
            #expect(orchestrator.time.deadlineTimer?.hasRunningThread == false, "the timer thread outlived shutdown")
            #expect(orchestrator.agentThreads?.threadCount == 0, "an agent thread outlived shutdown")
        }
    }

    @Test("Runs on an injected clock keep a sleeper each and no timer thread")
    func injectedClockHasNoTimer() throws {
        let orchestrator = try Orchestrator(clock: ManualClock())
        #expect(orchestrator.time.deadlineTimer == nil)
    }
}
