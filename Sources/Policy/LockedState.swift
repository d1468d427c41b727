#if !AGENT_TSAN_LOCKS
    // Public because `withLock` is `@inlinable` and reads the `Mutex`; only the `Internals` SPI below uses it.
    public import Synchronization
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
///
/// Not part of the documented API: the type is `public` only behind `@_spi(Internals)`, so that `withLock` can be
/// `@inlinable` and the package's other modules get it specialised for their state types (a `package` method is
/// not inlined across modules). See `Docs/LockedStateSPI.md`.
@_spi(Internals)
public final class LockedState<State>: Sendable {
    #if AGENT_TSAN_LOCKS
        @usableFromInline
        let storage: PthreadLockedStorage<State>
    #else
        @usableFromInline
        let mutex: Mutex<State>
    #endif

    /// Creates a lock guarding `initial`.
    @inlinable
    public init(_ initial: sending State) {
        #if AGENT_TSAN_LOCKS
            storage = PthreadLockedStorage(initial)
        #else
            mutex = Mutex(initial)
        #endif
    }

    /// Runs `body` with exclusive access to the state.
    @inlinable
    public func withLock<Result, Failure: Error>(
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
    /// access is serialised. Not inlinable: ThreadSanitizer builds are not tuned for speed.
    @usableFromInline
    final class PthreadLockedStorage<State>: @unchecked Sendable {
        private let mutex = PlatformMutex()
        private var value: State

        @usableFromInline
        init(_ initial: sending State) {
            value = initial
        }

        @usableFromInline
        func withLock<Result, Failure: Error>(
            _ body: (inout sending State) throws(Failure) -> sending Result
        ) throws(Failure) -> sending Result {
            mutex.lock()
            defer { mutex.unlock() }
            return try body(&value)
        }
    }
#endif
