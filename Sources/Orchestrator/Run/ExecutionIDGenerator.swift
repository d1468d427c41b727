@_spi(Internals) import AgentPolicy

/// Makes execution ids: random by default, seeded or sequential for reproducible reports.
///
/// In tests, pair a seeded generator with a `ManualClock` (from the AgentTesting product, `import AgentTesting`):
///
/// ```swift
/// let orchestrator = try Orchestrator(clock: ManualClock(), idGenerator: .seeded(42))
/// ```
///
/// A generator is `Sendable` and hands out each id once, also to concurrent runs.
public struct ExecutionIDGenerator: Sendable {
    private let makeID: @Sendable () -> String

    /// Creates a generator from a closure.
    ///
    /// - Parameter next: Returns a new id on each call; it must be safe to call concurrently.
    public init(_ next: @escaping @Sendable () -> String) { makeID = next }

    /// Returns a new id.
    ///
    /// - Returns: The id.
    public func next() -> String { makeID() }

    /// UUID-shaped random ids: a fast generator seeded once from the system's random source.
    ///
    /// - Returns: The generator.
    public static func random() -> ExecutionIDGenerator {
        var system = SystemRandomNumberGenerator()
        return seeded(system.next())
    }

    /// UUID-shaped ids from a seeded generator: the same seed gives the same ids in the same order.
    ///
    /// - Parameter seed: The seed.
    /// - Returns: The generator.
    public static func seeded(_ seed: UInt64) -> ExecutionIDGenerator {
        let state = LockedState(SplitMix64(seed: seed))
        return ExecutionIDGenerator {
            let (high, low) = state.withLock { ($0.next(), $0.next()) }
            return ReportID.uuidText(high, low)
        }
    }

    /// Ids `prefix1`, `prefix2`, …
    ///
    /// - Parameter prefix: The text before the number.
    /// - Returns: The generator.
    public static func sequential(prefix: String = "run-") -> ExecutionIDGenerator {
        let counter = LockedState(UInt64(0))
        return ExecutionIDGenerator {
            let number = counter.withLock { count in
                count += 1
                return count
            }
            return prefix + String(number)
        }
    }
}
