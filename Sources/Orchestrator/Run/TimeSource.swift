/// The orchestrator's clock, opened once: offsets from a reference instant, and sleeping until an offset.
///
/// `any Clock<Duration>` cannot name its instants, so the generic clock is captured in closures at init.
struct TimeSource: Sendable {
    let now: @Sendable () -> Duration
    let sleepUntil: @Sendable (Duration) async throws -> Void

    init<C: Clock<Duration>>(_ clock: C) {
        let reference = clock.now
        now = { reference.duration(to: clock.now) }
        sleepUntil = { offset in try await clock.sleep(until: reference.advanced(by: offset), tolerance: nil) }
    }
}
