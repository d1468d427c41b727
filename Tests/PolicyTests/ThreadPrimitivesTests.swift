import AgentPolicy
import Testing

/// The platform primitives behind `AgentThreadPool` and the ThreadSanitizer lock: thread start, mutex hand-off and
/// a condition wait timed on the monotonic clock.
///
/// No test sleeps: a wait either ends at once (zero timeout) or is ended by a signal long before its timeout.
@Suite("Thread primitives", .timeLimit(.suite))
struct ThreadPrimitivesTests {
    @Test("A zero or negative timeout ends the wait at once, reported as a timeout")
    func zeroTimeout() {
        let mutex = PlatformMutex()
        let condition = PlatformCondition()
        mutex.lock()
        defer { mutex.unlock() }
        for timeout in [Duration.zero, .seconds(-5)] {
            // Nobody signals; a `false` could only be a spurious wake-up, so allow a few.
            var timedOut = false
            for _ in 0..<100 where !timedOut {
                timedOut = condition.wait(on: mutex, timeout: timeout)
            }
            #expect(timedOut, "a \(timeout) wait never reported its timeout")
        }
    }

    @Test("A signalled wait ends early and is not reported as a timeout; the thread runs its body once")
    func signalledWait() {
        nonisolated(unsafe) let mutex = PlatformMutex()
        nonisolated(unsafe) let condition = PlatformCondition()
        nonisolated(unsafe) var runs = 0  // guarded by `mutex`
        mutex.lock()
        // The new thread can take the mutex only once this thread waits (the wait releases it), so its signal
        // always finds a waiter.
        let started = PlatformThread.startDetached {
            mutex.lock()
            runs += 1
            condition.signal()
            mutex.unlock()
        }
        #expect(started)
        var timeouts = 0
        while started, runs == 0 {
            if condition.wait(on: mutex, timeout: .seconds(60)) { timeouts += 1 }
        }
        let observedRuns = runs
        mutex.unlock()
        #expect(observedRuns == 1)
        #expect(
            timeouts == 0,
            "a 60 s wait timed out before the signal: the deadline and the condition's clock disagree"
        )
    }
}
