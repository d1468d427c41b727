import AgentAdapters
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

@Suite("TaskGraphExecutor failures, timeouts and cancellation", .timeLimit(.suite))
struct TaskGraphExecutorFailureTests {
    /// A body that sleeps on the clock and records whether it saw cancellation.
    private static func sleeper(
        _ clock: ManualClock,
        _ tracker: BodyTracker,
        _ node: String,
        for duration: Duration
    ) async throws -> String {
        tracker.enter(node)
        defer { tracker.exit(node) }
        do {
            try await clock.sleep(for: duration)
        } catch {
            tracker.observedCancellation(node)
            throw error
        }
        return node
    }

    @Test("Fail-fast cancels in-flight siblings and skips unstarted nodes")
    func failFast() async throws {
        let tracker = BodyTracker()
        try await withWatchdog(
            "fail-fast cancels the in-flight siblings B and C (group.cancelAll on a failure)",
            state: "siblings that saw cancellation: \(tracker.cancelled.sorted()), expected [B, C]"
        ) {
            let clock = ManualClock()
            let executor = TaskGraphExecutor(
                configuration: .init(maxConcurrency: 4, failureMode: .failFast),
                clock: clock
            )
            let graph = TaskGraph.of(["A": [], "B": [], "C": [], "D": ["A"], "E": ["B"]])
            let report = try await executor.run(graph) { (invocation: NodeInvocation<String>) in
                guard invocation.node == "A" else {
                    return try await Self.sleeper(clock, tracker, invocation.node, for: .seconds(10))
                }
                await clock.waitForSleepers(count: 2)
                throw PlainError(message: "boom")
            }
            #expect(report.status == .failed)
            #expect(report.statuses == ["A": .failed, "B": .cancelled, "C": .cancelled, "D": .skipped, "E": .skipped])
            #expect(tracker.cancelled == ["B", "C"])
            #expect(report.node("A")?.error?.message == "boom")
            #expect(report.counts == TaskGraphStatusCounts(failed: 1, cancelled: 2, skipped: 2))
            #expect(report.finalOutput == nil)
            #expect(tracker.calls("D") == 0 && tracker.calls("E") == 0)
        }
    }

    @Test("Continue-independent skips only the failed node's transitive dependents")
    func continueIndependent() async throws {
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor(
            configuration: .init(maxConcurrency: 2, failureMode: .continueIndependent),
            clock: ManualClock()
        )
        let graph = TaskGraph.of([
            "A": [], "B": [], "C": [], "D": ["A"], "E": ["B"], "F": ["D"], "G": ["A", "B"],
        ])
        let report = try await executor.run(graph) { (invocation: NodeInvocation<String>) in
            tracker.enter(invocation.node)
            if invocation.node == "A" { throw PlainError(message: "A broke") }
            return invocation.node
        }
        #expect(report.status == .failed)
        #expect(
            report.statuses == [
                "A": .failed, "B": .succeeded, "C": .succeeded, "D": .skipped, "E": .succeeded, "F": .skipped,
                "G": .skipped,
            ]
        )
        #expect(tracker.calls("D") == 0 && tracker.calls("F") == 0 && tracker.calls("G") == 0)
        #expect(report.node("D")?.attempts == [] && report.node("D")?.startNanoseconds == nil)
        #expect(report.finalOutput == nil)
    }

    @Test("A stop signal from a body cancels in-flight nodes, skips the rest and is never retried")
    func stopSignal() async throws {
        let tracker = BodyTracker()
        try await withWatchdog(
            "a stop signal cancels the in-flight nodes B and D (group.cancelAll on a stop signal)",
            state: "nodes that saw cancellation: \(tracker.cancelled.sorted()), expected [B, D]"
        ) {
            let clock = ManualClock()
            let executor = TaskGraphExecutor(
                configuration: .init(
                    failureMode: .continueIndependent,
                    retryPolicy: .exponential(maxAttempts: 5, initialDelay: .ms(10), maxDelay: .ms(10))
                ),
                clock: clock
            )
            let graph = TaskGraph.of(["A": [], "B": [], "C": ["A"], "D": []])
            let report = try await executor.run(graph) { (invocation: NodeInvocation<String>) in
                switch invocation.node {
                case "A":
                    tracker.enter("A")
                    await clock.waitForSleepers(count: 2)
                    throw StopRequest(reason: "budget exhausted")
                default:
                    return try await Self.sleeper(clock, tracker, invocation.node, for: .seconds(10))
                }
            }
            #expect(report.status == .stopped)
            #expect(report.stoppedBy == "A")
            #expect(report.statuses == ["A": .failed, "B": .cancelled, "C": .skipped, "D": .cancelled])
            #expect(report.node("A")?.error?.type == "AgentTaskGraphTests.StopRequest")
            #expect(report.node("A")?.error?.message == "stop: budget exhausted")
            #expect(tracker.calls("A") == 1)
            #expect(tracker.cancelled == ["B", "D"])
        }
    }

    @Test("A node past its timeout is cancelled and reported timedOut; a quick node is not")
    func nodeTimeout() async throws {
        try await withWatchdog("a node past its timeout is cancelled") {
            let clock = ManualClock()
            let tracker = BodyTracker()
            let log = EventLog()
            let executor = TaskGraphExecutor(
                configuration: .init(
                    failureMode: .continueIndependent,
                    nodeTimeout: .seconds(5),
                    nodeTimeouts: ["quick": .seconds(2)],
                    onEvent: log.handler
                ),
                clock: clock
            )
            async let running = executor.run(.of(["slow": [], "quick": [], "after": ["slow"]])) {
                (invocation: NodeInvocation<String>) in
                try await Self.sleeper(
                    clock,
                    tracker,
                    invocation.node,
                    for: .seconds(invocation.node == "slow" ? 10 : 1)
                )
            }
            await clock.waitForSleepers(count: 4)  // two bodies, two timeout sleepers
            clock.advance(by: .seconds(1))
            await log.waitUntilFinished("quick")
            clock.advance(by: .seconds(4))
            let report = try await running
            #expect(report.statuses == ["slow": .timedOut, "quick": .succeeded, "after": .skipped])
            #expect(report.node("slow")?.endNanoseconds == Nanoseconds(.seconds(5)))
            #expect(report.node("slow")?.attempts.map(\.outcome) == [.timedOut])
            #expect(report.node("quick")?.endNanoseconds == Nanoseconds(.seconds(1)))
            #expect(tracker.cancelled == ["slow"])
            #expect(report.status == .failed)
        }
    }

    @Test("Caller cancellation returns a full report with every node terminal")
    func callerCancellation() async throws {
        try await withWatchdog("caller cancellation cancels the in-flight nodes") {
            let clock = ManualClock()
            let tracker = BodyTracker()
            let executor = TaskGraphExecutor(configuration: .init(maxConcurrency: 2), clock: clock)
            let graph = TaskGraph.of(["A": [], "B": [], "C": ["A"], "D": []])
            let report = await withTaskGroup(of: TaskGraphReport<String>?.self) { group in
                group.addTask {
                    try? await executor.run(graph) { (invocation: NodeInvocation<String>) in
                        try await Self.sleeper(clock, tracker, invocation.node, for: .seconds(10))
                    }
                }
                await clock.waitForSleepers(count: 2)
                group.cancelAll()
                return await group.next() ?? nil
            }
            let unwrapped = try #require(report)
            #expect(unwrapped.status == .cancelled)
            #expect(unwrapped.statuses == ["A": .cancelled, "B": .cancelled, "C": .skipped, "D": .skipped])
            #expect(tracker.cancelled == ["A", "B"])
            #expect(unwrapped.counts.total == 4)
        }
    }

    @Test("A run started from a cancelled task skips every node")
    func alreadyCancelled() async throws {
        try await withWatchdog("a run started cancelled skips every node") {
            let tracker = BodyTracker()
            let executor = TaskGraphExecutor(clock: ManualClock())
            let report = await withTaskGroup(of: TaskGraphReport<Int>?.self) { group in
                group.cancelAll()
                group.addTask {
                    try? await executor.run(.of(["a": [], "b": ["a"]])) { (invocation: NodeInvocation<Int>) in
                        tracker.enter(invocation.node)
                        return 1
                    }
                }
                return await group.next() ?? nil
            }
            #expect(report?.status == .cancelled)
            #expect(report?.statuses == ["a": .skipped, "b": .skipped])
            #expect(tracker.allCalls.isEmpty)
        }
    }

    @Test("The run deadline cancels in-flight nodes, skips the rest and times the run out")
    func runDeadline() async throws {
        try await withWatchdog("the run deadline cancels the in-flight nodes") {
            let clock = ManualClock()
            let tracker = BodyTracker()
            let log = EventLog()
            let executor = TaskGraphExecutor(
                configuration: .init(runTimeout: .seconds(5), onEvent: log.handler),
                clock: clock
            )
            let graph = TaskGraph.of(["A": [], "B": ["A"], "C": ["B"], "D": []])
            async let running = executor.run(graph) { (invocation: NodeInvocation<String>) in
                try await Self.sleeper(clock, tracker, invocation.node, for: .seconds(invocation.node == "A" ? 1 : 10))
            }
            await clock.waitForSleepers(count: 3)  // the deadline, A and D
            clock.advance(by: .seconds(1))
            await log.waitUntilFinished("A")
            await clock.waitForSleepers(count: 3)  // the deadline, D and B
            clock.advance(by: .seconds(4))
            let report = try await running
            #expect(report.status == .timedOut)
            #expect(report.statuses == ["A": .succeeded, "B": .cancelled, "C": .skipped, "D": .cancelled])
            #expect(report.durationNanoseconds == Nanoseconds(.seconds(5)))
            #expect(tracker.cancelled == ["B", "D"])
        }
    }

    @Test("Every node of a throwing run is terminal and reported once, with one finished event each")
    func everyNodeTerminal() async throws {
        let log = EventLog()
        let executor = TaskGraphExecutor(configuration: .init(onEvent: log.handler), clock: ManualClock())
        let graph = TaskGraph.of(["a": [], "b": ["a"], "c": ["b"], "d": []])
        let report = try await executor.run(graph) { (invocation: NodeInvocation<Int>) in
            if invocation.node == "b" { throw PlainError(message: "middle failed") }
            return 1
        }
        #expect(report.status == .failed)
        #expect(report.nodes.map(\.id) == ["a", "b", "c", "d"])
        #expect(report.statuses["b"] == .failed && report.statuses["c"] == .skipped)
        let finished = log.events.compactMap { event -> String? in
            if case .nodeFinished(let node, _, _) = event { node } else { nil }
        }
        #expect(finished.sorted() == ["a", "b", "c", "d"])
    }
}
