@_spi(Internals) import AgentPolicy

/// Runs blocking file I/O on a thread of its own, one job at a time in submission order, and resumes the caller
/// after: a Swift concurrency thread never waits for the disk.
///
/// The thread is started on demand: when a job arrives and no thread is draining the queue, one starts
/// (`PlatformThread.startDetached`), runs jobs until the queue is empty, and ends. An idle store holds no thread,
/// and nothing needs a blocking wait (so no condition variable and no `@unchecked Sendable`): the queue is a
/// ``FileJournalWorkQueue`` value in a `LockedState`, whose methods say when to start a thread. A burst of appends
/// is drained by one thread; starting one costs tens of microseconds, far below one `fsync`.
final class FileJournalWorker: Sendable {
    private let queue = LockedState(FileJournalWorkQueue())

    /// Creates a worker with no thread.
    init() {}

    /// Runs `work` on the I/O thread and returns its result.
    ///
    /// The caller suspends (holding no thread) until the work is done. Cancellation does not stop work once
    /// submitted: an append either completes or fails.
    ///
    /// - Parameters:
    ///   - work: The blocking work.
    ///   - unavailable: The error thrown when no thread could be started.
    /// - Returns: What `work` returned.
    /// - Throws: What `work` threw, or `unavailable`.
    func perform<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value,
        unavailable: @escaping @Sendable () -> any Error
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            submit(
                FileJournalWorkQueue.Job(
                    run: { continuation.resume(with: Result { try work() }) },
                    refuse: { continuation.resume(throwing: unavailable()) }
                )
            )
        }
    }

    /// Queues `job`, starting a thread when none is draining the queue.
    ///
    /// - Parameter job: The job.
    func submit(_ job: FileJournalWorkQueue.Job) {
        guard queue.withLock({ $0.submit(job) }) == .startThread else { return }
        if PlatformThread.startDetached({ self.drain() }) { return }
        for refused in queue.withLock({ $0.threadFailedToStart() }) { refused.refuse() }
    }

    /// The thread's body: runs jobs until the queue is empty.
    private func drain() {
        while let job = queue.withLock({ $0.next() }) { job.run() }
    }
}

/// The I/O worker's queue and its one rule: exactly one thread drains it while it is not empty.
struct FileJournalWorkQueue: Sendable {
    /// A unit of blocking work and what to do if it can never run.
    struct Job: Sendable {
        /// Runs the work and resumes its caller.
        var run: @Sendable () -> Void
        /// Resumes its caller with an error: no thread could be started.
        var refuse: @Sendable () -> Void
    }

    /// What ``submit(_:)`` asks the worker to do.
    enum SubmitEffect: Equatable {
        /// A thread is already draining the queue.
        case none
        /// Start a thread to drain it.
        case startThread
    }

    private var jobs: [Job?] = []
    private var head = 0
    private var isDraining = false

    /// Queues a job.
    ///
    /// - Parameter job: The job.
    /// - Returns: Whether the worker must start a thread.
    mutating func submit(_ job: Job) -> SubmitEffect {
        jobs.append(job)
        guard !isDraining else { return .none }
        isDraining = true
        return .startThread
    }

    /// The next job for the draining thread, or `nil` (and the thread ends) when the queue is empty.
    ///
    /// - Returns: The job, first in first out.
    mutating func next() -> Job? {
        guard head < jobs.count else {
            jobs.removeAll(keepingCapacity: jobs.capacity <= 32)
            head = 0
            isDraining = false
            return nil
        }
        let job = jobs[head]
        jobs[head] = nil  // a finished job's closures (and the continuation they hold) go now
        head += 1
        return job
    }

    /// No thread could be started: every queued job is handed back to be refused.
    ///
    /// - Returns: The jobs to refuse.
    mutating func threadFailedToStart() -> [Job] {
        let refused = jobs[head...].compactMap { $0 }
        jobs.removeAll()
        head = 0
        isDraining = false
        return refused
    }
}
