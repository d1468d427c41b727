// The stdio transport's C-library calls: pipes, posix_spawnp, read/write, waitpid, kill. Each platform branch quotes
// the declaration it follows (Glibc is compiled and tested in CI; the Darwin branch follows the macOS SDK's
// <spawn.h>, <unistd.h> and <crt_externs.h> and is not compiled in CI, see Docs/Platforms.md). posix_spawn is
// prohibited on tvOS and watchOS and not meant for iOS apps, so the transport exists on macOS and Linux only.

#if os(macOS) || os(Linux)
    #if canImport(Darwin)
        import Darwin
    #elseif canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif
    import AgentAdapters
    @_spi(Internals) import AgentPolicy

    /// A spawned server process and the parent's ends of its three pipes.
    struct MCPStdioProcess: Sendable {
        let pid: pid_t
        /// Write end of the child's standard input.
        let stdinFD: Int32
        /// Read end of the child's standard output.
        let stdoutFD: Int32
        /// Read end of the child's standard error.
        let stderrFD: Int32
        /// Read and write ends of the writer thread's wake-up pipe.
        let wakeRead: Int32
        let wakeWrite: Int32

        /// Held from making a server's pipes until it has been spawned, so that no other server spawned at the same
        /// time inherits one of them in the moment before it is marked close-on-exec (`pipe2`, which makes that
        /// moment go away, is not visible through the Glibc module; Darwin has none). A server holding the write end
        /// of another's output would keep that one's reader from ever seeing the end of file. On Darwin the spawn
        /// also passes `POSIX_SPAWN_CLOEXEC_DEFAULT`, which covers processes spawned by other code too.
        /// (It counts the spawns: a lock over an empty value draws ThreadSanitizer access-race reports on that
        /// zero-size value, as the `w10j` branch found.)
        private static let spawning = LockedState(0)

        /// Spawns `command` (searched in `PATH`) with the parent's environment and pipes for its standard streams.
        static func spawn(_ command: [String]) throws(MCPError) -> MCPStdioProcess {
            try spawning.withLock { spawns throws(MCPError) in
                spawns += 1
                return try spawnHoldingLock(command)
            }
        }

        private static func spawnHoldingLock(_ command: [String]) throws(MCPError) -> MCPStdioProcess {
            // Writing to a pipe whose reader has exited raises SIGPIPE, whose default action ends the process: the
            // writer thread must get EPIPE instead. Ignored only while it has its default action.
            // Glibc: __sighandler_t signal(int, __sighandler_t); Darwin: void (*signal(int, void (*)(int)))(int);
            // Swift imports both as returning an optional C function, `nil` being SIG_DFL (the overlays define
            // SIG_DFL as nil and SIG_ERR as the bit pattern -1).
            if let previous = signal(SIGPIPE, SIG_IGN), unsafeBitCast(previous, to: Int.self) != -1 {
                _ = signal(SIGPIPE, previous)  // the host chose its own handling: keep it
            }

            var fds: [Int32] = []
            func closeAll() { for fd in fds { _ = Glue.close(fd) } }
            for _ in 0..<4 {
                var pair: [Int32] = [-1, -1]
                // Both: int pipe(int fds[2]); Swift: pipe(UnsafeMutablePointer<Int32>!) -> Int32
                guard pipe(&pair) == 0 else {
                    closeAll()
                    throw failure("pipe() failed: \(Glue.errorText())", command)
                }
                fds += pair
                // Both: int fcntl(int, int, ...); Swift: fcntl(Int32, Int32, Int32) -> Int32 (variadic overloads)
                _ = fcntl(pair[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(pair[1], F_SETFD, FD_CLOEXEC)
            }
            // fds: [stdin r, stdin w, stdout r, stdout w, stderr r, stderr w, wake r, wake w]
            _ = fcntl(fds[7], F_SETFL, O_NONBLOCK)

            #if canImport(Darwin)
                // Darwin: typedef void *posix_spawn_file_actions_t;
                //         int posix_spawn_file_actions_init(posix_spawn_file_actions_t *);
                // Swift:  posix_spawn_file_actions_init(UnsafeMutablePointer<posix_spawn_file_actions_t?>!) -> Int32
                var actions: posix_spawn_file_actions_t? = nil
            #else
                // Glibc: typedef struct { ... } posix_spawn_file_actions_t;
                //        int posix_spawn_file_actions_init(posix_spawn_file_actions_t *__file_actions);
                // Swift: posix_spawn_file_actions_init(UnsafeMutablePointer<posix_spawn_file_actions_t>!) -> Int32
                var actions = posix_spawn_file_actions_t()
            #endif
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            // Both: int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *, int, int);
            posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
            posix_spawn_file_actions_adddup2(&actions, fds[3], 1)
            posix_spawn_file_actions_adddup2(&actions, fds[5], 2)

            // The server gets a process group of its own, so that closing it also ends what it started (a wrapper
            // such as `uvx` or `npx` and its child), and nothing holds its output open after it ends.
            #if canImport(Darwin)
                // Darwin: typedef void *posix_spawnattr_t;
                // Swift:  posix_spawnattr_init(UnsafeMutablePointer<posix_spawnattr_t?>!) -> Int32
                var attributes: posix_spawnattr_t? = nil
            #else
                // Glibc: typedef struct { ... } posix_spawnattr_t;
                // Swift: posix_spawnattr_init(UnsafeMutablePointer<posix_spawnattr_t>!) -> Int32
                var attributes = posix_spawnattr_t()
            #endif
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            // Both: int posix_spawnattr_setflags(posix_spawnattr_t *, short);
            //       int posix_spawnattr_setpgroup(posix_spawnattr_t *, pid_t);  (0: a new group led by the child)
            //       int posix_spawnattr_setsigmask(posix_spawnattr_t *, const sigset_t *);
            //       int posix_spawnattr_setsigdefault(posix_spawnattr_t *, const sigset_t *);
            // The child starts with no signal blocked (the spawning thread's mask would be inherited) and with
            // SIGPIPE and SIGTERM at their default action (an ignored disposition survives exec).
            #if canImport(Darwin)
                // Darwin (<spawn.h>, an Apple extension): #define POSIX_SPAWN_CLOEXEC_DEFAULT 0x4000: every
                // descriptor not named by a file action is closed in the child, whoever opened it without the flag.
                let flags =
                    POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_CLOEXEC_DEFAULT
            #else
                let flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
            #endif
            posix_spawnattr_setflags(&attributes, Int16(flags))
            posix_spawnattr_setpgroup(&attributes, 0)
            // sigset_t: a struct on Glibc, UInt32 on Darwin; `sigset_t()` is the empty set's storage on both.
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGPIPE)
            sigaddset(&defaults, SIGTERM)
            posix_spawnattr_setsigdefault(&attributes, &defaults)

            var arguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
            arguments.append(nil)
            defer { for argument in arguments { free(argument) } }
            #if canImport(Darwin)
                // Darwin: char ***_NSGetEnviron(void);  (<crt_externs.h>; `environ` is not visible to Swift)
                let environment = _NSGetEnviron()!.pointee
            #else
                // Glibc: extern char **environ;  Swift: var environ: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>!
                let environment = environ
            #endif
            var pid: pid_t = 0
            // Both: int posix_spawnp(pid_t *, const char *, const posix_spawn_file_actions_t *,
            //                        const posix_spawnattr_t *, char *const argv[], char *const envp[]);
            let status = posix_spawnp(&pid, command[0], &actions, &attributes, arguments, environment)
            // The child's ends belong to the child now.
            _ = Glue.close(fds[0])
            _ = Glue.close(fds[3])
            _ = Glue.close(fds[5])
            guard status == 0 else {
                for fd in [fds[1], fds[2], fds[4], fds[6], fds[7]] { _ = Glue.close(fd) }
                let reason = String(cString: strerror(status))
                throw failure(
                    "could not start \"\(command[0])\": \(reason). Check that it is installed and on PATH.",
                    command
                )
            }
            return MCPStdioProcess(
                pid: pid,
                stdinFD: fds[1],
                stdoutFD: fds[2],
                stderrFD: fds[4],
                wakeRead: fds[6],
                wakeWrite: fds[7]
            )
        }

        private static func failure(_ message: String, _ command: [String]) -> MCPError {
            MCPError(code: .transportFailed, message: message)
        }
    }

    /// Thin wrappers over the C calls, the same on every platform.
    enum Glue {
        /// Blocks SIGPIPE on the calling (dedicated) thread, so that a write to a server that has exited returns EPIPE
        /// and raises nothing the host sees: a SIGPIPE a write causes is sent to the writing thread, stays pending
        /// while blocked, and is discarded when the thread ends. Both: int pthread_sigmask(int, const sigset_t *,
        /// sigset_t *); Swift: pthread_sigmask(Int32, UnsafePointer<sigset_t>!, UnsafeMutablePointer<sigset_t>!).
        static func blockBrokenPipe() {
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGPIPE)
            _ = pthread_sigmask(SIG_BLOCK, &signals, nil)
        }

        /// Both: int close(int);
        static func close(_ fd: Int32) -> Int32 {
            #if canImport(Darwin)
                Darwin.close(fd)
            #elseif canImport(Glibc)
                Glibc.close(fd)
            #else
                Musl.close(fd)
            #endif
        }

        /// Reads up to `buffer.count` bytes, retrying on EINTR; 0 at end of file, -1 on error.
        /// Both: ssize_t read(int, void *, size_t); Swift: read(Int32, UnsafeMutableRawPointer!, Int) -> Int
        static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
            while true {
                let count = readFD(fd, buffer.baseAddress, buffer.count)
                if count >= 0 || errno != EINTR { return count }
            }
        }

        /// Writes all of `bytes`, retrying on EINTR and partial writes; `false` on another error (EPIPE).
        /// Both: ssize_t write(int, const void *, size_t); Swift: write(Int32, UnsafeRawPointer!, Int) -> Int
        static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let count = writeFD(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += count
                }
                return true
            }
        }

        /// Waits for the process to end; returns its raw status. `block: false` returns `nil` while it runs.
        /// Both: pid_t waitpid(pid_t, int *, int); Swift: waitpid(pid_t, UnsafeMutablePointer<Int32>!, Int32) -> pid_t
        static func wait(_ pid: pid_t, block: Bool) -> Int32? {
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, block ? 0 : WNOHANG)
                if result == pid { return status }
                if result == 0 { return nil }
                if errno == EINTR { continue }
                return 0  // already reaped (ECHILD): nothing more to learn
            }
        }

        /// Sends `signal` to the server's process group (its pid: see `spawn`). Both: int kill(pid_t, int);
        static func signal(_ pid: pid_t, _ signal: Int32) {
            _ = kill(-pid, signal)
        }

        /// Sleeps the calling (dedicated) thread, a second at most per call of `usleep` (whose `useconds_t` is 32 bits
        /// wide on both), so that no length overflows. Both: int usleep(useconds_t);
        static func pause(milliseconds: UInt32) {
            var left = milliseconds
            while left > 0 {
                let now = min(left, 1000)
                _ = usleep(now * 1000)
                left -= now
            }
        }

        /// How a raw wait status reads (the WIFEXITED/WEXITSTATUS/WTERMSIG macros, which Swift does not import;
        /// the encoding is the same on Linux and Darwin).
        static func describe(status: Int32) -> String {
            let signal = status & 0x7f
            if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
            return "was killed by signal \(signal)"
        }

        /// The text of `errno`.
        static func errorText() -> String { String(cString: strerror(errno)) }

        private static func readFD(_ fd: Int32, _ pointer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
            #if canImport(Darwin)
                Darwin.read(fd, pointer, count)
            #elseif canImport(Glibc)
                Glibc.read(fd, pointer, count)
            #else
                Musl.read(fd, pointer, count)
            #endif
        }

        private static func writeFD(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
            #if canImport(Darwin)
                Darwin.write(fd, pointer, count)
            #elseif canImport(Glibc)
                Glibc.write(fd, pointer, count)
            #else
                Musl.write(fd, pointer, count)
            #endif
        }
    }
#endif
