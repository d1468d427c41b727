/// When and how often failing work is tried again: a task-graph node's body, a graph-of-agents node, a model call.
///
/// ``maxAttempts`` counts **total** calls: 1 means no retry, 3 means the first call and up to two retries; a
/// report's attempt count always equals the number of calls. Only errors conforming to ``RetryableError`` whose
/// ``RetryableError/isRetryable`` is `true` are retried; everything else ends the work at once.
///
/// Before attempt `k + 1` the caller sleeps on its injected clock for
/// `min(initialDelay × multiplier^(k-1), maxDelay)`, minus an optional seeded jitter, unless the error's
/// ``RetryableError/retryAfter`` hint gives the delay instead (used as is: neither capped nor jittered). With an
/// initial delay of 100 ms, multiplier 2 and a 300 ms cap, the sleeps are 100, 200, 300, 300 ms.
///
/// All arithmetic is on integers, so delays are exact and identical on every platform. Encoded with durations as
/// integer nanoseconds: `{"maxAttempts": 4, "initialDelayNanoseconds": 100000000, "multiplier": 2,
/// "maxDelayNanoseconds": 300000000}`; a missing key other than `maxAttempts` takes the initializer's default.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// A deterministic random reduction of each computed delay.
    ///
    /// The delay before each retry is reduced by a pseudo-random amount between zero and ``percent`` percent of the
    /// computed delay, drawn from a ``SplitMix64`` seeded with ``seed``, the FNV-1a hash of the work's key (a node
    /// id) and the attempt number. The same seed gives the same delays in every run; different keys get different
    /// delays, which spreads their retries.
    public struct Jitter: Sendable, Hashable, Codable {
        /// The largest share of the computed delay to subtract, from 0 to 100.
        public var percent: Int
        /// The generator seed.
        public var seed: UInt64

        /// Creates a jitter.
        ///
        /// - Parameters:
        ///   - percent: The largest share of the computed delay to subtract, from 0 to 100.
        ///   - seed: The generator seed.
        public init(percent: Int, seed: UInt64) {
            self.percent = percent
            self.seed = seed
        }
    }

    /// The total number of body calls allowed, including the first; at least 1.
    public var maxAttempts: Int
    /// The delay before the first retry; not negative.
    public var initialDelay: Duration
    /// The factor applied to the delay after each retry; at least 1 (1 gives a constant delay).
    public var multiplier: Int
    /// The largest computed delay; not negative.
    public var maxDelay: Duration
    /// The optional seeded jitter; `nil` for exact delays.
    public var jitter: Jitter?

    /// Creates a policy.
    ///
    /// Invalid values (fewer than one attempt, a negative delay, a multiplier below 1, a jitter percent outside
    /// 0...100) are refused by the code that uses the policy before any work runs (the task-graph executor throws
    /// its `invalidConfiguration` error).
    ///
    /// - Parameters:
    ///   - maxAttempts: The total number of body calls allowed, including the first.
    ///   - initialDelay: The delay before the first retry.
    ///   - multiplier: The factor applied to the delay after each retry.
    ///   - maxDelay: The largest computed delay.
    ///   - jitter: The optional seeded jitter.
    public init(
        maxAttempts: Int,
        initialDelay: Duration = .zero,
        multiplier: Int = 1,
        maxDelay: Duration = .seconds(30),
        jitter: Jitter? = nil
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// One attempt, no retry: the default.
    ///
    /// Write `RetryPolicy.none` where an optional policy is expected, since a bare `.none` there means `nil`.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Exponential backoff with a cap.
    ///
    /// - Parameters:
    ///   - maxAttempts: The total number of body calls allowed, including the first.
    ///   - initialDelay: The delay before the first retry.
    ///   - multiplier: The factor applied to the delay after each retry; 2 by default.
    ///   - maxDelay: The largest computed delay.
    ///   - jitter: The optional seeded jitter.
    /// - Returns: The policy.
    public static func exponential(
        maxAttempts: Int,
        initialDelay: Duration,
        multiplier: Int = 2,
        maxDelay: Duration,
        jitter: Jitter? = nil
    ) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: maxAttempts,
            initialDelay: initialDelay,
            multiplier: multiplier,
            maxDelay: maxDelay,
            jitter: jitter
        )
    }

    /// Returns the computed delay before the retry that follows a failed attempt.
    ///
    /// - Parameters:
    ///   - attempt: The number of the attempt that failed, from 1.
    ///   - key: A stable name of the work (a task-graph node id, a tool name), which seeds the jitter together with
    ///     ``Jitter/seed`` and `attempt`.
    /// - Returns: `min(initialDelay × multiplier^(attempt-1), maxDelay)`, reduced by the jitter if any.
    public func delay(afterAttempt attempt: Int, key: String) -> Duration {
        var delay = max(initialDelay, .zero)
        let cap = max(maxDelay, .zero)
        let factor = max(multiplier, 1)
        if delay >= cap { delay = cap }
        // A zero delay stays zero whatever the multiplier: skip the loop, which would otherwise run `attempt` times.
        if delay == .zero { return .zero }
        var step = 1
        while step < attempt, delay < cap, factor > 1 {
            // delay ≤ cap / factor guarantees delay × factor ≤ cap: no overflow.
            delay = delay > cap / factor ? cap : min(delay * factor, cap)
            step += 1
        }
        guard let jitter, jitter.percent > 0, delay > .zero else { return delay }
        // Work in whole nanoseconds (saturating beyond ~292 years) so huge delays cannot overflow.
        let nanoseconds = UInt64(Nanoseconds(delay).rawValue)
        let percent = UInt64(min(jitter.percent, 100))
        let span = nanoseconds / 100 * percent + nanoseconds % 100 * percent / 100
        guard span > 0 else { return delay }
        var generator = SplitMix64(seed: (jitter.seed ^ fnv1a(key)) &+ UInt64(truncatingIfNeeded: attempt))
        let random = generator.next()
        let reduction = span == UInt64.max ? random : random % (span + 1)
        return delay - .nanoseconds(Int64(clamping: reduction))
    }

    /// A sentence describing why the policy is invalid, or `nil` if it is valid.
    package var problem: String? {
        if maxAttempts < 1 { return "maxAttempts is \(maxAttempts); it counts total calls and must be at least 1." }
        if initialDelay < .zero { return "initialDelay is negative; use zero or a positive duration." }
        if maxDelay < .zero { return "maxDelay is negative; use zero or a positive duration." }
        if multiplier < 1 { return "multiplier is \(multiplier); use 1 (constant delay) or more." }
        if let jitter, !(0...100).contains(jitter.percent) {
            return "jitter percent is \(jitter.percent); use a value from 0 to 100."
        }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case maxAttempts, initialDelayNanoseconds, multiplier, maxDelayNanoseconds, jitter
    }

    /// Decodes a policy whose durations are integer nanoseconds; missing keys other than `maxAttempts` take the
    /// initializer's defaults.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` if `maxAttempts` is missing or a field has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RetryPolicy(maxAttempts: 1)
        maxAttempts = try container.decode(Int.self, forKey: .maxAttempts)
        initialDelay =
            try container.decodeIfPresent(Nanoseconds.self, forKey: .initialDelayNanoseconds)?.duration
            ?? defaults.initialDelay
        multiplier = try container.decodeIfPresent(Int.self, forKey: .multiplier) ?? defaults.multiplier
        maxDelay =
            try container.decodeIfPresent(Nanoseconds.self, forKey: .maxDelayNanoseconds)?.duration
            ?? defaults.maxDelay
        jitter = try container.decodeIfPresent(Jitter.self, forKey: .jitter)
    }

    /// Encodes the policy with durations as integer nanoseconds.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: An error if the encoder fails.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(Nanoseconds(initialDelay), forKey: .initialDelayNanoseconds)
        try container.encode(multiplier, forKey: .multiplier)
        try container.encode(Nanoseconds(maxDelay), forKey: .maxDelayNanoseconds)
        try container.encodeIfPresent(jitter, forKey: .jitter)
    }
}

/// The 64-bit FNV-1a hash of a string's UTF-8 bytes: stable across processes, unlike `hashValue`.
private func fnv1a(_ string: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in string.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}
