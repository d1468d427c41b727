/// Every rule of a ``ManualClock``: the current instant, its sleepers, the tasks waiting for sleepers, and
/// cancellation.
///
/// The value follows the library's one continuation pattern: each `mutating` method takes an input (a sleep to
/// register, a cancellation, a move of time, a rendezvous) and returns the continuations the caller must resume.
/// The clock holds the value in a lock and resumes what it returned **after** unlocking, so no continuation ever
/// runs under the lock. The state is generic over its continuation types, so tests drive it with plain tokens,
/// without tasks, clocks or locks.
///
/// A sleep or a rendezvous goes through two inputs: ``issueID()`` before the task suspends, then
/// ``register(_:until:continuation:)`` or ``waitForSleepers(count:id:continuation:)`` once it has a continuation. A
/// cancellation may arrive between the two; the state then remembers it and the registration hands the
/// continuation straight back. A cancellation that arrives after the continuation was resumed is ignored and leaves
/// nothing behind.
///
/// The type is a `Sendable` value; its continuations must be `Sendable` too.
package struct ManualClockState<SleepContinuation: Sendable, WaitContinuation: Sendable>: Sendable {
    /// What ``register(_:until:continuation:)`` asks the caller to do.
    package enum Registration: Sendable {
        /// The sleep was cancelled before it registered: resume the continuation with `CancellationError`.
        case cancelled(SleepContinuation)
        /// The deadline has already passed: resume the continuation at once.
        case due(SleepContinuation)
        /// The sleeper now waits; resume these rendezvous waiters, whose sleeper count has been reached.
        case sleeping(wakeWaiters: [WaitContinuation])
    }

    private enum Pending: Hashable, Sendable {
        case awaitingRegistration
        case cancelledBeforeRegistering
    }

    private struct Sleeper: Sendable {
        var id: UInt64
        var deadline: ManualClock.Instant
        var continuation: SleepContinuation
    }

    private struct Waiter: Sendable {
        var id: UInt64
        var count: Int
        var continuation: WaitContinuation
    }

    /// The clock's current instant.
    package private(set) var now: ManualClock.Instant
    private var nextID: UInt64 = 0
    private var pending: [UInt64: Pending] = [:]
    private var sleepers: [Sleeper] = []
    private var waiters: [Waiter] = []

    /// Creates a state whose current instant is `now`, with no sleepers and no waiters.
    ///
    /// - Parameter now: The starting instant.
    package init(now: ManualClock.Instant) {
        self.now = now
    }

    /// The number of registered sleepers.
    package var sleeperCount: Int { sleepers.count }

    /// The number of tasks waiting in ``waitForSleepers(count:id:continuation:)``.
    package var waiterCount: Int { waiters.count }

    /// The number of ids handed out and not yet registered (cancelled ones included); zero when idle.
    package var unregisteredCount: Int { pending.count }

    /// Hands out a new id for a sleep or a rendezvous wait, before the task suspends.
    ///
    /// The id is remembered as awaiting registration, so a cancellation that arrives first is not lost.
    ///
    /// - Returns: A fresh id.
    package mutating func issueID() -> UInt64 {
        nextID += 1
        pending[nextID] = .awaitingRegistration
        return nextID
    }

    /// Registers the sleep `id` until `deadline`.
    ///
    /// - Parameters:
    ///   - id: An id from ``issueID()``, registered once.
    ///   - deadline: The instant the sleep ends.
    ///   - continuation: The sleeping task's continuation.
    /// - Returns: What to resume: the continuation itself (cancelled or due), or the rendezvous waiters whose count
    ///   this sleeper reaches.
    package mutating func register(
        _ id: UInt64,
        until deadline: ManualClock.Instant,
        continuation: SleepContinuation
    ) -> Registration {
        let state = pending.removeValue(forKey: id)
        precondition(state != nil, "ManualClockState: sleep \(id) was not issued or registered twice")
        if state == .cancelledBeforeRegistering { return .cancelled(continuation) }
        if deadline <= now { return .due(continuation) }
        sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
        let count = sleepers.count
        var ready: [WaitContinuation] = []
        waiters.removeAll { waiter in
            guard waiter.count <= count else { return false }
            ready.append(waiter.continuation)
            return true
        }
        return .sleeping(wakeWaiters: ready)
    }

    /// Records that the task of sleep `id` was cancelled.
    ///
    /// A registered sleeper is removed and its continuation returned; a sleep not yet registered is remembered, so
    /// its registration resumes it as cancelled; a sleep already resumed is ignored.
    ///
    /// - Parameter id: The sleep's id.
    /// - Returns: The continuation to resume with `CancellationError`, if the sleeper was registered.
    package mutating func sleepCancelled(_ id: UInt64) -> SleepContinuation? {
        if let index = sleepers.firstIndex(where: { $0.id == id }) {
            return sleepers.remove(at: index).continuation
        }
        if pending[id] != nil { pending[id] = .cancelledBeforeRegistering }
        return nil
    }

    /// Registers a rendezvous: the caller waits until at least `count` tasks sleep.
    ///
    /// - Parameters:
    ///   - count: The number of sleepers to wait for.
    ///   - id: An id from ``issueID()``, registered once.
    ///   - continuation: The waiting task's continuation.
    /// - Returns: The continuation, to resume at once, if enough tasks already sleep or the wait was cancelled
    ///   before it registered; otherwise `nil`.
    package mutating func waitForSleepers(
        count: Int,
        id: UInt64,
        continuation: WaitContinuation
    ) -> WaitContinuation? {
        let state = pending.removeValue(forKey: id)
        precondition(state != nil, "ManualClockState: wait \(id) was not issued or registered twice")
        if state == .cancelledBeforeRegistering || sleepers.count >= count { return continuation }
        waiters.append(Waiter(id: id, count: count, continuation: continuation))
        return nil
    }

    /// Records that the task of rendezvous `id` was cancelled.
    ///
    /// A registered waiter is removed and its continuation returned; a wait not yet registered is remembered; a
    /// wait already resumed is ignored.
    ///
    /// - Parameter id: The wait's id.
    /// - Returns: The continuation to resume, if the waiter was registered and still waiting.
    package mutating func waitCancelled(_ id: UInt64) -> WaitContinuation? {
        if let index = waiters.firstIndex(where: { $0.id == id }) {
            return waiters.remove(at: index).continuation
        }
        if pending[id] != nil { pending[id] = .cancelledBeforeRegistering }
        return nil
    }

    /// Moves the clock to `instant`, if it is later than now, and takes the sleepers that are due.
    ///
    /// - Parameter instant: The instant to move to.
    /// - Returns: The due sleepers' continuations, earliest deadline first, ties in registration order.
    package mutating func advance(to instant: ManualClock.Instant) -> [SleepContinuation] {
        if instant > now { now = instant }
        var due: [Sleeper] = []
        var remaining: [Sleeper] = []
        for sleeper in sleepers {
            if sleeper.deadline <= now { due.append(sleeper) } else { remaining.append(sleeper) }
        }
        sleepers = remaining
        // Stable: registration order breaks ties between equal deadlines.
        return due.enumerated()
            .sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }
            .map(\.element.continuation)
    }

    /// Moves the clock forward by `duration` and takes the sleepers that are due.
    ///
    /// - Parameter duration: How far to move; must not be negative.
    /// - Returns: The due sleepers' continuations, earliest deadline first, ties in registration order.
    package mutating func advance(by duration: Duration) -> [SleepContinuation] {
        precondition(duration >= .zero, "ManualClock cannot move backwards")
        return advance(to: now.advanced(by: duration))
    }
}
