import AgentPolicy

/// A task executor with threads of its own, for agent work: an agent that never yields (a busy loop) occupies one
/// of these threads, never a thread of Swift's cooperative pool, so deadlines, the caller and other runs keep going.
///
/// Threads are made on demand, when a job arrives and no thread is idle, up to `maximum`; a thread idle for
/// `idleTimeout` ends. The idle wait is timed on the monotonic clock, so moving the wall clock neither ends idle
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

    private func startThread() {
        if PlatformThread.startDetached({ self.work() }) { return }
        // No thread: the job stays queued for a running or later thread.
        mutex.lock()
        threads -= 1
        mutex.unlock()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while let job = nextJob() {
            job.runSynchronously(on: executor)
        }
    }

    /// The next job, waiting while there is none; `nil` when the thread has been idle too long and should end.
    private func nextJob() -> UnownedJob? {
        mutex.lock()
        defer { mutex.unlock() }
        while jobs.isEmpty {
            idle += 1
            let timedOut = condition.wait(on: mutex, timeout: idleTimeout)
            idle -= 1
            if timedOut, jobs.isEmpty {
                threads -= 1
                return nil
            }
        }
        return jobs.popFirst()
    }
}
