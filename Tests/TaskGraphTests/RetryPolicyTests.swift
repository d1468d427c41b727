import AgentAdapters
import AgentTaskGraph
import FoundationEssentials
import Testing

@Suite("RetryPolicy", .timeLimit(.minutes(1)))
struct RetryPolicyTests {
    @Test("Backoff 100 ms ×2 capped at 300 ms gives 100, 200, 300, 300")
    func cappedBackoff() {
        let policy = RetryPolicy.exponential(maxAttempts: 5, initialDelay: .ms(100), maxDelay: .ms(300))
        #expect((1...4).map { policy.delay(afterAttempt: $0, node: "a") } == [.ms(100), .ms(200), .ms(300), .ms(300)])
    }

    @Test("Multiplier 1 gives a constant delay; huge attempt numbers stay at the cap without overflow")
    func constantAndLarge() {
        let constant = RetryPolicy(maxAttempts: 3, initialDelay: .ms(50))
        #expect(constant.delay(afterAttempt: 2, node: "a") == .ms(50))
        let steep = RetryPolicy.exponential(
            maxAttempts: 1000,
            initialDelay: .seconds(1),
            multiplier: Int.max,
            maxDelay: .seconds(Int64.max)
        )
        #expect(steep.delay(afterAttempt: 1000, node: "a") == .seconds(Int64.max))
    }

    @Test("RetryPolicy.none makes one attempt: a retryable error is not retried")
    func none() async throws {
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor(configuration: .init(retryPolicy: .none), clock: ManualClock())
        let report = try await executor.run(.of(["a": []])) { (invocation: NodeInvocation<Int>) in
            tracker.enter("a")
            throw TransientError(attempt: invocation.attempt)
        }
        #expect(tracker.calls("a") == 1)
        #expect(report.node("a")?.attempts.count == 1)
        #expect(report.node("a")?.retryDelays == [])
        #expect(report.node("a")?.status == .failed)
    }

    @Test("Jitter is deterministic per seed, bounded, and varies with seed and node")
    func jitter() {
        func policy(seed: UInt64) -> RetryPolicy {
            .exponential(
                maxAttempts: 10,
                initialDelay: .ms(100),
                maxDelay: .seconds(10),
                jitter: .init(percent: 50, seed: seed)
            )
        }
        let plain = RetryPolicy.exponential(maxAttempts: 10, initialDelay: .ms(100), maxDelay: .seconds(10))
        let first = (1...8).map { policy(seed: 42).delay(afterAttempt: $0, node: "a") }
        let again = (1...8).map { policy(seed: 42).delay(afterAttempt: $0, node: "a") }
        let otherSeed = (1...8).map { policy(seed: 43).delay(afterAttempt: $0, node: "a") }
        let otherNode = (1...8).map { policy(seed: 42).delay(afterAttempt: $0, node: "b") }
        #expect(first == again)
        #expect(first != otherSeed)
        #expect(first != otherNode)
        for attempt in 1...8 {
            let full = plain.delay(afterAttempt: attempt, node: "a")
            #expect(first[attempt - 1] <= full)
            #expect(first[attempt - 1] >= full / 2)
        }
    }

    @Test("A policy encodes its durations as integer nanoseconds")
    func codable() throws {
        let policy = RetryPolicy.exponential(maxAttempts: 4, initialDelay: .ms(100), maxDelay: .ms(300))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(policy), as: UTF8.self)
        #expect(json == #"{"initialDelay":100000000,"maxAttempts":4,"maxDelay":300000000,"multiplier":2}"#)
        #expect(try JSONDecoder().decode(RetryPolicy.self, from: Data(json.utf8)) == policy)
    }

    @Test("Nanoseconds convert durations with integer arithmetic")
    func nanoseconds() throws {
        #expect(TaskGraphNanoseconds(.milliseconds(1500)).rawValue == 1_500_000_000)
        #expect(TaskGraphNanoseconds(.nanoseconds(7)).duration == .nanoseconds(7))
        #expect(TaskGraphNanoseconds(.seconds(20)).rawValue == 20_000_000_000)
        let json = String(decoding: try JSONEncoder().encode(TaskGraphNanoseconds(.seconds(2))), as: UTF8.self)
        #expect(json == "2000000000")
    }
}

@Suite("RetryPolicy at the extremes")
struct RetryPolicyExtremeTests {
    @Test("A zero initial delay is zero at any attempt, computed at once")
    func zeroDelay() {
        let policy = RetryPolicy.exponential(maxAttempts: .max, initialDelay: .zero, maxDelay: .seconds(1))
        #expect(policy.delay(afterAttempt: .max, node: "a") == .zero)
    }

    @Test("Jitter on delays of centuries stays in range instead of overflowing")
    func hugeJitter() {
        let policy = RetryPolicy(
            maxAttempts: 3,
            initialDelay: .seconds(Int64.max / 2),
            multiplier: 2,
            maxDelay: .seconds(Int64.max),
            jitter: .init(percent: 50, seed: 1)
        )
        var exact = policy
        exact.jitter = nil
        let full = exact.delay(afterAttempt: 2, node: "a")
        #expect(full == .seconds(Int64.max / 2) * 2)
        // Documented bound: the jitter subtracts between zero and `percent` percent of the computed delay.
        for seed in UInt64(1)...8 {
            var jittered = policy
            jittered.jitter = .init(percent: 50, seed: seed)
            let delay = jittered.delay(afterAttempt: 2, node: "a")
            #expect(delay <= full, "seed \(seed): \(delay) is above the computed delay \(full)")
            #expect(delay >= full / 2, "seed \(seed): \(delay) is below the computed delay minus 50 %")
            #expect(delay < full, "seed \(seed): no jitter applied")
        }
    }
}
