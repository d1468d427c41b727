@_spi(Internals) import AgentPolicy

/// A client of one Model Context Protocol server: the lifecycle, requests matched to responses by id, cancellation,
/// progress, and the server's tools as library tools.
///
/// The client does no I/O itself: it speaks through an ``MCPTransport`` (the stdio transport of the `AgentMCPStdio`
/// product, or a test's fake). Its rules live in a value-type state machine; the client holds it in a lock and
/// performs the machine's effects (sending, resuming callers, reporting progress) after releasing it.
///
/// ```swift
/// let client = MCPClient(transport: try MCPStdioTransport(command: ["mcp-server-time"]))
/// let server = try await client.start()          // initialize, version negotiation, initialized
/// let tools = try await client.tools(prefix: "time")  // [MCPTool] named time.get_current_time, ...
/// let orchestrator = try Orchestrator(tools: tools)
/// // ... runs call the tools under the run's policy, budget and deadline ...
/// await client.close()
/// ```
///
/// The client speaks the initialization-based protocol revisions (``supportedProtocolVersions``, newest first). When
/// the connection ends (the server exits or crashes, or ``close()`` is called), every pending and later request
/// fails with an ``MCPError`` (``MCPError/Code/connectionClosed``, or the transport's own error). Cancelling the
/// task awaiting a request (a run's deadline does) sends `notifications/cancelled` for it and throws
/// `CancellationError`.
///
/// `Sendable`; its methods may be called from any task, concurrently.
public final class MCPClient: Sendable {
    /// The protocol revisions this client speaks, newest first; `initialize` offers the first.
    public static let supportedProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// The client's settings.
    public struct Configuration: Sendable {
        /// The server's name in error messages, such as its command line.
        public var serverLabel = "the MCP server"
        /// The name the client gives in `clientInfo`.
        public var clientName = "swift-agent-orchestration"
        /// The version the client gives in `clientInfo`.
        public var clientVersion = "1.0.0"
        /// How long ``MCPClient/start()`` waits for the answer to `initialize`, on the client's clock.
        public var initializeTimeout: Duration = .seconds(30)
        /// How long other requests of the client's own (`tools/list`, `ping`) wait; `nil` waits for ever. Tool
        /// calls have no timeout of their own: the run's deadline cancels them.
        public var requestTimeout: Duration? = .seconds(60)
        /// The longest message accepted from the server, in UTF-8 bytes: 4 MiB by default. A longer one closes the
        /// connection with ``MCPError/Code/messageTooLarge``.
        public var maximumMessageBytes = 4 * 1024 * 1024
        /// Called (on the transport's thread; keep it short) when the server says its tool list changed. Call
        /// ``MCPClient/tools(prefix:)`` again to get the new list.
        public var onToolsListChanged: (@Sendable () -> Void)?

        /// Creates the default configuration.
        public init() {}
    }

    /// What a request's waiter needs: where to resume, and where progress goes.
    package struct Waiter: Sendable {
        let continuation: CheckedContinuation<MCPRequestOutcome, Never>
        let onProgress: (@Sendable (MCPProgress) -> Void)?
    }

    /// The client's settings.
    public let configuration: Configuration
    private let transport: any MCPTransport
    private let sleeper: @Sendable (Duration) async throws -> Void
    private let state: LockedState<MCPClientState<Waiter>>
    private let description: LockedState<MCPServerDescription?>

    /// Creates a client that speaks through `transport`; nothing is sent before ``start()``.
    ///
    /// - Parameters:
    ///   - transport: The connection to the server.
    ///   - configuration: The client's settings.
    ///   - clock: The clock for the client's timeouts; a `ManualClock` (from AgentTesting) in tests.
    public init(
        transport: some MCPTransport,
        configuration: Configuration = Configuration(),
        clock: some Clock<Duration> = ContinuousClock()
    ) {
        self.transport = transport
        self.configuration = configuration
        self.sleeper = { duration in try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil) }
        self.state = LockedState(
            MCPClientState(
                serverLabel: configuration.serverLabel,
                maximumMessageBytes: configuration.maximumMessageBytes
            )
        )
        self.description = LockedState(nil)
    }

    /// The server as `initialize` described it, once ``start()`` has returned.
    public var server: MCPServerDescription? { description.withLock { $0 } }

    /// What the server sent that the client skipped (malformed lines, responses with unknown ids), and counters of
    /// tool-list changes.
    public var diagnostics: MCPClientDiagnostics { state.withLock { $0.diagnostics } }

    /// Opens the transport and initializes the connection: `initialize` (offering the newest of
    /// ``supportedProtocolVersions``), checks the version the server chose, then `notifications/initialized`.
    ///
    /// - Returns: The server's description.
    /// - Throws: ``MCPError``: ``MCPError/Code/timedOut`` when the server does not answer within
    ///   ``Configuration/initializeTimeout``; ``MCPError/Code/unsupportedProtocolVersion``;
    ///   ``MCPError/Code/serverError`` when it refuses; ``MCPError/Code/invalidState`` on a second start;
    ///   ``MCPError/Code/transportFailed`` or ``MCPError/Code/connectionClosed`` from the transport. On any error
    ///   the connection is closed. `CancellationError` if the task is cancelled.
    @discardableResult
    public func start() async throws -> MCPServerDescription {
        if let error = state.withLock({ $0.begin() }) { throw error }
        do {
            try await transport.open { [weak self] event in self?.handle(event) }
        } catch {
            perform(state.withLock { $0.connectionEnded(error) })
            throw error
        }
        let params: JSONValue = [
            "protocolVersion": .string(Self.supportedProtocolVersions[0]),
            "capabilities": [:],
            "clientInfo": ["name": .string(configuration.clientName), "version": .string(configuration.clientVersion)],
        ]
        do {
            let result = try await send(
                "initialize",
                params: { _ in params },
                timeout: configuration.initializeTimeout,
                notifyOnCancel: false
            )
            let server = try MCPServerDescription(initializeResult: result, serverLabel: configuration.serverLabel)
            description.withLock { $0 = server }
            perform(state.withLock { $0.initialized() })
            return server
        } catch {
            var failure = error as? MCPError
            if failure?.code == .timedOut {
                failure?.message =
                    "\(configuration.serverLabel) did not answer initialize within \(configuration.initializeTimeout)"
                    + "; check that the command starts an MCP server speaking stdio (its standard error may say why)"
            } else if failure?.code == .serverError {
                failure?.message +=
                    "; this client speaks the initialization-based revisions "
                    + Self.supportedProtocolVersions.joined(separator: ", ")
                    + ", and a server speaking only a stateless revision (2026-07-28) refuses initialize"
            }
            perform(state.withLock { $0.connectionEnded(failure) })
            await transport.close()
            throw failure ?? error
        }
    }

    /// Sends `ping` and waits for the answer.
    ///
    /// - Throws: ``MCPError`` (a closed connection, a timeout, a server error) or `CancellationError`.
    public func ping() async throws {
        _ = try await request("ping")
    }

    /// Sends a request and returns the server's `result`.
    ///
    /// - Parameters:
    ///   - method: The method, such as `tools/list`.
    ///   - params: Its parameters, if any.
    ///   - timeout: How long to wait, on the client's clock; `nil` for ``Configuration/requestTimeout``. At the
    ///     timeout the request is cancelled (the server gets `notifications/cancelled`).
    /// - Returns: The server's result.
    /// - Throws: ``MCPError`` (``MCPError/Code/serverError``, ``MCPError/Code/timedOut``,
    ///   ``MCPError/Code/connectionClosed``, ``MCPError/Code/invalidState`` before ``start()``), or
    ///   `CancellationError` when the task is cancelled (after `notifications/cancelled` is sent).
    public func request(_ method: String, params: JSONValue? = nil, timeout: Duration? = nil) async throws -> JSONValue
    {
        try await send(method, params: { _ in params }, timeout: timeout ?? configuration.requestTimeout)
    }

    /// Closes the connection: pending and later requests fail with ``MCPError/Code/connectionClosed``, and the
    /// transport ends (a stdio server is terminated). Safe to call more than once.
    public func close() async {
        perform(state.withLock { $0.connectionEnded(nil) })
        await transport.close()
    }

    // MARK: Requests

    /// Sends a request, waits for its outcome, and turns it into a value or an error.
    ///
    /// `params` receives the request's id, so a call can use it as its progress token.
    func send(
        _ method: String,
        params: (MCPRequestID) -> JSONValue?,
        timeout: Duration?,
        notifyOnCancel: Bool = true,
        onProgress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws -> JSONValue {
        let id = state.withLock { $0.allocateID() }
        let message = params(id)
        let outcome: MCPRequestOutcome
        if let timeout {
            outcome = await withTaskGroup(of: MCPRequestOutcome?.self) { group in
                group.addTask {
                    await self.outcome(of: id, method, message, notifyOnCancel: notifyOnCancel, onProgress: onProgress)
                }
                group.addTask {
                    do {
                        try await self.sleep(for: timeout)
                    } catch {
                        return nil  // cancelled: the request's own child reports it
                    }
                    return .failed(
                        MCPError(
                            code: .timedOut,
                            method: method,
                            message: "\(self.configuration.serverLabel) did not answer \(method) within \(timeout)"
                        )
                    )
                }
                var first: MCPRequestOutcome = .cancelled
                for await result in group {
                    guard let result else { continue }
                    first = result
                    break
                }
                group.cancelAll()
                return first
            }
        } else {
            outcome = await self.outcome(
                of: id,
                method,
                message,
                notifyOnCancel: notifyOnCancel,
                onProgress: onProgress
            )
        }
        switch outcome {
        case .result(let value): return value
        case .failed(let error): throw error
        case .cancelled: throw CancellationError()
        }
    }

    private func sleep(for duration: Duration) async throws {
        try await sleeper(duration)
    }

    /// Registers the request and suspends until its outcome; cancelling the task cancels the request.
    private func outcome(
        of id: MCPRequestID,
        _ method: String,
        _ params: JSONValue?,
        notifyOnCancel: Bool,
        onProgress: (@Sendable (MCPProgress) -> Void)?
    ) async -> MCPRequestOutcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<MCPRequestOutcome, Never>) in
                let waiter = Waiter(continuation: continuation, onProgress: onProgress)
                perform(state.withLock { $0.send(id: id, method: method, params: params, waiter: waiter) })
            }
        } onCancel: {
            let reason = "the caller cancelled the request (a run's deadline or cancellation)"
            perform(state.withLock { $0.cancel(id, reason: reason, notify: notifyOnCancel) })
        }
    }

    // MARK: Effects

    private func handle(_ event: MCPTransportEvent) {
        switch event {
        case .received(let text): perform(state.withLock { $0.received(text) })
        case .closed(let error): perform(state.withLock { $0.connectionEnded(error) })
        }
    }

    /// Performs a transition's effects; called with no lock held.
    private func perform(_ effects: MCPClientState<Waiter>.Effects) {
        for message in effects.messages { transport.send(message.jsonText) }
        for (waiter, progress) in effects.progress { waiter.onProgress?(progress) }
        if effects.toolsListChanged { configuration.onToolsListChanged?() }
        for (waiter, outcome) in effects.resumptions { waiter.continuation.resume(returning: outcome) }
    }
}
