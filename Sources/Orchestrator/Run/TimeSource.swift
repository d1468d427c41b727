/// The orchestrator's clock, opened once: offsets from a reference instant, and sleeping until an offset.
///
/// `any Clock<Duration>` cannot name its instants, so the generic clock is captured in closures at init.
struct TimeSource: Sendable {
    let now: @Sendable () -> Duration
    let sleepUntil: @Sendable (Duration) async throws -> Void
    /// The orchestrator's one deadline timer when the clock is a real one (`ContinuousClock`, `SuspendingClock`);
    /// `nil` for any other clock, whose runs each sleep on it until their deadline.
    let deadlineTimer: DeadlineTimer?

    init<C: Clock<Duration>>(_ clock: C) {
        let reference = clock.now
        let now: @Sendable () -> Duration = { reference.duration(to: clock.now) }
        self.now = now
        sleepUntil = { offset in try await clock.sleep(until: reference.advanced(by: offset), tolerance: nil) }
        deadlineTimer = C.self == ContinuousClock.self || C.self == SuspendingClock.self ? DeadlineTimer(now: now) : nil
    }
}
