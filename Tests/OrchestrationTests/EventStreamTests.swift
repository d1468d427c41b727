import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

/// Collects one run's events from a stream, up to and including its `runFinished`.
func collectRun(from stream: OrchestrationEventStream) async -> [OrchestrationEvent] {
    var events: [OrchestrationEvent] = []
    for await event in stream {
        events.append(event)
        if case .runFinished = event.kind { break }
    }
    return events
}

func chattyAgent(calls: Int) -> ScriptedAgent {
    ScriptedAgent(
        name: "chatty",
        steps: [
            (0..<calls).map { .callTool("echo", arguments: ["n": .integer(Int64($0))]) },
            [.reportUsage(ModelUsage(inputTokens: 3, outputTokens: 4, cost: 5)), .output("done")],
        ]
    )
}

@Suite("Event stream", .timeLimit(.suite))
struct EventStreamTests {
    @Test("Events are ordered, numbered from 1, start with runStarted and end with exactly one runFinished")
    func wellFormed() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
        let stream = orchestrator.events()
        async let collected = collectRun(from: stream)
        let report = await orchestrator.run(chattyAgent(calls: 3), task: "t", policy: StrictPolicy())
        let events = await collected
        #expect(events.map(\.sequence) == Array(1...Int64(events.count)))
        #expect(events.allSatisfy { $0.executionID == report.executionID })
        #expect(events.first?.kind == .runStarted(agent: "chatty", task: "t"))
        #expect(events.last?.kind == .runFinished(report))
        #expect(events.filter { $0.kind.name == "runFinished" }.count == 1)
        let phases = events.compactMap { event -> LifecyclePhase? in
            if case .stateEntered(let phase) = event.kind { return phase }
            return nil
        }
        #expect(phases == report.history.map(\.phase))
        #expect(report.events.emitted == events.count)
        #expect(report.events.toolCallStarted == 3)
        #expect(report.events.toolCallFinished == 3)
        #expect(report.events.usageRecorded == 1)
        #expect(report.events.dropped == 0)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.atNanoseconds <= $1.atNanoseconds })
        // A step's start precedes its tool calls, which precede its end.
        let names = events.map(\.kind.name)
        let started = try #require(names.firstIndex(of: "stepStarted"))
        let firstCall = try #require(names.firstIndex(of: "toolCallStarted"))
        let finished = try #require(names.firstIndex(of: "stepFinished"))
        #expect(started < firstCall && firstCall < finished)
    }

    @Test("Every subscriber gets its own complete stream")
    func twoSubscribers() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
        let (firstStream, secondStream) = (orchestrator.events(), orchestrator.events())
        async let first = collectRun(from: firstStream)
        async let second = collectRun(from: secondStream)
        _ = await orchestrator.run(chattyAgent(calls: 2), task: nil)
        let (a, b) = await (first, second)
        #expect(a == b)
        #expect(!a.isEmpty)
    }

    @Test("A subscriber that never reads does not block or change the run; drops are counted")
    func slowSubscriber() async throws {
        func run(withIdleSubscriber: Bool) async throws -> (ExecutionReport, OrchestrationEventStream?) {
            let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
            let stream = withIdleSubscriber ? orchestrator.events(bufferingNewest: 2) : nil
            return (await orchestrator.run(chattyAgent(calls: 50), task: nil), stream)
        }
        let (quiet, _) = try await run(withIdleSubscriber: false)
        let (observed, stream) = try await run(withIdleSubscriber: true)
        #expect(observed.events.dropped > 0)
        var adjusted = observed
        adjusted.events.dropped = 0
        #expect(adjusted == quiet)
        // The idle subscriber kept only the newest events.
        var kept: [OrchestrationEvent] = []
        for await event in try #require(stream) {
            kept.append(event)
            if kept.count == 2 { break }
        }
        #expect(kept.last?.kind.name == "runFinished")
    }

    @Test("A subscriber that stops reading midway changes nothing")
    func subscriberStops() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
        let stream = orchestrator.events()
        let reader = Task {
            var count = 0
            for await _ in stream {
                count += 1
                if count == 3 { break }
            }
            return count
        }
        let report = await orchestrator.run(chattyAgent(calls: 20), task: nil)
        #expect(await reader.value == 3)
        #expect(report.stopReason == .completed)
        #expect(report.totals.toolCalls == 20)
    }

    @Test("The events of a refused tool call and a violation are emitted before the end")
    func refusalEvents() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", Counter())])
        let stream = orchestrator.events()
        async let collected = collectRun(from: stream)
        let report = await orchestrator.run(
            toolCaller("echo", calls: 3),
            task: nil,
            policy: try StrictPolicy(maxToolCalls: 2)
        )
        let names = await collected.map(\.kind.name)
        #expect(names.filter { $0 == "toolCallRefused" }.count == 1)
        #expect(names.filter { $0 == "policyViolation" }.count == 1)
        #expect(names.suffix(2) == ["stateEntered", "runFinished"])
        #expect(report.events.policyViolation == 1)
    }
}

@Suite("Event stream lifetime", .timeLimit(.suite))
struct EventStreamLifetimeTests {
    @Test("Cancelling a waiting reader ends its iteration")
    func cancelledReader() async throws {
        let orchestrator = try makeOrchestrator()
        let stream = orchestrator.events()
        let started = Signal()
        let reader = Task {
            started.fire()
            var count = 0
            for await _ in stream { count += 1 }
            return count
        }
        await started.wait()
        reader.cancel()
        #expect(await reader.value == 0)
    }

    @Test("Releasing a stream ends its subscription; releasing the orchestrator finishes the others")
    func subscriptionLifetime() async throws {
        var orchestrator: Orchestrator? = try makeOrchestrator()
        do {
            let stream = orchestrator?.events()
            #expect(orchestrator?.hub.hasSubscribers == true)
            _ = stream
        }
        #expect(orchestrator?.hub.hasSubscribers == false)
        let kept = try #require(orchestrator?.events())
        let reader = Task {
            var count = 0
            for await _ in kept { count += 1 }
            return count
        }
        orchestrator = nil
        #expect(await reader.value == 0)
    }
}
