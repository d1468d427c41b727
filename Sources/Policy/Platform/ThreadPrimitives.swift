// The package's one file of C-library code: the mutex, condition variable and thread behind `AgentThreadPool`
// (AgentOrchestration), the ThreadSanitizer build of `LockedState`, the real-time clock reading behind
// `WallClock.system`, and the CPU yield behind an event reader's watch (`ReaderWatch`). `.ci/platform-guard.sh`
// fails CI when a platform import appears anywhere else in the library.
//
// Each platform branch quotes the declaration it follows: the C prototype from the platform's header, then the
// signature Swift imports it as. Linux x86_64 (Glibc) is compiled and tested in CI. The Darwin branches follow
// Apple's libpthread `pthread.h` and are not compiled in CI; the Musl branches follow musl's `pthread.h` and are not
// compiled in CI either (see Docs/Platforms.md). Code shared by all branches compiles against every platform's
// import of the same prototype.

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("AgentPolicy's thread primitives support Darwin, Glibc and Musl")
#endif

/// A mutex from the platform's C library, for the places where `Synchronization.Mutex` does not fit.
///
/// `AgentThreadPool` needs one that a ``PlatformCondition`` can wait on, and the ThreadSanitizer build of
/// ``LockedState`` needs one whose hand-offs TSan can see. Everything else uses ``LockedState``.
///
/// The `pthread_mutex_t` lives in its own allocation, so its address never moves. `pthread_mutex_init`,
/// `pthread_mutex_lock`, `pthread_mutex_unlock` and `pthread_mutex_destroy` take a `pthread_mutex_t *` on every
/// platform (`UnsafeMutablePointer<pthread_mutex_t>`; implicitly unwrapped on Musl, whose header has no
/// nullability annotations), so this type has no platform branch.
package final class PlatformMutex {
    fileprivate let pointer: UnsafeMutablePointer<pthread_mutex_t>

    /// Creates an unlocked mutex with the platform's default attributes.
    package init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(pointer, nil)
        precondition(status == 0, "pthread_mutex_init failed with error \(status)")
    }

    deinit {
        pthread_mutex_destroy(pointer)
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// Locks the mutex, waiting while another thread holds it. The mutex is not recursive.
    package func lock() {
        let status = pthread_mutex_lock(pointer)
        precondition(status == 0, "pthread_mutex_lock failed with error \(status)")
    }

    /// Unlocks the mutex; the calling thread must hold it.
    package func unlock() {
        let status = pthread_mutex_unlock(pointer)
        precondition(status == 0, "pthread_mutex_unlock failed with error \(status)")
    }
}

@available(*, unavailable, message: "share a PlatformMutex only through a type audited for it, as AgentThreadPool does")
extension PlatformMutex: Sendable {}

/// A condition variable whose timed wait runs on a monotonic clock: moving the wall clock neither shortens nor
/// lengthens it.
///
/// On Glibc and Musl the condition is created with `pthread_condattr_setclock(CLOCK_MONOTONIC)` and waited on
/// with an absolute deadline read from `clock_gettime(CLOCK_MONOTONIC)`. Darwin has no
/// `pthread_condattr_setclock`; there the wait is `pthread_cond_timedwait_relative_np`, which takes the timeout
/// itself.
package final class PlatformCondition {
    private let pointer: UnsafeMutablePointer<pthread_cond_t>

    /// Creates a condition variable that ``wait(on:timeout:)`` times on the monotonic clock.
    package init() {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: pthread_cond_t())
        #if canImport(Darwin)
            // Darwin: int pthread_cond_init(pthread_cond_t * __restrict,
            //                               const pthread_condattr_t * _Nullable __restrict);
            // Swift:  pthread_cond_init(UnsafeMutablePointer<pthread_cond_t>, UnsafePointer<pthread_condattr_t>?)
            //             -> Int32
            let status = pthread_cond_init(pointer, nil)
        #else
            // Glibc: int pthread_condattr_setclock(pthread_condattr_t *__attr, __clockid_t __clock_id);
            // Musl:  int pthread_condattr_setclock(pthread_condattr_t *, clockid_t);
            // Swift: pthread_condattr_setclock(UnsafeMutablePointer<pthread_condattr_t>, Int32) -> Int32
            //        (Musl: UnsafeMutablePointer<pthread_condattr_t>!); CLOCK_MONOTONIC imports as Int32 on both.
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            defer { pthread_condattr_destroy(&attributes) }
            let clockStatus = pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            precondition(
                clockStatus == 0,
                "pthread_condattr_setclock(CLOCK_MONOTONIC) failed with error \(clockStatus)"
            )
            let status = pthread_cond_init(pointer, &attributes)
        #endif
        precondition(status == 0, "pthread_cond_init failed with error \(status)")
    }

    deinit {
        pthread_cond_destroy(pointer)
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// Wakes one thread waiting in ``wait(on:timeout:)``, if any.
    package func signal() {
        pthread_cond_signal(pointer)
    }

    /// Wakes every thread waiting in ``wait(on:timeout:)``.
    package func broadcast() {
        pthread_cond_broadcast(pointer)
    }

    /// Releases `mutex`, waits until signalled or until `timeout` has passed on the monotonic clock, and locks
    /// `mutex` again before returning.
    ///
    /// The caller must hold `mutex`. Like every condition wait, this one can also end without a signal (a spurious
    /// wake-up): check the condition you wait for after it returns. A negative timeout counts as zero; a timeout
    /// longer than `Int32.max` seconds (about 68 years) is cut to that.
    ///
    /// - Parameters:
    ///   - mutex: The mutex guarding the waited-for state, held by the caller.
    ///   - timeout: The longest time to wait.
    /// - Returns: `true` if the wait ended because `timeout` passed, `false` if it ended earlier.
    package func wait(on mutex: PlatformMutex, timeout: Duration) -> Bool {
        let (seconds, attoseconds) = min(max(timeout, .zero), .seconds(Int32.max)).components
        let nanoseconds = attoseconds / 1_000_000_000
        #if canImport(Darwin)
            // Darwin: int pthread_cond_timedwait_relative_np(pthread_cond_t *, pthread_mutex_t *,
            //                                                const struct timespec * _Nullable);
            // Swift:  pthread_cond_timedwait_relative_np(UnsafeMutablePointer<pthread_cond_t>,
            //             UnsafeMutablePointer<pthread_mutex_t>, UnsafePointer<timespec>?) -> Int32
            // The timeout is relative, measured by the kernel, not on the wall clock.
            var relative = timespec()
            relative.tv_sec = .init(clamping: seconds)
            relative.tv_nsec = .init(clamping: nanoseconds)
            return pthread_cond_timedwait_relative_np(pointer, mutex.pointer, &relative) == ETIMEDOUT
        #else
            // Glibc: int clock_gettime(clockid_t __clock_id, struct timespec *__tp);
            //        int pthread_cond_timedwait(pthread_cond_t *__restrict __cond,
            //            pthread_mutex_t *__restrict __mutex, const struct timespec *__restrict __abstime);
            // Musl:  the same prototypes without parameter names.
            // Swift: clock_gettime(Int32, UnsafeMutablePointer<timespec>) -> Int32
            //        pthread_cond_timedwait(UnsafeMutablePointer<pthread_cond_t>,
            //            UnsafeMutablePointer<pthread_mutex_t>, UnsafePointer<timespec>) -> Int32
            //        (Musl: implicitly unwrapped pointers). The deadline is on CLOCK_MONOTONIC, the clock `init` set.
            var deadline = timespec()
            clock_gettime(CLOCK_MONOTONIC, &deadline)
            let totalNanoseconds = Int64(deadline.tv_nsec) + nanoseconds
            deadline.tv_sec = .init(clamping: Int64(deadline.tv_sec) + seconds + totalNanoseconds / 1_000_000_000)
            deadline.tv_nsec = .init(clamping: totalNanoseconds % 1_000_000_000)
            return pthread_cond_timedwait(pointer, mutex.pointer, &deadline) == ETIMEDOUT
        #endif
    }
}

@available(
    *,
    unavailable,
    message: "share a PlatformCondition only through a type audited for it, as AgentThreadPool does"
)
extension PlatformCondition: Sendable {}

/// Starts threads of the platform's C library, outside Swift's cooperative thread pool.
package enum PlatformThread {
    /// Starts a detached thread that runs `body` and then ends.
    ///
    /// - Parameter body: The thread's work. It runs once, on the new thread.
    /// - Returns: `true` if the thread started; `false` if the system refused to make one (for example at its
    ///   thread limit), in which case `body` never runs.
    package static func startDetached(_ body: @escaping @Sendable () -> Void) -> Bool {
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        #if canImport(Glibc)
            // Glibc: typedef unsigned long int pthread_t;
            //        int pthread_create(pthread_t *__restrict __newthread, const pthread_attr_t *__restrict __attr,
            //                           void *(*__start_routine) (void *), void *__restrict __arg);
            // Swift: pthread_create(UnsafeMutablePointer<pthread_t>, UnsafePointer<pthread_attr_t>?,
            //            @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
            //            UnsafeMutableRawPointer?) -> Int32
            var thread = pthread_t()
        #else
            // Darwin: typedef __darwin_pthread_t pthread_t;  (struct _opaque_pthread_t *, never null)
            //         int pthread_create(pthread_t * __restrict, const pthread_attr_t * _Nullable __restrict,
            //                            void *(* _Nonnull)(void *), void * _Nullable __restrict);
            //         (in `assume_nonnull`; pthread.h's other, all-`_Nullable` declaration sits behind
            //         `#if !_PTHREAD_SWIFT_IMPORTER_NULLABILITY_COMPAT()`, whose expansion
            //         `!defined(SWIFT_CLASS_EXTRA) && (...)` is false because Swift's Clang importer defines
            //         SWIFT_CLASS_EXTRA, so Swift imports this one)
            // Swift:  pthread_create(UnsafeMutablePointer<pthread_t?>, UnsafePointer<pthread_attr_t>?,
            //             @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?,
            //             UnsafeMutableRawPointer?) -> Int32
            // Musl:   typedef struct __pthread *pthread_t;
            //         int pthread_create(pthread_t *__restrict, const pthread_attr_t *__restrict,
            //                            void *(*)(void *), void *__restrict);
            // Swift:  pthread_create(UnsafeMutablePointer<pthread_t?>!, UnsafePointer<pthread_attr_t>!,
            //             @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
            //             UnsafeMutableRawPointer!) -> Int32
            var thread: pthread_t? = nil
        #endif
        // The start routine's argument is non-optional on Darwin and optional on Glibc and Musl: `run` takes an
        // optional, so this one closure converts to either (and to the all-`_Nullable` Darwin declaration too).
        let status = pthread_create(&thread, nil, { PlatformThread.run($0) }, context)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            return false
        }
        // int pthread_detach(pthread_t); Swift: pthread_detach(pthread_t) -> Int32 (Glibc: UInt; Darwin: the
        // non-optional pointer; Musl: `pthread_t!`). `as pthread_t?` then `!` reads the thread on all three.
        pthread_detach((thread as pthread_t?)!)
        return true
    }

    /// Offers the rest of the calling thread's time slice to another thread that is ready to run on its CPU;
    /// returns at once when there is none.
    ///
    /// For a waiting side that shares one CPU with the side it waits for (an event reader and the run delivering to
    /// it): checking a flag in a loop would keep the other side from ever running, yielding lets it.
    package static func yield() {
        // Darwin, Glibc, Musl: int sched_yield(void);
        // Swift: sched_yield() -> Int32 (it fails only where it is not supported, and then has nothing to yield).
        sched_yield()
    }

    /// The start routine's body: takes back the retained ``ThreadBody`` and runs it.
    private static func run(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        guard let context else { return nil }  // `startDetached` always passes its body.
        Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
        return nil
    }
}

/// The work of one thread, handed to the start routine as a retained pointer.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}

/// The system's real-time clock: the time since the Unix epoch, the same reading in every process on every machine
/// whose clock is set (what a journaled deadline needs to survive a restart; `ContinuousClock` counts from boot).
///
/// - Returns: The time since 1970-01-01T00:00:00Z.
package func systemRealTimeNow() -> Duration {
    // Darwin, Glibc, Musl: int clock_gettime(clockid_t clock_id, struct timespec *tp);
    // Swift: clock_gettime(clockid_t, UnsafeMutablePointer<timespec>) -> Int32 (CLOCK_REALTIME is a clockid_t).
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return .seconds(Int64(now.tv_sec)) + .nanoseconds(Int64(now.tv_nsec))
}
