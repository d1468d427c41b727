@_spi(Internals) import AgentPolicy

/// The Streamable HTTP transport of the Model Context Protocol, over the library's injected HTTP seam
/// (``ModelTransport``, the same one the model codecs use): each message is POSTed to the server's endpoint, and
/// the answer (a JSON body, or a `text/event-stream` of messages) goes back to the client.
///
/// The transport does no I/O itself, so its work runs in ``run()``, which the caller runs beside the client in a
/// task group of its own (no unstructured task is made):
///
/// ```swift
/// let http = MCPHTTPTransport(endpoint: "https://example.com/mcp", transport: myHTTPClient)
/// let client = MCPClient(transport: http)
/// await withTaskGroup(of: Void.self) { group in
///     group.addTask { await http.run() }
///     // try await client.start(), client.tools(), runs...
///     await client.close()  // ends run()
/// }
/// ```
///
/// It keeps the `Mcp-Session-Id` the server gives with its `initialize` answer and sends it, with
/// `MCP-Protocol-Version`, on every later request. An HTTP error status or a failed request turns into a JSON-RPC
/// error for that request (naming the status), so the waiting call fails with ``MCPError/Code/serverError``; a
/// `404` once a session exists ends the connection (the session expired). Requests run concurrently, so a long tool
/// call never holds up a `ping` or a cancellation; their messages may reach the client from concurrent tasks.
///
/// An event-stream answer is decoded with ``ServerSentEventDecoder``, the decoder the model codecs use: the data of
/// each event is one message, whatever the event's type. Unlike a browser, the transport keeps a last event that
/// the server closed the stream on without its blank line. An event larger than ``maximumEventBytes`` fails the
/// request it answers.
public final class MCPHTTPTransport: MCPTransport, Sendable {
    private struct State: Sendable {
        var handler: (@Sendable (MCPTransportEvent) -> Void)?
        var sessionID: String?
        var protocolVersion: String?
        var isClosed = false
    }

    /// The default limit on one server-sent event of an event-stream answer: 4 MiB.
    public static let defaultMaximumEventBytes = 4 << 20

    /// The server's MCP endpoint.
    public let endpoint: String
    /// Headers sent with every request (for example `Authorization`).
    public let headers: [TransportHeader]
    /// The most bytes one server-sent event of an event-stream answer may hold.
    ///
    /// A larger event fails the request it answers (its caller gets ``MCPError/Code/serverError`` naming the limit),
    /// and the rest of that answer is not read.
    public let maximumEventBytes: Int
    private let http: any ModelTransport
    private let outbox: AsyncStream<String>
    private let outboxContinuation: AsyncStream<String>.Continuation
    private let state = LockedState(State())

    /// Creates a transport; nothing is sent before the client's `initialize`.
    ///
    /// - Parameters:
    ///   - endpoint: The server's MCP endpoint URL.
    ///   - transport: The HTTP seam that performs requests.
    ///   - headers: Headers for every request.
    ///   - maximumEventBytes: The most bytes one server-sent event may hold; at least 1.
    public init(
        endpoint: String,
        transport: some ModelTransport,
        headers: [TransportHeader] = [],
        maximumEventBytes: Int = MCPHTTPTransport.defaultMaximumEventBytes
    ) {
        self.endpoint = endpoint
        self.http = transport
        self.headers = headers
        self.maximumEventBytes = max(1, maximumEventBytes)
        (outbox, outboxContinuation) = AsyncStream.makeStream(of: String.self)
    }

    /// The session id the server assigned, once `initialize` has been answered.
    public var sessionID: String? { state.withLock { $0.sessionID } }

    /// Sends queued messages until ``close()``: one concurrent POST per message. Run it beside the client.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for await message in outbox {
                group.addTask { await self.post(message) }
            }
            group.cancelAll()
        }
    }

    /// Connects the client's handler.
    ///
    /// - Parameter handler: Receives every message the server sends, then the end of the connection.
    /// - Throws: ``MCPError`` with code ``MCPError/Code/transportFailed`` when opened twice or after closing.
    public func open(_ handler: @escaping @Sendable (MCPTransportEvent) -> Void) async throws(MCPError) {
        let opened = state.withLock { state in
            guard state.handler == nil, !state.isClosed else { return false }
            state.handler = handler
            return true
        }
        guard opened else {
            throw MCPError(code: .transportFailed, message: "the HTTP transport to \(endpoint) was opened already")
        }
    }

    /// Queues a message for ``run()``; never blocks.
    ///
    /// - Parameter message: One JSON-RPC message's text.
    public func send(_ message: String) {
        outboxContinuation.yield(message)
    }

    /// Ends the connection: ``run()`` stops taking messages and cancels requests in flight.
    public func close() async {
        outboxContinuation.finish()
        end(nil)
    }

    // MARK: Requests

    /// Fed after the last chunk of an event stream, so that a last event without its blank line is dispatched.
    private static let endOfEvent: [UInt8] = [0x0A, 0x0A]

    private func end(_ error: MCPError?) {
        let handler: (@Sendable (MCPTransportEvent) -> Void)? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return state.handler
        }
        handler?(.closed(error))
        if error != nil { outboxContinuation.finish() }
    }

    private func deliver(_ text: String) {
        let handler = state.withLock { $0.isClosed ? nil : $0.handler }
        handler?(.received(text))
    }

    private func post(_ text: String) async {
        let message = try? MCPMessage(parsing: text)
        var requestID: MCPRequestID?
        var isInitialize = false
        if case .request(let id, let method, _) = message {
            requestID = id
            isInitialize = method == "initialize"
        }
        let (session, version) = state.withLock { ($0.sessionID, $0.protocolVersion) }
        var requestHeaders =
            headers + [
                TransportHeader("Content-Type", "application/json"),
                TransportHeader("Accept", "application/json, text/event-stream"),
            ]
        if let session { requestHeaders.append(TransportHeader("Mcp-Session-Id", session)) }
        if let version { requestHeaders.append(TransportHeader("MCP-Protocol-Version", version)) }
        let request = TransportRequest(method: "POST", url: endpoint, headers: requestHeaders, body: Array(text.utf8))
        do {
            let response = try await http.stream(request)
            if isInitialize, let assigned = response.header("Mcp-Session-Id") {
                state.withLock { $0.sessionID = assigned }
            }
            guard (200..<300).contains(response.status) else {
                var body: [UInt8] = []
                for try await chunk in response.chunks where body.count < 2048 { body += chunk }
                if response.status == 404, session != nil {
                    end(
                        MCPError(
                            code: .connectionClosed,
                            message: "the MCP server at \(endpoint) no longer knows session \(session ?? ""); "
                                + "make a new client to start a new session"
                        )
                    )
                    return
                }
                fail(requestID, "HTTP status \(response.status): " + String(decoding: body.prefix(2048), as: UTF8.self))
                return
            }
            let type = response.header("Content-Type") ?? ""
            if type.hasPrefix("text/event-stream") {
                var decoder = ServerSentEventDecoder(maximumEventBytes: maximumEventBytes)
                for try await chunk in response.chunks {
                    for event in try decoder.feed(chunk) { received(event.data, initialize: isInitialize) }
                }
                // Unlike a browser, keep a last event that the server closed without its blank line: two line
                // feeds end a pending line (or the LF of a CR LF pair), then dispatch the pending event.
                for event in try decoder.feed(Self.endOfEvent) { received(event.data, initialize: isInitialize) }
            } else {
                var body: [UInt8] = []
                for try await chunk in response.chunks { body += chunk }
                let text = String(decoding: body, as: UTF8.self)
                if !text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\r" }) {
                    received(text, initialize: isInitialize)
                }
            }
        } catch is CancellationError {
            return
        } catch {
            fail(requestID, "the request failed: \(error)")
        }
    }

    /// Delivers one message; the answer to `initialize` also gives the protocol version for later headers.
    private func received(_ text: String, initialize: Bool) {
        if initialize, case .result(_, let result)? = try? MCPMessage(parsing: text),
            let version = result["protocolVersion"]?.stringValue
        {
            state.withLock { $0.protocolVersion = version }
        }
        deliver(text)
    }

    /// Answers a request that failed at the HTTP level with a JSON-RPC error, so its caller learns why.
    private func fail(_ id: MCPRequestID?, _ reason: String) {
        guard let id else { return }
        let error = MCPErrorObject(code: -32000, message: "POST \(endpoint): " + reason)
        deliver(MCPMessage.error(id: id, error).jsonText)
    }
}
