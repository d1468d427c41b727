@_spi(Internals) import AgentPolicy

/// A clock that moves only when you tell it to: the deterministic time source for tests.
///
/// Work under test sleeps on the clock; the test waits until the expected number of tasks sleep with
/// ``waitForSleepers(count:)`` (a rendezvous, no yield heuristics), then moves time with ``advance(by:)``.
///
/// ```swift
/// let clock = ManualClock()
/// async let report = orchestrator.run(agent, task: "go", policy: policy)
/// await clock.waitForSleepers(count: 1)
/// clock.advance(by: .seconds(1))
/// ```
///
/// `advance(by:)` returns before the resumed tasks run; await an effect (an event, the next rendezvous, a result)
/// before asserting. A sleeper that is cancelled is removed and throws `CancellationError`.
///
/// Every rule (sleepers, rendezvous waiters, cancellation) lives in one state-machine value (`ManualClockState`) held in one lock;
/// the clock resumes the continuations that value returns after unlocking.
///
/// The clock is `Sendable` and safe to use from any task.
public final class ManualClock: Clock, Sendable {
    /// A point in time on a ``ManualClock``, counted from the clock's zero.
    public struct Instant: InstantProtocol, Hashable, Sendable, CustomStringConvertible {
        /// The time since the clock's zero.
        public var offset: Duration

        /// Creates an instant at `offset` after the clock's zero.
        ///
        /// - Parameter offset: The time since the clock's zero.
        public init(offset: Duration) { self.offset = offset }

        /// Returns the instant `duration` later.
        ///
        /// - Parameter duration: The amount of time to add.
        /// - Returns: The later instant.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }

        /// Returns the duration from this instant to `other`.
        ///
        /// - Parameter other: The later instant.
        /// - Returns: `other` minus this instant.
        public func duration(to other: Instant) -> Duration { other.offset - offset }

        /// Orders instants by their offset.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }

        /// The offset, for diagnostics.
        public var description: String { "ManualClock.Instant(\(offset))" }
    }

    private typealias State = ManualClockState<CheckedContinuation<Void, any Error>, CheckedContinuation<Void, Never>>

    private let state: LockedState<State>

    /// Creates a clock whose current instant is `now`.
    ///
    /// - Parameter now: The starting instant; zero by default.
    public init(now: Instant = Instant(offset: .zero)) {
        state = LockedState(State(now: now))
    }

    /// The current instant.
    public var now: Instant { state.withLock { $0.now } }

    /// The smallest step the clock reports: one nanosecond.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// The number of tasks sleeping on the clock right now.
    public var sleeperCount: Int { state.withLock { $0.sleeperCount } }

    /// Suspends until `deadline`, which only a call to ``advance(by:)`` or ``advance(to:)`` can bring.
    ///
    /// A deadline that has already passed returns at once. Cancellation, before or during the sleep, removes the
    /// sleeper and throws; a cancellation that races the registration is remembered, so no sleeper is lost.
    ///
    /// - Parameters:
    ///   - deadline: The instant to sleep until.
    ///   - tolerance: Ignored.
    /// - Throws: `CancellationError` if the task is cancelled before the deadline.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.issueID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let registration = state.withLock { $0.register(id, until: deadline, continuation: continuation) }
                switch registration {
                case .cancelled(let continuation): continuation.resume(throwing: CancellationError())
                case .due(let continuation): continuation.resume()
                case .sleeping(let waiters): for waiter in waiters { waiter.resume() }
                }
            }
        } onCancel: {
            state.withLock { $0.sleepCancelled(id) }?.resume(throwing: CancellationError())
        }
    }

    /// Suspends until at least `count` tasks are sleeping on the clock.
    ///
    /// This is the deterministic rendezvous for tests: start the work, wait for its sleepers, then advance. If the
    /// waiting task is cancelled (for example by a test's time limit), the call returns at once without the
    /// sleepers; check `Task.isCancelled` if that matters.
    ///
    /// - Parameter count: The number of sleepers to wait for.
    public func waitForSleepers(count: Int) async {
        let id = state.withLock { $0.issueID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.withLock { $0.waitForSleepers(count: count, id: id, continuation: continuation) }?.resume()
            }
        } onCancel: {
            state.withLock { $0.waitCancelled(id) }?.resume()
        }
    }

    /// Moves the clock forward by `duration` and resumes every sleeper whose deadline has come.
    ///
    /// Sleepers resume earliest deadline first, ties in registration order. The call returns before the resumed
    /// tasks run.
    ///
    /// - Parameter duration: How far to move; must not be negative.
    public func advance(by duration: Duration) {
        for continuation in state.withLock({ $0.advance(by: duration) }) { continuation.resume() }
    }

    /// Moves the clock forward to `instant` (if it is later than now) and resumes the sleepers that are due.
    ///
    /// - Parameter instant: The instant to move to.
    public func advance(to instant: Instant) {
        for continuation in state.withLock({ $0.advance(to: instant) }) { continuation.resume() }
    }
}
