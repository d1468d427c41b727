// One file for two test targets: Tests/OrchestrationTests/Support/Watchdog.swift and
// Tests/TaskGraphTests/Support/Watchdog.swift are symbolic links to this one (test targets cannot share a module).
@_spi(Internals) import AgentPolicy
import Testing

/// The error ``withWatchdog(_:seconds:state:onTimeout:sourceLocation:_:)`` throws when its body is still running at the deadline.
struct WatchdogTimeout: Error, CustomStringConvertible {
    /// What the body was doing, as the test named it.
    var what: String
    /// The real-time bound that passed.
    var seconds: Int

    var description: String { "did not finish within \(seconds) s: \(what)" }
}

/// A first-wins latch: the first `resolve` sets the value and wakes the waiter; later ones are ignored.
private final class WatchdogLatch<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiter: CheckedContinuation<Value, Never>?
    }

    private let state = LockedState(State())

    func resolve(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>? = state.withLock { state in
            guard case .none = state.value else { return nil }
            state.value = value
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: value)
    }

    func wait() async -> Value {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            let value: Value? = state.withLock { state in
                if let value = state.value { return value }
                state.waiter = continuation
                return nil
            }
            if let value { continuation.resume(returning: value) }
        }
    }
}

/// How much longer the bound is in a ThreadSanitizer build (`.ci/run` step 5 passes `-DAGENT_TSAN_LOCKS`).
///
/// There every job costs about ten times as much, and Swift Testing starts all of the suite's tests at once on the
/// two cooperative threads: a passing body that takes milliseconds alone waits behind hundreds of other tests' jobs
/// at every suspension. Measured on two cores, the whole suite under the sanitizer, bodies with no hang took up to
/// 10 s (23 s for the crash-at-every-boundary tests, which ask for 30). A hang still ends as a named failure, a
/// minute later; the plain run (step 4) and the mutation check keep the 5 s bound.
let watchdogScale: Int = {
    #if AGENT_TSAN_LOCKS
        12
    #else
        1
    #endif
}()

/// Sleeps until `duration` of real time has passed *while this process's tasks were being scheduled*.
///
/// The sleep is taken in 50 ms ticks, and a tick that ends late counts as at most two ticks: the late part is time
/// the cooperative threads spent elsewhere (other tests' jobs, a CPU-heavy test holding both threads, a machine
/// loaded by other processes), during which the watched body could not run either. A hang (a deadlock, a sleeper
/// nobody wakes) leaves the threads free, every tick ends on time, and the bound passes in `duration` of real time;
/// a starved process stretches it instead of failing tests that were only waiting for a thread. Measured on two
/// cores with three builds running beside the suite, every test that failed a plain 5 s bound failed at the same
/// instant, after a stall of the whole process.
///
/// - Parameter duration: The scheduled time to sleep.
/// - Throws: `CancellationError` when the task is cancelled.
func sleepWhileScheduled(for duration: Duration) async throws {
    let clock = ContinuousClock()
    let tick = Duration.milliseconds(50)
    var counted = Duration.zero
    while counted < duration {
        let start = clock.now
        try await clock.sleep(for: tick)
        counted += min(start.duration(to: clock.now), tick * 2)
    }
}

/// Runs `body` with a real-time bound: if it has not finished after `seconds`, records an issue naming `what` (and
/// `state`, read at that moment), calls `onTimeout` (to release whatever the body may be stuck on) and throws
/// ``WatchdogTimeout``.
///
/// The bound is a failure bound only, never a timing assertion: a passing body finishes in milliseconds. The body
/// runs in its own unstructured task and is abandoned (cancelled, never awaited) at the deadline, so a body that
/// ignores cancellation (a deadlock, a busy loop, a sleeper nobody wakes on a manual clock) still turns into a named
/// failure within seconds instead of the suite's time limit or a hung run.
///
/// - Parameters:
///   - what: What the body does, for the failure message ("fail-fast cancels the siblings").
///   - seconds: The real-time bound; 5 s unless the test needs more. Multiplied by ``watchdogScale`` in a
///     ThreadSanitizer build.
///   - state: What the test has seen so far, evaluated only at the deadline and added to the message.
///   - onTimeout: Called on the test's task after the issue is recorded, to unblock the abandoned body.
///   - sourceLocation: Where the issue is reported; the caller by default.
///   - body: The test's work.
/// - Returns: What `body` returns.
/// - Throws: What `body` throws, or ``WatchdogTimeout`` at the deadline.
func withWatchdog<T: Sendable>(
    _ what: String,
    seconds: Int = 5,
    state: @autoclosure @Sendable () -> String = "",
    onTimeout: @Sendable () -> Void = {},
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let latch = WatchdogLatch<Result<T, any Error>>()
    let work = Task {
        do {
            latch.resolve(.success(try await body()))
        } catch {
            latch.resolve(.failure(error))
        }
    }
    let bound = seconds * watchdogScale
    let timer = Task {
        do { try await sleepWhileScheduled(for: .seconds(bound)) } catch { return }
        latch.resolve(.failure(WatchdogTimeout(what: what, seconds: bound)))
    }
    let result = await withTaskCancellationHandler {
        await latch.wait()
    } onCancel: {
        latch.resolve(.failure(CancellationError()))
    }
    timer.cancel()
    if case .failure(let error as WatchdogTimeout) = result {
        let seen = state()
        Issue.record(seen.isEmpty ? "\(error)" : "\(error) (\(seen))", sourceLocation: sourceLocation)
        work.cancel()  // abandoned: never awaited
        onTimeout()
        throw error
    }
    if case .failure = result { work.cancel() }
    return try result.get()
}
