#if os(macOS) || os(Linux)
    #if canImport(Darwin)
        import Darwin
    #elseif canImport(Glibc)
        import Glibc
    #elseif canImport(Musl)
        import Musl
    #endif
    public import AgentAdapters
    @_spi(Internals) import AgentPolicy

    /// The stdio transport of the Model Context Protocol: spawns a server process and speaks newline-delimited JSON
    /// over its standard input and output.
    ///
    /// ```swift
    /// import AgentMCPStdio
    ///
    /// let transport = try MCPStdioTransport(command: ["mcp-server-time"])
    /// let client = MCPClient(transport: transport)
    /// try await client.start()
    /// ```
    ///
    /// The process is started by ``open(_:)`` (`posix_spawnp`, so the command is searched in `PATH`, with the
    /// parent's environment). Three threads of its own, outside Swift's cooperative pool, do the blocking work: one
    /// reads standard output and frames lines, one writes queued messages to standard input, one keeps the last
    /// bytes of standard error (``standardErrorTail``) for error messages. No Swift concurrency thread ever blocks.
    ///
    /// When the server exits or crashes, the client gets `MCPError/Code/connectionClosed` naming the exit status
    /// and the end of its standard error, so pending and later calls fail with it. A line longer than
    /// ``Configuration/maximumLineBytes`` ends the connection with `MCPError/Code/messageTooLarge` and kills the
    /// server. ``close()`` closes the server's input, sends `SIGTERM`, then `SIGKILL` after
    /// ``Configuration/terminationGrace``, and returns once the process has been reaped.
    ///
    /// The transport's threads block `SIGPIPE`, so that writing to a server that exited reports an error and raises
    /// nothing the host sees; opening the first transport also sets `SIGPIPE` to be ignored when it has its default
    /// action.
    ///
    /// Available on macOS and Linux (posix_spawn is unavailable on tvOS and watchOS and not for iOS apps).
    public final class MCPStdioTransport: MCPTransport, Sendable {
        /// The transport's settings.
        public struct Configuration: Hashable, Sendable {
            /// The longest line accepted from the server, in bytes: 4 MiB by default (the client's default
            /// `MCPClient/Configuration/maximumMessageBytes` too).
            public var maximumLineBytes = 4 * 1024 * 1024
            /// How many bytes of the server's standard error are kept for error messages.
            public var standardErrorTailBytes = 4096
            /// How long `MCPStdioTransport/close()` waits after `SIGTERM` before `SIGKILL`.
            public var terminationGrace: Duration = .seconds(2)

            /// Creates the default configuration.
            public init() {}
        }

        private struct State: Sendable {
            var process: MCPStdioProcess?
            var handler: (@Sendable (MCPTransportEvent) -> Void)?
            var queue: [[UInt8]] = []
            var isClosing = false
            var hasEnded = false
            var closedDelivered = false
            var isReaped = false
            var standardErrorEnded = false
            var standardErrorTail: [UInt8] = []
            var endWaiters: [CheckedContinuation<Void, Never>] = []
        }

        /// The command and its arguments.
        public let command: [String]
        /// The transport's settings.
        public let configuration: Configuration
        private let state = LockedState(State())

        /// Creates a transport for `command`; nothing starts before ``open(_:)``.
        ///
        /// - Parameters:
        ///   - command: The executable (a name searched in `PATH`, or a path) and its arguments.
        ///   - configuration: The transport's settings.
        /// - Throws: `MCPError` with code `MCPError/Code/transportFailed` for an empty command.
        public init(command: [String], configuration: Configuration = Configuration()) throws(MCPError) {
            guard let first = command.first, !first.isEmpty else {
                throw MCPError(code: .transportFailed, message: "the stdio transport needs a command to run")
            }
            self.command = command
            self.configuration = configuration
        }

        /// The last bytes the server wrote to its standard error, as text.
        public var standardErrorTail: String {
            String(decoding: state.withLock { $0.standardErrorTail }, as: UTF8.self)
        }

        /// Spawns the server and starts its threads.
        ///
        /// - Parameter handler: Receives each line of the server's output, then the end of the connection.
        /// - Throws: `MCPError` with code `MCPError/Code/transportFailed` when the command cannot be started
        ///   or was opened before.
        public func open(_ handler: @escaping @Sendable (MCPTransportEvent) -> Void) async throws(MCPError) {
            guard state.withLock({ $0.process == nil && !$0.hasEnded }) else {
                throw MCPError(code: .transportFailed, message: "the stdio transport of \(label) was opened already")
            }
            let process = try MCPStdioProcess.spawn(command)
            state.withLock { state in
                state.process = process
                state.handler = handler
            }
            let readsErrors = PlatformThread.startDetached { [self] in readStandardError(process) }
            if !readsErrors {
                _ = Glue.close(process.stderrFD)
                state.withLock { $0.standardErrorEnded = true }
            }
            let writes = readsErrors && PlatformThread.startDetached { [self] in writeInput(process) }
            if !writes { _ = Glue.close(process.stdinFD) }
            let reads = writes && PlatformThread.startDetached { [self] in readOutput(process) }
            guard reads else {
                // The system could not start a thread. The server is killed; with no reader of its output to reap it
                // and end the connection, that is done here (at once, after SIGKILL), so that `close()` returns.
                Glue.signal(process.pid, SIGKILL)
                _ = Glue.close(process.stdoutFD)
                _ = Glue.wait(process.pid, block: true)
                let waiters = state.withLock { state in
                    state.isReaped = true
                    state.hasEnded = true
                    defer { state.endWaiters = [] }
                    return state.endWaiters
                }
                Self.wake(process.wakeWrite)
                for waiter in waiters { waiter.resume() }
                throw MCPError(code: .transportFailed, message: "could not start the threads serving \(label)")
            }
        }

        /// Queues a message for the server's standard input; never blocks.
        ///
        /// - Parameter message: One JSON-RPC message's text (a newline is added).
        public func send(_ message: String) {
            let wake: Int32? = state.withLock { state in
                guard let process = state.process, !state.isClosing, !state.hasEnded else { return nil }
                state.queue.append(Array(message.utf8) + [10])
                return process.wakeWrite
            }
            if let wake { Self.wake(wake) }
        }

        /// Terminates the server and waits until it has been reaped.
        public func close() async {
            let process: MCPStdioProcess? = state.withLock { state in
                let alreadyClosing = state.isClosing
                state.isClosing = true
                return alreadyClosing || state.hasEnded ? nil : state.process
            }
            if let process {
                Self.wake(process.wakeWrite)  // the writer flushes, then closes the server's input
                Glue.signal(process.pid, SIGTERM)
                let grace = Self.milliseconds(configuration.terminationGrace)
                _ = PlatformThread.startDetached { [self] in
                    Glue.pause(milliseconds: grace)
                    state.withLock { state in
                        if !state.isReaped { Glue.signal(process.pid, SIGKILL) }
                    }
                }
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { state in
                    guard state.process != nil, !state.hasEnded else { return true }
                    state.endWaiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }

        // MARK: Threads

        private var label: String { "\"" + command.joined(separator: " ") + "\"" }

        private func deliver(_ event: MCPTransportEvent) {
            let handler: (@Sendable (MCPTransportEvent) -> Void)? = state.withLock { state in
                guard !state.closedDelivered else { return nil }
                if case .closed = event { state.closedDelivered = true }
                return state.handler
            }
            handler?(event)
        }

        /// Reads standard output, delivers each line, and ends the connection at end of file.
        private func readOutput(_ process: MCPStdioProcess) {
            Glue.blockBrokenPipe()  // `finish` writes to the wake pipe
            let maximum = configuration.maximumLineBytes
            var line: [UInt8] = []
            var discarding = false
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let count = Glue.read(process.stdoutFD, into: buffer)
                guard count > 0 else { break }
                for byte in buffer[0..<count] {
                    if byte == 10 {
                        if !discarding {
                            if line.last == 13 { line.removeLast() }
                            if !line.isEmpty { deliver(.received(String(decoding: line, as: UTF8.self))) }
                        }
                        line.removeAll(keepingCapacity: true)
                    } else if !discarding {
                        line.append(byte)
                        if line.count > maximum {
                            discarding = true
                            line = []
                            deliver(.closed(tooLarge(maximum)))
                            Glue.signal(process.pid, SIGKILL)
                        }
                    }
                }
            }
            _ = Glue.close(process.stdoutFD)
            finish(process)
        }

        /// Reaps the process, reports how it ended, and releases the writer and ``close()``.
        private func finish(_ process: MCPStdioProcess) {
            var status: Int32?
            for _ in 0..<40 {
                status = Glue.wait(process.pid, block: false)
                if status != nil { break }
                Glue.pause(milliseconds: 50)
            }
            if status == nil {
                Glue.signal(process.pid, SIGKILL)
                status = Glue.wait(process.pid, block: true)
            }
            for _ in 0..<20 where !state.withLock({ $0.standardErrorEnded }) { Glue.pause(milliseconds: 25) }
            let (isClosing, tail) = state.withLock { state in
                state.isReaped = true
                return (state.isClosing, String(decoding: state.standardErrorTail, as: UTF8.self))
            }
            if isClosing {
                deliver(.closed(nil))
            } else {
                let end = Glue.describe(status: status ?? 0)
                let text = tail.isEmpty ? "" : "; its standard error ended with: " + tail
                deliver(
                    .closed(
                        MCPError(
                            code: .connectionClosed,
                            message: "the MCP server \(label) \(end)\(text)"
                        )
                    )
                )
            }
            let waiters = state.withLock { state in
                state.hasEnded = true
                defer { state.endWaiters = [] }
                return state.endWaiters
            }
            Self.wake(process.wakeWrite)
            for waiter in waiters { waiter.resume() }
        }

        private func tooLarge(_ maximum: Int) -> MCPError {
            MCPError(
                code: .messageTooLarge,
                message: "the MCP server \(label) wrote a line longer than \(maximum) bytes "
                    + "(MCPStdioTransport.Configuration.maximumLineBytes); it was stopped. Raise the limit if its "
                    + "messages are legitimately this large."
            )
        }

        /// Keeps the last bytes of standard error.
        private func readStandardError(_ process: MCPStdioProcess) {
            let keep = configuration.standardErrorTailBytes
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let count = Glue.read(process.stderrFD, into: buffer)
                guard count > 0 else { break }
                let bytes = Array(buffer[0..<count])
                state.withLock { state in
                    state.standardErrorTail += bytes
                    if state.standardErrorTail.count > keep {
                        state.standardErrorTail.removeFirst(state.standardErrorTail.count - keep)
                    }
                }
            }
            _ = Glue.close(process.stderrFD)
            state.withLock { $0.standardErrorEnded = true }
        }

        /// Writes queued messages until the transport closes or ends, then closes the server's input.
        private func writeInput(_ process: MCPStdioProcess) {
            Glue.blockBrokenPipe()  // a server that exited makes the next write fail with EPIPE, silently
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let (batch, stop) = state.withLock { state in
                    defer { state.queue = [] }
                    return (state.queue, state.isClosing || state.hasEnded)
                }
                var failed = false
                for message in batch where !failed { failed = !Glue.writeAll(process.stdinFD, message) }
                if stop || failed { break }
                guard Glue.read(process.wakeRead, into: buffer) > 0 else { break }
            }
            _ = Glue.close(process.stdinFD)
            // Both ends of the wake pipe stay open until the transport is released: a wake-up after the writer has
            // quit (from `finish`, `close()` or a late `send`) lands in a pipe that still has a reader, so it never
            // raises SIGPIPE (which a host's own handler would see on every close). `deinit` closes them.
        }

        deinit {
            if let process = state.withLock({ $0.process }) {
                _ = Glue.close(process.wakeRead)
                _ = Glue.close(process.wakeWrite)
            }
        }

        private static func wake(_ fd: Int32) {
            // A full pipe (EAGAIN) already holds a wake-up: nothing is lost.
            _ = Glue.writeAll(fd, [1])
        }

        private static func milliseconds(_ duration: Duration) -> UInt32 {
            let (seconds, attoseconds) = duration.components
            let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return seconds < 0 ? 0 : .max }
            let value = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
            return value.overflow ? .max : UInt32(clamping: max(0, value.partialValue))
        }
    }
#endif
