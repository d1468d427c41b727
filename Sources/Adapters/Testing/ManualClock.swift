import AgentPolicy

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

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Waiter {
        var count: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Instant
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelledBeforeRegistering: Set<UInt64> = []
        var waiters: [Waiter] = []
    }

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
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Suspends until `deadline`, which only a call to ``advance(by:)`` or ``advance(to:)`` can bring.
    ///
    /// A deadline that has already passed returns at once.
    ///
    /// - Parameters:
    ///   - deadline: The instant to sleep until.
    ///   - tolerance: Ignored.
    /// - Throws: `CancellationError` if the task is cancelled before the deadline.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let action: SleepRegistration = state.withLock { state in
                    if state.cancelledBeforeRegistering.remove(id) != nil { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return .registered(Self.takeSatisfiedWaiters(&state))
                }
                switch action {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .due: continuation.resume()
                case .registered(let waiters): for waiter in waiters { waiter.resume() }
                }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    return state.sleepers.remove(at: index)
                }
                state.cancelledBeforeRegistering.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Suspends until at least `count` tasks are sleeping on the clock.
    ///
    /// This is the deterministic rendezvous for tests: start the work, wait for its sleepers, then advance.
    ///
    /// - Parameter count: The number of sleepers to wait for.
    public func waitForSleepers(count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready: Bool = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.waiters.append(Waiter(count: count, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Moves the clock forward by `duration` and resumes every sleeper whose deadline has come.
    ///
    /// Sleepers resume earliest deadline first, ties in registration order. The call returns before the resumed
    /// tasks run.
    ///
    /// - Parameter duration: How far to move; must not be negative.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "ManualClock cannot move backwards")
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            return Self.takeDue(&state)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock forward to `instant` (if it is later than now) and resumes the sleepers that are due.
    ///
    /// - Parameter instant: The instant to move to.
    public func advance(to instant: Instant) {
        let due: [Sleeper] = state.withLock { state in
            if instant > state.now { state.now = instant }
            return Self.takeDue(&state)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    private enum SleepRegistration {
        case cancelled
        case due
        case registered([CheckedContinuation<Void, Never>])
    }

    private static func takeDue(_ state: inout State) -> [Sleeper] {
        let now = state.now
        var due: [Sleeper] = []
        var remaining: [Sleeper] = []
        for sleeper in state.sleepers {
            if sleeper.deadline <= now { due.append(sleeper) } else { remaining.append(sleeper) }
        }
        state.sleepers = remaining
        // Stable sort: earliest deadline first, ties in registration order.
        return due.enumerated()
            .sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }
            .map(\.element)
    }

    private static func takeSatisfiedWaiters(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let count = state.sleepers.count
        var ready: [CheckedContinuation<Void, Never>] = []
        state.waiters.removeAll { waiter in
            guard waiter.count <= count else { return false }
            ready.append(waiter.continuation)
            return true
        }
        return ready
    }
}
