import AgentPolicy
import FoundationEssentials
import Testing

@Suite("RetryPolicy", .timeLimit(.suite))
struct RetryPolicyTests {
    @Test("Backoff 100 ms ×2 capped at 300 ms gives 100, 200, 300, 300")
    func cappedBackoff() {
        let policy = RetryPolicy.exponential(maxAttempts: 5, initialDelay: .ms(100), maxDelay: .ms(300))
        #expect((1...4).map { policy.delay(afterAttempt: $0, key: "a") } == [.ms(100), .ms(200), .ms(300), .ms(300)])
    }

    @Test("Multiplier 1 gives a constant delay; huge attempt numbers stay at the cap without overflow")
    func constantAndLarge() {
        let constant = RetryPolicy(maxAttempts: 3, initialDelay: .ms(50))
        #expect(constant.delay(afterAttempt: 2, key: "a") == .ms(50))
        let steep = RetryPolicy.exponential(
            maxAttempts: 1000,
            initialDelay: .seconds(1),
            multiplier: Int.max,
            maxDelay: .seconds(Int64.max)
        )
        #expect(steep.delay(afterAttempt: 1000, key: "a") == .seconds(Int64.max))
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
        let first = (1...8).map { policy(seed: 42).delay(afterAttempt: $0, key: "a") }
        let again = (1...8).map { policy(seed: 42).delay(afterAttempt: $0, key: "a") }
        let otherSeed = (1...8).map { policy(seed: 43).delay(afterAttempt: $0, key: "a") }
        let otherNode = (1...8).map { policy(seed: 42).delay(afterAttempt: $0, key: "b") }
        #expect(first == again)
        #expect(first != otherSeed)
        #expect(first != otherNode)
        for attempt in 1...8 {
            let full = plain.delay(afterAttempt: attempt, key: "a")
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
        #expect(
            json
                == #"{"initialDelayNanoseconds":100000000,"maxAttempts":4,"maxDelayNanoseconds":300000000,"multiplier":2}"#
        )
        #expect(try JSONDecoder().decode(RetryPolicy.self, from: Data(json.utf8)) == policy)
    }

    @Test("A decoded policy takes the initializer's defaults for missing keys; maxAttempts is required")
    func decodingDefaults() throws {
        let decoded = try JSONDecoder().decode(RetryPolicy.self, from: Data(#"{"maxAttempts":3}"#.utf8))
        #expect(decoded == RetryPolicy(maxAttempts: 3))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RetryPolicy.self, from: Data(#"{"multiplier":2}"#.utf8))
        }
    }
}

@Suite("RetryPolicy at the extremes")
struct RetryPolicyExtremeTests {
    @Test("A zero initial delay is zero at any attempt, computed at once")
    func zeroDelay() {
        let policy = RetryPolicy.exponential(maxAttempts: .max, initialDelay: .zero, maxDelay: .seconds(1))
        #expect(policy.delay(afterAttempt: .max, key: "a") == .zero)
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
        let full = exact.delay(afterAttempt: 2, key: "a")
        #expect(full == .seconds(Int64.max / 2) * 2)
        // Documented bound: the jitter subtracts between zero and `percent` percent of the computed delay.
        for seed in UInt64(1)...8 {
            var jittered = policy
            jittered.jitter = .init(percent: 50, seed: seed)
            let delay = jittered.delay(afterAttempt: 2, key: "a")
            #expect(delay <= full, "seed \(seed): \(delay) is above the computed delay \(full)")
            #expect(delay >= full / 2, "seed \(seed): \(delay) is below the computed delay minus 50 %")
            #expect(delay < full, "seed \(seed): no jitter applied")
        }
    }
}

extension Duration {
    fileprivate static func ms(_ value: Int64) -> Duration { .milliseconds(value) }
}
