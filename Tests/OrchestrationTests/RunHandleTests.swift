import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

@Suite("Run handles and shutdown", .serialized, .timeLimit(.suite))
struct RunHandleTests {
    @Test("A handle's stream carries only its own run's events, in order, runStarted first and runFinished last")
    func ownEvents() async throws {
        try await withWatchdog("a handle streams its own run's events and ends") {
            let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
            let agent = toolCaller("echo", calls: 2)
            let first = orchestrator.start(agent, task: "one", metadata: ["tenant": "acme"])
            let second = orchestrator.start(agent, task: "two")
            var events: [OrchestrationEvent] = []
            for await event in first.events { events.append(event) }
            let report = await first.report
            _ = await second.report
            #expect(events.allSatisfy { $0.executionID == first.executionID })
            #expect(events.map(\.sequence) == Array(1...Int64(events.count)))
            #expect(events.first?.kind.name == "runStarted")
            #expect(events.last?.kind == .runFinished(report))
            #expect(events.filter { $0.kind.name == "toolCallStarted" }.count == 2)
            #expect(report.executionID == first.executionID)
            #expect(report.metadata == ["tenant": "acme"])
        }
    }

    @Test("cancel() ends the run with stop reason cancelled and a full report")
    func cancel() async throws {
        try await withWatchdog(
            "cancel() ends a run whose agent sleeps, without awaiting the agent (the deadline escape)"
        ) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let agent = ScriptedAgent(
                name: "slow",
                steps: [[.output("first")], [.sleep(.seconds(5)), .output("never")]]
            )
            let handle = orchestrator.start(agent, task: nil)
            await clock.waitForSleepers(count: 2)  // the deadline and the agent's sleep
            handle.cancel()
            let report = await handle.report
            #expect(report.stopReason == .cancelled)
            #expect(report.stepOutputs == ["first"])
            await handle.agentWorkEnded()
        }
    }

    @Test("A run abandoned at its deadline: the handle waits for the agent's code to end")
    func abandonedWork() async throws {
        let gate = SpinGate()
        try await withWatchdog(
            "a run abandoned at its deadline returns its report without awaiting the busy agent (the deadline escape)",
            onTimeout: gate.release
        ) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let spinning = Arrivals()
            let ended = Arrivals()
            let handle = orchestrator.start(
                spinner(gate, spinning: spinning, ended: ended),
                task: nil,
                policy: try StrictPolicy(timeout: .milliseconds(100))
            )
            await spinning.wait(for: 1)
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .milliseconds(100))
            let report = await handle.report
            #expect(report.stopReason == .timedOut(timeout: Nanoseconds(.milliseconds(100))))
            #expect(!report.agentStopped)
            #expect(ended.count == 0)
            gate.release()
            await handle.agentWorkEnded()
            #expect(ended.count == 1)
        }
    }

    @Test("shutdown() ends runs in flight with stop reason shutdown and waits for their abandoned code")
    func shutdownEndsInFlight() async throws {
        let gate = SpinGate()
        try await withWatchdog(
            "shutdown() ends a busy run in flight and returns once its abandoned code has ended",
            onTimeout: gate.release
        ) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let spinning = Arrivals()
            let ended = Arrivals()
            let handle = orchestrator.start(spinner(gate, spinning: spinning, ended: ended), task: nil)
            await spinning.wait(for: 1)
            // What the abandoned code had done at the moment shutdown() returned.
            async let endedWhenShutdownReturned: Int = {
                await orchestrator.shutdown()
                return ended.count
            }()
            let report = await handle.report
            #expect(report.stopReason == .shutdown)
            #expect(report.status == .cancelled)
            #expect(ended.count == 0)
            // Give a shutdown() that does not wait every chance to return first (a pass never depends on this).
            for _ in 0..<3 {
                _ = await orchestrator.isShutDown
                await Task.yield()
            }
            gate.release()  // shutdown() returns only once the spinning code has ended
            #expect(
                await endedWhenShutdownReturned == 1,
                "shutdown() returned while agent code it abandoned was still running"
            )
            #expect(await orchestrator.isShutDown)
        }
    }

    @Test("After shutdown every kind of run returns at once with stop reason shutdown and calls no agent")
    func refusedAfterShutdown() async throws {
        let calls = Counter()
        let orchestrator = try makeOrchestrator()
        await orchestrator.shutdown()
        let agent = ClosureAgent(name: "never") { _, _ in
            calls.increment()
            return "ran"
        }
        let single = await orchestrator.run(agent, task: nil)
        #expect(single.stopReason == .shutdown)
        #expect(single.steps.isEmpty)
        let handled = await orchestrator.start(agent, task: nil).report
        #expect(handled.stopReason == .shutdown)
        let team = try await orchestrator.run([agent], task: nil)
        #expect(team.reports["never"]?.stopReason == .shutdown)
        var graph = AgentGraph()
        graph.add("only", agent: agent)
        let graphReport = try await orchestrator.run(graph, task: nil)
        #expect(graphReport.status != .succeeded)
        #expect(calls.value == 0)
    }

    @Test("A policy naming an unregistered tool is refused before any work, naming the entry and the tools")
    func unknownToolInPolicy() async throws {
        let calls = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("kb.search", Counter())])
        let agent = ClosureAgent(name: "a") { _, _ in
            calls.increment()
            return nil
        }
        for policy in [
            try StrictPolicy(allowedTools: ["kb.serach"]),
            try StrictPolicy(deniedTools: ["kb.serach"]),
            try StrictPolicy(maxCallsPerTool: ["kb.serach": 1]),
        ] {
            let report = await orchestrator.run(agent, task: nil, policy: policy)
            guard case .invalidPolicy(let error) = report.stopReason else {
                Issue.record("expected invalidPolicy, got \(report.stopReason)")
                continue
            }
            #expect(error.tool == "kb.serach")
            #expect(error.message.contains("kb.search"))
            #expect(report.status == .failed)
        }
        // Wildcards may match nothing.
        let wildcard = await orchestrator.run(agent, task: nil, policy: try StrictPolicy(allowedTools: ["web.*"]))
        #expect(wildcard.stopReason == .completed)
        #expect(calls.value == 1)
    }

    @Test("After a violation every context call throws ToolError.runEnded")
    func oneErrorAfterViolation() async throws {
        try await withWatchdog("every context call after a violation throws runEnded") {
            let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
            let outcomes = LockedState<[String]>([])
            let agent = ClosureAgent(name: "a") { _, context in
                _ = try? await context.callTool("echo", arguments: ["n": 1])
                // The second call passes maxToolCalls = 1: the run stops.
                do { _ = try await context.callTool("echo", arguments: ["n": 2]) } catch {}
                for attempt in 0..<3 {
                    do {
                        switch attempt {
                        case 0: _ = try await context.callTool("echo", arguments: ["n": 3])
                        case 1: _ = try context.reserveUsage(ModelUsage(inputTokens: 1))
                        default: try await context.sleep(for: .seconds(1))
                        }
                        outcomes.withLock { $0.append("no error") }
                    } catch let error as ToolError {
                        outcomes.withLock { $0.append(error.code.rawValue) }
                    } catch {
                        outcomes.withLock { $0.append("\(type(of: error))") }
                    }
                }
                return nil
            }
            let handle = orchestrator.start(agent, task: nil, policy: try StrictPolicy(maxToolCalls: 1))
            let report = await handle.report
            await handle.agentWorkEnded()
            #expect(report.stopReason.violation?.limit == .maxToolCalls)
            #expect(outcomes.withLock { $0 } == ["runEnded", "runEnded", "runEnded"])
        }
    }
}

@Suite("Timeout instant", .timeLimit(.suite))
struct TimeoutInstantTests {
    @Test("A timer woken late still records the run as ending at its deadline")
    func lateTimer() async throws {
        try await withWatchdog(
            "a timed-out run returns its report without awaiting its sleeping agent (the deadline escape)"
        ) {
            let clock = ManualClock()
            let orchestrator = try makeOrchestrator(clock: clock)
            let agent = ScriptedAgent(name: "slow", steps: [[.sleep(.seconds(10)), .output("never")]])
            let policy = try StrictPolicy(timeout: .milliseconds(100))
            async let pending = orchestrator.run(agent, task: nil, policy: policy)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(150))  // the deadline's sleeper wakes 50 ms late
            let report = await pending
            #expect(report.durationNanoseconds == Nanoseconds(.milliseconds(100)))
            #expect(report.history.last?.atNanoseconds == Nanoseconds(.milliseconds(100)))
            #expect(report.violations.first?.attempted == 100_000_000)
        }
    }
}
