import AgentPolicy

/// A task executor with threads of its own, for agent work: an agent that never yields (a busy loop) occupies one
/// of these threads, never a thread of Swift's cooperative pool, so deadlines, the caller and other runs keep going.
///
/// Threads are made on demand, when a job arrives and no thread is idle, up to `maximum`; a thread idle for
/// `idleTimeout` ends, and after ``retire()`` (the orchestrator's `shutdown()`) a thread ends as soon as it finds
/// no job. The idle wait is timed on the monotonic clock, so moving the wall clock neither ends idle
/// threads early nor keeps them late. Jobs run in arrival order; the queue's storage shrinks as it drains
/// (``JobQueue``).
///
/// The threads, mutex and condition variable come from AgentPolicy's platform primitives (`PlatformThread`,
/// `PlatformMutex`, `PlatformCondition`), the package's one file of platform-specific code.
///
/// Audited `@unchecked Sendable`: every stored property is either immutable or guarded by `mutex`, and the
/// condition variable is only waited on with `mutex` held. (`Synchronization.Mutex` offers no condition variable,
/// which idle threads need to wait without spinning.)
final class AgentThreadPool: TaskExecutor, @unchecked Sendable {
    private let maximum: Int
    private let idleTimeout: Duration
    private let mutex = PlatformMutex()
    private let condition = PlatformCondition()
    // Guarded by `mutex`.
    private var jobs = JobQueue<UnownedJob>()
    private var threads = 0
    private var idle = 0
    private var retiring = false
    private var retireWaiters: [CheckedContinuation<Void, Never>] = []

    init(maximum: Int, idleTimeout: Duration = .seconds(5)) {
        self.maximum = max(1, maximum)
        self.idleTimeout = idleTimeout
    }

    // Threads hold a strong reference while they live, so none is left when the pool deinitialises.

    /// Queues `job`; wakes an idle thread or starts a new one.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        mutex.lock()
        jobs.append(job)
        // An idle thread that was signalled counts as idle until it wakes, so compare the jobs waiting with the
        // idle threads: a job that no idle thread will take gets a thread of its own, never a queue behind a busy
        // agent.
        if idle > 0 { condition.signal() }
        var spawn = false
        if jobs.count > idle, threads < maximum {
            threads += 1
            spawn = true
        }
        mutex.unlock()
        if spawn { startThread() }
    }

    /// The threads the pool has (running a job, idle, or starting).
    var threadCount: Int {
        mutex.lock()
        defer { mutex.unlock() }
        return threads
    }

    /// Ends the idle threads now and every other thread as soon as it finds no job; returns when no thread is left.
    ///
    /// The pool stays usable: a job queued later starts a thread again, which ends when it runs out of jobs.
    func retire() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            mutex.lock()
            retiring = true
            condition.broadcast()
            let done = threads == 0
            if !done { retireWaiters.append(waiter) }
            mutex.unlock()
            if done { waiter.resume() }
        }
    }

    private func startThread() {
        if PlatformThread.startDetached({ self.work() }) { return }
        // No thread: the job stays queued for a running or later thread.
        mutex.lock()
        let waiters = threadEnded()
        mutex.unlock()
        for waiter in waiters { waiter.resume() }
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while let job = nextJob() {
            job.runSynchronously(on: executor)
        }
    }

    /// The next job, waiting while there is none; `nil` when the thread should end: idle too long, or idle after
    /// ``retire()``.
    private func nextJob() -> UnownedJob? {
        mutex.lock()
        while jobs.isEmpty {
            if !retiring {
                idle += 1
                let timedOut = condition.wait(on: mutex, timeout: idleTimeout)
                idle -= 1
                if !timedOut || !jobs.isEmpty { continue }
            }
            let waiters = threadEnded()
            mutex.unlock()
            for waiter in waiters { waiter.resume() }
            return nil
        }
        let job = jobs.popFirst()
        mutex.unlock()
        return job
    }

    /// Counts a thread out; with `mutex` held. Returns the ``retire()`` callers to resume (after unlocking) if it
    /// was the last one.
    private func threadEnded() -> [CheckedContinuation<Void, Never>] {
        threads -= 1
        guard threads == 0, !retireWaiters.isEmpty else { return [] }
        defer { retireWaiters = [] }
        return retireWaiters
    }
}
