import AgentPolicy

/// A clock whose readings mean the same in every process: the time since a fixed origin (the Unix epoch for
/// ``system``).
///
/// The orchestrator's `Clock` times everything that happens in one process; its readings start again in the next.
/// What must outlive the process, a journaled workflow wait's deadline, is recorded on this clock instead, and the
/// wait sleeps on the orchestrator's clock for what is left of it. Inject one with
/// ``Orchestrator/Configuration/wallClock``; in tests, read the test's `ManualClock` so that both advance together:
///
/// ```swift
/// let clock = ManualClock()
/// var configuration = Orchestrator.Configuration()
/// configuration.wallClock = WallClock { clock.now.offset }
/// let orchestrator = try Orchestrator(clock: clock, configuration: configuration)
/// ```
public struct WallClock: Sendable {
    /// Reads the clock: the time since its origin.
    public let now: @Sendable () -> Duration

    /// Creates a wall clock from a reading.
    ///
    /// - Parameter now: Reads the time since the clock's origin; every process that resumes a journal must read the
    ///   same origin.
    public init(_ now: @escaping @Sendable () -> Duration) { self.now = now }

    /// The system's real-time clock: the time since the Unix epoch.
    public static let system = WallClock { systemRealTimeNow() }
}
