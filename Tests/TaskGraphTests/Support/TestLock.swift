#if AGENT_TSAN_LOCKS
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif
#else
    import Synchronization
#endif

/// The test suite's one lock, mirroring `AgentPolicy.LockedState` (which tests of this module cannot import).
///
/// Normal builds wrap `Synchronization.Mutex`; ThreadSanitizer builds (`-Xswiftc -DAGENT_TSAN_LOCKS`) use a
/// `pthread_mutex_t`, because contended `Mutex` hand-offs on Linux produce false TSan reports.
final class TestLock<State>: Sendable {
    #if AGENT_TSAN_LOCKS
        private let storage: PthreadStorage<State>
    #else
        private let mutex: Mutex<State>
    #endif

    init(_ initial: sending State) {
        #if AGENT_TSAN_LOCKS
            storage = PthreadStorage(initial)
        #else
            mutex = Mutex(initial)
        #endif
    }

    func withLock<Result, Failure: Error>(
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
    /// Audited `@unchecked Sendable`: `value` is only touched while `mutex` is held.
    private final class PthreadStorage<State>: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        private var value: State

        init(_ initial: sending State) {
            value = initial
            pthread_mutex_init(&mutex, nil)
        }

        deinit { pthread_mutex_destroy(&mutex) }

        func withLock<Result, Failure: Error>(
            _ body: (inout sending State) throws(Failure) -> sending Result
        ) throws(Failure) -> sending Result {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            return try body(&value)
        }
    }
#endif
