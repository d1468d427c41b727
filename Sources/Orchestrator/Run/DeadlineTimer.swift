import AgentPolicy

/// One deadline timer per orchestrator: a thread that waits for the earliest deadline of every run in flight and
/// ends the runs whose deadline has passed.
///
/// It replaces a sleeping child task per run (see Docs/DeadlineEscape.md): scheduling a deadline is one heap
/// insertion under a mutex and removing it one dictionary removal, with no task made, woken or cancelled. The
/// thread is woken only when a new deadline comes before the one it waits for (runs with equal timeouts started
/// in order never wake it), and it ends after `idleTimeout` with nothing scheduled, or at once after ``retire()``
/// (the orchestrator's `shutdown()`). Because it is a thread of its
/// own, busy-looping agents cannot delay it any more than they delay the kernel's timers.
///
/// Used only for real clocks (`ContinuousClock`, `SuspendingClock`), whose durations the thread's timed wait
/// (on the monotonic clock) can stand for; the wait is only a hint, since the thread reads the orchestrator's clock
/// after every wake and waits again if woken early. An injected clock (a `ManualClock` in tests) keeps a sleeper
/// per run on that clock.
///
/// Audited `@unchecked Sendable`: every stored property is either immutable or guarded by `mutex`, and the
/// condition variable is only waited on with `mutex` held, as in `AgentThreadPool`.
final class DeadlineTimer: @unchecked Sendable {
    typealias Ticket = DeadlineSchedule<RunRuntime>.Ticket

    private let now: @Sendable () -> Duration
    private let idleTimeout: Duration
    private let mutex = PlatformMutex()
    private let condition = PlatformCondition()
    // Guarded by `mutex`.
    private var schedule = DeadlineSchedule<RunRuntime>()
    private var hasThread = false
    /// While the thread waits: a new deadline before this one must wake it. `nil` while it is not waiting (it
    /// reads the schedule again before it next waits).
    private var wakeBefore: Duration?
    private var retiring = false
    private var retireWaiters: [CheckedContinuation<Void, Never>] = []

    init(now: @escaping @Sendable () -> Duration, idleTimeout: Duration = .seconds(5)) {
        self.now = now
        self.idleTimeout = idleTimeout
    }

    /// Ends `runtime` (``RunRuntime/expire()``) once the clock reaches `deadline`, unless cancelled first.
    ///
    /// - Returns: The ticket for ``cancel(_:)``, or `nil` if the system refused to start the timer's thread: the
    ///   caller must then wait for the deadline itself.
    func schedule(_ runtime: RunRuntime, at deadline: Duration) -> Ticket? {
        mutex.lock()
        let (ticket, _) = schedule.add(runtime, at: deadline)
        var start = false
        if !hasThread {
            hasThread = true
            start = true
        } else if let wakeBefore, deadline < wakeBefore {
            condition.signal()
        }
        mutex.unlock()
        if start, !PlatformThread.startDetached({ self.work() }) {
            mutex.lock()
            hasThread = false
            schedule.remove(ticket)
            mutex.unlock()
            return nil
        }
        return ticket
    }

    /// Whether the timer's thread is running (or starting).
    var hasRunningThread: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return hasThread
    }

    /// Lets the thread end as soon as nothing is scheduled instead of after `idleTimeout`; returns when it has.
    ///
    /// The timer stays usable: a deadline scheduled later starts the thread again.
    func retire() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            mutex.lock()
            retiring = true
            condition.signal()
            let done = !hasThread
            if !done { retireWaiters.append(waiter) }
            mutex.unlock()
            if done { waiter.resume() }
        }
    }

    /// Forgets the deadline of `ticket`; nothing happens if it has fired already.
    func cancel(_ ticket: Ticket) {
        mutex.lock()
        schedule.remove(ticket)
        mutex.unlock()
    }

    /// The thread's loop: fire what is due (outside the mutex), then wait for the next deadline or for work.
    private func work() {
        mutex.lock()
        while true {
            let due = schedule.takeDue(now: now())
            if !due.isEmpty {
                mutex.unlock()
                for (runtime, _) in due { runtime.expire() }
                mutex.lock()
                continue
            }
            if let next = schedule.earliest {
                wakeBefore = next
                _ = condition.wait(on: mutex, timeout: next - now())
                wakeBefore = nil
            } else {
                if !retiring {
                    wakeBefore = .seconds(Int64.max)
                    let timedOut = condition.wait(on: mutex, timeout: idleTimeout)
                    wakeBefore = nil
                    if !timedOut || !schedule.isEmpty { continue }
                }
                hasThread = false
                let waiters = retireWaiters
                retireWaiters = []
                mutex.unlock()
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }
}
