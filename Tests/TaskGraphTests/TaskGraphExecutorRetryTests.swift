import AgentAdapters
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

@Suite("TaskGraphExecutor retries", .timeLimit(.suite))
struct TaskGraphExecutorRetryTests {
    private static let backoff = RetryPolicy.exponential(maxAttempts: 5, initialDelay: .ms(100), maxDelay: .ms(300))

    private static func executor(
        _ clock: ManualClock,
        _ log: EventLog,
        policy: RetryPolicy = backoff
    ) -> TaskGraphExecutor {
        TaskGraphExecutor(configuration: .init(retryPolicy: policy, onEvent: log.handler), clock: clock)
    }

    /// Waits for the backoff sleeper, checks it is not due a nanosecond early, then lets it go.
    private static func expectSleep(_ clock: ManualClock, _ delay: Duration) async {
        await clock.waitForSleepers(count: 1)
        clock.advance(by: delay - .nanoseconds(1))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .nanoseconds(1))
    }

    /// Waits until node `a` finishes or retries after its last attempt, and fails at once (before the run, stuck in
    /// the extra backoff sleep on the manual clock, reaches the watchdog) if it retried.
    private static func expectNoRetry(after lastAttempt: Int, _ log: EventLog) async {
        await log.wait { event in
            if case .nodeRetrying(_, let failedAttempt, _, _) = event { return failedAttempt >= lastAttempt }
            return event.isFinished("a")
        }
        let extra = log.events.contains { event in
            if case .nodeRetrying(_, let failedAttempt, _, _) = event { failedAttempt >= lastAttempt } else { false }
        }
        #expect(!extra, "node a retried after its last attempt (\(lastAttempt) of \(lastAttempt))")
    }

    @Test("Retryable, retryable, success: 3 calls and 2 retry events")
    func retryThenSucceed() async throws {
        try await withWatchdog("two retries then success: exactly 3 calls") {
            let clock = ManualClock()
            let log = EventLog()
            let tracker = BodyTracker()
            async let running = Self.executor(clock, log).run(.of(["a": []])) { (invocation: NodeInvocation<String>) in
                tracker.enter("a")
                if invocation.attempt < 3 { throw TransientError(attempt: invocation.attempt) }
                return "done on \(invocation.attempt)"
            }
            await Self.expectSleep(clock, .ms(100))
            await Self.expectSleep(clock, .ms(200))
            let report = try await running
            let node = try #require(report.node("a"))
            #expect(report.status == .succeeded)
            #expect(tracker.calls("a") == 3)
            #expect(node.output == "done on 3")
            #expect(node.attempts.map(\.outcome) == [.failed, .failed, .succeeded])
            #expect(node.attempts.map(\.startNanoseconds) == [0, .ms(100), .ms(300)])
            #expect(node.retryDelaysNanoseconds == [.ms(100), .ms(200)])
            #expect(log.events.filter(\.isRetry).count == 2)
        }
    }

    @Test("A plain error is called once, with no retry event")
    func plainErrorNotRetried() async throws {
        let log = EventLog()
        let tracker = BodyTracker()
        let report = try await Self.executor(ManualClock(), log).run(.of(["a": []])) {
            (_: NodeInvocation<Int>) in
            tracker.enter("a")
            throw PlainError(message: "bug")
        }
        #expect(tracker.calls("a") == 1)
        #expect(report.node("a")?.status == .failed)
        #expect(report.node("a")?.error == ErrorRecord(type: String(reflecting: PlainError.self), message: "bug"))
        #expect(log.events.filter(\.isRetry).isEmpty)
    }

    @Test("An error that says it is not retryable is called once")
    func nonRetryable() async throws {
        let log = EventLog()
        let tracker = BodyTracker()
        let report = try await Self.executor(ManualClock(), log).run(.of(["a": []])) {
            (invocation: NodeInvocation<Int>) in
            tracker.enter("a")
            throw TransientError(attempt: invocation.attempt, isRetryable: false)
        }
        #expect(tracker.calls("a") == 1)
        #expect(report.node("a")?.status == .failed)
        #expect(log.events.filter(\.isRetry).isEmpty)
    }

    @Test("CancellationError is never retried")
    func cancellationNotRetried() async throws {
        let tracker = BodyTracker()
        let report = try await Self.executor(ManualClock(), EventLog()).run(.of(["a": []])) {
            (_: NodeInvocation<Int>) in
            tracker.enter("a")
            throw CancellationError()
        }
        #expect(tracker.calls("a") == 1)
        #expect(report.node("a")?.status == .cancelled)
        #expect(report.status == .failed)
    }

    @Test("Exhaustion surfaces the last error with the attempt count")
    func exhaustion() async throws {
        let tracker = BodyTracker()
        try await withWatchdog(
            "retries stop after maxAttempts (3 calls, 2 backoff sleeps)",
            state: "body calls so far: \(tracker.calls("a")), expected 3"
        ) {
            let clock = ManualClock()
            let log = EventLog()
            let policy = RetryPolicy.exponential(maxAttempts: 3, initialDelay: .ms(100), maxDelay: .ms(300))
            async let running = Self.executor(clock, log, policy: policy).run(.of(["a": []])) {
                (invocation: NodeInvocation<Int>) in
                tracker.enter("a")
                throw TransientError(attempt: invocation.attempt)
            }
            await Self.expectSleep(clock, .ms(100))
            await Self.expectSleep(clock, .ms(200))
            await Self.expectNoRetry(after: 3, log)
            let report = try await running
            let node = try #require(report.node("a"))
            #expect(tracker.calls("a") == 3)
            #expect(node.status == .failed)
            #expect(node.attempts.count == 3)
            #expect(node.error?.message == "transient failure on attempt 3")
            #expect(node.error?.isRetryable == true)
            #expect(node.attempts.map(\.error?.message) == (1...3).map { "transient failure on attempt \($0)" })
        }
    }

    @Test("Backoff 100 ms ×2 capped at 300 ms sleeps 100, 200, 300, 300 on the manual clock")
    func backoffSequence() async throws {
        try await withWatchdog("backoff sleeps exactly 100, 200, 300, 300 ms, then the node fails (5 calls)") {
            let clock = ManualClock()
            let log = EventLog()
            async let running = Self.executor(clock, log).run(.of(["a": []])) { (invocation: NodeInvocation<Int>) in
                throw TransientError(attempt: invocation.attempt)
            }
            for delay in [Duration.ms(100), .ms(200), .ms(300), .ms(300)] { await Self.expectSleep(clock, delay) }
            await Self.expectNoRetry(after: 5, log)
            let report = try await running
            let node = try #require(report.node("a"))
            #expect(node.retryDelaysNanoseconds == [.ms(100), .ms(200), .ms(300), .ms(300)])
            #expect(node.attempts.map(\.startNanoseconds) == [0, .ms(100), .ms(300), .ms(600), .ms(900)])
            #expect(report.durationNanoseconds == .ms(900))
            let retries = log.events.compactMap { event -> Nanoseconds? in
                if case .nodeRetrying(_, _, let delay, _) = event { delay } else { nil }
            }
            #expect(retries == [.ms(100), .ms(200), .ms(300), .ms(300)])
        }
    }

    @Test("A retry-after hint overrides the computed delay")
    func retryAfter() async throws {
        try await withWatchdog("a retry-after hint sets the one backoff sleep") {
            let clock = ManualClock()
            async let running = Self.executor(clock, EventLog()).run(.of(["a": []])) {
                (invocation: NodeInvocation<Int>) in
                if invocation.attempt == 1 { throw TransientError(attempt: 1, retryAfter: .seconds(5)) }
                return invocation.attempt
            }
            await Self.expectSleep(clock, .seconds(5))
            let report = try await running
            #expect(report.node("a")?.retryDelaysNanoseconds == [Nanoseconds(.seconds(5))])
            #expect(report.output(of: "a") == 2)
        }
    }

    @Test("Jittered delays are deterministic per seed and recorded", arguments: [UInt64(1), 99])
    func jitter(seed: UInt64) async throws {
        try await withWatchdog("jittered backoff sleeps at most the computed delays (seed \(seed))") {
            let policy = RetryPolicy.exponential(
                maxAttempts: 3,
                initialDelay: .ms(100),
                maxDelay: .ms(300),
                jitter: .init(percent: 50, seed: seed)
            )
            let clock = ManualClock()
            let executor = Self.executor(clock, EventLog(), policy: policy)
            func run() async throws -> TaskGraphReport<Int> {
                async let running = executor.run(.of(["a": []])) { (invocation: NodeInvocation<Int>) in
                    if invocation.attempt < 3 { throw TransientError(attempt: invocation.attempt) }
                    return 0
                }
                for delay in [Duration.ms(100), .ms(200)] {
                    await clock.waitForSleepers(count: 1)
                    clock.advance(by: delay)  // the jittered delay is at most the computed one
                }
                return try await running
            }
            let first = try await run()
            let second = try await run()
            #expect(first == second)
            let expected = (1...2).map { Nanoseconds(policy.delay(afterAttempt: $0, key: "a")) }
            #expect(first.node("a")?.retryDelaysNanoseconds == expected)
        }
    }

    @Test("Per-node retry policies override the default")
    func perNodePolicy() async throws {
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor(
            configuration: .init(
                failureMode: .continueIndependent,
                nodeRetryPolicies: ["b": RetryPolicy(maxAttempts: 3)]
            ),
            clock: ManualClock()
        )
        let report = try await executor.run(.of(["a": [], "b": []])) { (invocation: NodeInvocation<Int>) in
            tracker.enter(invocation.node)
            throw TransientError(attempt: invocation.attempt)
        }
        #expect(tracker.calls("a") == 1)
        #expect(tracker.calls("b") == 3)
        #expect(report.node("b")?.retryDelaysNanoseconds == [0, 0])
    }

    @Test("Cancellation during a backoff sleep ends the node as cancelled")
    func cancelledDuringBackoff() async throws {
        try await withWatchdog("cancellation during a backoff sleep ends the node") {
            let clock = ManualClock()
            let tracker = BodyTracker()
            let executor = Self.executor(clock, EventLog())
            let report = await withTaskGroup(of: TaskGraphReport<Int>?.self) { group in
                group.addTask {
                    try? await executor.run(.of(["a": [], "b": ["a"]])) { (invocation: NodeInvocation<Int>) in
                        tracker.enter(invocation.node)
                        throw TransientError(attempt: invocation.attempt)
                    }
                }
                await clock.waitForSleepers(count: 1)
                group.cancelAll()
                return await group.next() ?? nil
            }
            let node = try #require(report?.node("a"))
            #expect(report?.status == .cancelled)
            #expect(node.status == .cancelled)
            #expect(node.attempts.count == 1)
            #expect(node.retryDelaysNanoseconds == [.ms(100)])
            #expect(report?.node("b")?.status == .skipped)
            #expect(tracker.calls("a") == 1)
        }
    }
}
