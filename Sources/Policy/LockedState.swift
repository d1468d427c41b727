#if !AGENT_TSAN_LOCKS
    import Synchronization
#endif

/// The library's one lock: a value guarded by a mutex.
///
/// Every piece of shared mutable state in the package goes through this type. Normal builds wrap
/// `Synchronization.Mutex`. ThreadSanitizer builds pass `-Xswiftc -DAGENT_TSAN_LOCKS`, which swaps in a
/// `pthread_mutex_t` (``PlatformMutex``): contended `Mutex` hand-offs on Linux happen in the kernel where TSan cannot
/// see them and produce false access-race reports.
///
/// Never call anything re-entrant inside ``withLock(_:)`` (for example `AsyncStream.Continuation.finish()`,
/// which runs `onTermination` synchronously): collect under the lock, act after it.
package final class LockedState<State>: Sendable {
    #if AGENT_TSAN_LOCKS
        private let storage: PthreadLockedStorage<State>
    #else
        private let mutex: Mutex<State>
    #endif

    /// Creates a lock guarding `initial`.
    package init(_ initial: sending State) {
        #if AGENT_TSAN_LOCKS
            storage = PthreadLockedStorage(initial)
        #else
            mutex = Mutex(initial)
        #endif
    }

    /// Runs `body` with exclusive access to the state.
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending State) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        #if AGENT_TSAN_LOCKS
            try storage.withLock(body)
        #else
            try mutex.withLock(body)
        #endif
    }
}

#if AGENT_TSAN_LOCKS
    /// A pthread-mutex-guarded box used only in ThreadSanitizer builds.
    ///
    /// Audited `@unchecked Sendable`: `value` is only touched between `mutex.lock()` and `mutex.unlock()`, so all
    /// access is serialised.
    private final class PthreadLockedStorage<State>: @unchecked Sendable {
        private let mutex = PlatformMutex()
        private var value: State

        init(_ initial: sending State) {
            value = initial
        }

        func withLock<Result, Failure: Error>(
            _ body: (inout sending State) throws(Failure) -> sending Result
        ) throws(Failure) -> sending Result {
            mutex.lock()
            defer { mutex.unlock() }
            return try body(&value)
        }
    }
#endif
