#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A task executor with threads of its own, for agent work: an agent that never yields (a busy loop) occupies one
/// of these threads, never a thread of Swift's cooperative pool, so deadlines, the caller and other runs keep going.
///
/// Threads are made on demand, when a job arrives and no thread is idle, up to `maximum`; a thread idle for
/// `idleTimeout` ends. Jobs run in arrival order.
///
/// Audited `@unchecked Sendable`: every stored property is either immutable or guarded by `mutex`, and the
/// condition variable is only waited on with `mutex` held. (`Synchronization.Mutex` offers no condition variable,
/// which idle threads need to wait without spinning.)
final class AgentThreadPool: TaskExecutor, @unchecked Sendable {
    private let maximum: Int
    private let idleTimeout: Duration
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var threads = 0
    private var idle = 0

    init(maximum: Int, idleTimeout: Duration = .seconds(5)) {
        self.maximum = max(1, maximum)
        self.idleTimeout = idleTimeout
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        // Threads hold a strong reference while they live, so none is left when this runs.
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Queues `job`; wakes an idle thread or starts a new one.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        jobs.append(job)
        // An idle thread that was signalled counts as idle until it wakes, so compare the jobs waiting with the
        // idle threads: a job that no idle thread will take gets a thread of its own, never a queue behind a busy
        // agent.
        if idle > 0 { pthread_cond_signal(condition) }
        var spawn = false
        if jobs.count - head > idle, threads < maximum {
            threads += 1
            spawn = true
        }
        pthread_mutex_unlock(mutex)
        if spawn { startThread() }
    }

    private func startThread() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread,
            nil,
            { context in
                let pool = Unmanaged<AgentThreadPool>.fromOpaque(context!).takeRetainedValue()
                pool.work()
                return nil
            },
            context
        )
        if status == 0 {
            pthread_detach(thread)
        } else {
            // No thread: give the reference back; the job stays queued for a running or later thread.
            Unmanaged<AgentThreadPool>.fromOpaque(context).release()
            pthread_mutex_lock(mutex)
            threads -= 1
            pthread_mutex_unlock(mutex)
        }
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while let job = nextJob() {
            job.runSynchronously(on: executor)
        }
    }

    /// The next job, waiting while there is none; `nil` when the thread has been idle too long and should end.
    private func nextJob() -> UnownedJob? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while head == jobs.count {
            idle += 1
            var deadline = timespec()
            clock_gettime(CLOCK_REALTIME, &deadline)
            let (seconds, attoseconds) = idleTimeout.components
            deadline.tv_sec += Int(seconds)
            deadline.tv_nsec += Int(attoseconds / 1_000_000_000)
            if deadline.tv_nsec >= 1_000_000_000 {
                deadline.tv_sec += 1
                deadline.tv_nsec -= 1_000_000_000
            }
            let status = pthread_cond_timedwait(condition, mutex, &deadline)
            idle -= 1
            if status == ETIMEDOUT, head == jobs.count {
                threads -= 1
                return nil
            }
        }
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }
}
