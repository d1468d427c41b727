import AgentAdapters
// W0-floor-handoff (informative, our own): the least a run with a hard deadline costs on this machine when its
// agent code runs on a dedicated thread, as the default configuration does. One job handed from a task on Swift's
// global pool to a parked thread of our own, and the task resumed on the global pool when the job is done: the two
// hand-offs every such run makes, with no orchestration. As is, each hand-off may wake an idle CPU; pinned to one
// CPU (`taskset -c 0`), neither can. Docs/Performance.md compares W1 with it.
@_spi(Internals) import AgentPolicy

/// One dedicated thread that runs the work it is given and parks on a condition variable while it has none: the
/// shape of the orchestrator's agent threads (`AgentThreadPool`) with one thread and no idle timeout.
///
/// Audited `@unchecked Sendable`: `jobs`, `started` and `parked` are read and written only while `mutex` is held,
/// and the condition is waited on only by the one thread, with `mutex` held.
final class HandoffThread: @unchecked Sendable {
    private let mutex = PlatformMutex()
    private let condition = PlatformCondition()
    // Guarded by `mutex`.
    private var jobs: [@Sendable () -> Void] = []
    private var started = false
    private var parked = false

    /// Queues `job` and wakes the thread if it is parked; starts the thread on first use.
    func submit(_ job: @escaping @Sendable () -> Void) {
        mutex.lock()
        jobs.append(job)
        let start = !started
        started = true
        let wake = parked
        mutex.unlock()
        if wake { condition.signal() }
        // The thread holds the executor for the rest of the process (the benchmark's lifetime).
        if start { _ = PlatformThread.startDetached { self.work() } }
    }

    private func work() {
        while true {
            mutex.lock()
            while jobs.isEmpty {
                parked = true
                _ = condition.wait(on: mutex, timeout: .seconds(3_600))
                parked = false
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            mutex.unlock()
            for job in batch { job() }
        }
    }
}

/// Hands `input` to `thread` and waits for it there: the caller's task suspends, the thread resumes it, and it
/// continues on the global pool (as a run continues when its agent's step ends on an agent thread).
func handoffFloor(_ input: JSONValue, on thread: HandoffThread) async -> JSONValue {
    await withCheckedContinuation { (continuation: CheckedContinuation<JSONValue, Never>) in
        thread.submit { continuation.resume(returning: input) }
    }
}
