public import AgentAdapters
@_spi(Internals) import AgentPolicy

/// A fake MCP server in the test's process, connected to an `MCPClient` as its transport: it answers
/// `initialize`, `ping`, `tools/list` (one page per entry of its tool pages, linked by cursors) and `tools/call`
/// (through a handler), records every message it receives, and lets the test push any line or end the connection.
///
/// ```swift
/// let server = InMemoryMCPServer(toolPages: [[MCPToolDefinition(name: "echo")]]) { call in
///     [InMemoryMCPServer.reply(to: call, with: MCPToolResult(content: [["type": "text", "text": "hi"]]))]
/// }
/// let client = MCPClient(transport: server)
/// try await client.start()
/// let tools = try await client.tools(prefix: "fake")    // fake.echo
/// #expect(server.received(method: "tools/list").count == 1)
/// ```
///
/// Replies go back synchronously, inside the client's `MCPTransport/send(_:)`, so a test needs no sleeps. A call
/// the handler leaves unanswered (an empty array) stays pending until the test delivers a reply, the connection
/// ends or the caller cancels it. `Sendable`; every method may be called from any task.
public final class InMemoryMCPServer: MCPTransport, Sendable {
    /// One `tools/call` the server received.
    public struct Call: Sendable {
        /// The request's id.
        public var id: MCPRequestID
        /// The tool's name.
        public var name: String
        /// The arguments sent.
        public var arguments: JSONValue
        /// The progress token the client attached, if any.
        public var progressToken: JSONValue?
    }

    private struct State: Sendable {
        var handler: (@Sendable (MCPTransportEvent) -> Void)?
        var received: [MCPMessage] = []
        var waiters: [(method: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var isClosed = false
    }

    /// The `serverInfo.name` the server gives.
    public let name: String
    /// The protocol version the server answers `initialize` with.
    public let protocolVersion: String
    /// Whether the server answers `initialize` at all.
    public let answersInitialize: Bool
    private let toolPages: [[MCPToolDefinition]]
    private let onCall: @Sendable (Call) -> [MCPMessage]
    private let state = LockedState(State())

    /// Creates a server.
    ///
    /// - Parameters:
    ///   - name: Its `serverInfo.name`.
    ///   - protocolVersion: The version it chooses in its `initialize` answer.
    ///   - answersInitialize: `false` for a server that never answers `initialize`.
    ///   - toolPages: Its tools, one `tools/list` page per element.
    ///   - onCall: Answers a `tools/call` with the messages to send back (progress, the result); none to leave it
    ///     pending.
    public init(
        name: String = "fake-server",
        protocolVersion: String = MCPClient.supportedProtocolVersions[0],
        answersInitialize: Bool = true,
        toolPages: [[MCPToolDefinition]] = [],
        onCall: @escaping @Sendable (Call) -> [MCPMessage] = { _ in [] }
    ) {
        self.name = name
        self.protocolVersion = protocolVersion
        self.answersInitialize = answersInitialize
        self.toolPages = toolPages
        self.onCall = onCall
    }

    /// The result message answering `call`.
    ///
    /// - Parameters:
    ///   - call: The call to answer.
    ///   - result: The tool's result.
    /// - Returns: The response message.
    public static func reply(to call: Call, with result: MCPToolResult) -> MCPMessage {
        var members: [String: JSONValue] = ["content": .array(result.content), "isError": .bool(result.isError)]
        if let structured = result.structuredContent { members["structuredContent"] = structured }
        return .result(id: call.id, result: .object(members))
    }

    // MARK: MCPTransport

    /// Connects the client's handler.
    ///
    /// - Parameter handler: The client's event handler.
    /// - Throws: Never; the signature is the protocol's.
    public func open(_ handler: @escaping @Sendable (MCPTransportEvent) -> Void) async throws(MCPError) {
        state.withLock { $0.handler = handler }
    }

    /// Receives one message from the client and answers it at once.
    ///
    /// - Parameter message: The message's JSON text.
    public func send(_ message: String) {
        guard let parsed = try? MCPMessage(parsing: message) else { return }
        let resumed: [CheckedContinuation<Void, Never>]? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.received.append(parsed)
            var due: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard Self.count(waiter.method, in: state.received) >= waiter.count else { return false }
                due.append(waiter.continuation)
                return true
            }
            return due
        }
        guard let resumed else { return }
        for continuation in resumed { continuation.resume() }
        for reply in answer(parsed) { deliver(reply) }
    }

    /// Ends the connection, as a client's close does.
    public func close() async {
        end(nil)
    }

    // MARK: Test controls

    /// Every message received, in order.
    public var received: [MCPMessage] { state.withLock { $0.received } }

    /// The requests and notifications received with `method`.
    ///
    /// - Parameter method: A method, such as `tools/call` or `notifications/cancelled`.
    /// - Returns: The matching messages, in order.
    public func received(method: String) -> [MCPMessage] {
        received.filter { Self.method(of: $0) == method }
    }

    /// Suspends until `count` messages with `method` have been received.
    ///
    /// - Parameters:
    ///   - method: The method to wait for.
    ///   - count: How many.
    public func waitForMessages(method: String, count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if Self.count(method, in: state.received) >= count { return true }
                state.waiters.append((method, count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Sends one line of text to the client, as the server's output.
    ///
    /// - Parameter text: The line (without a newline); need not be valid.
    public func deliver(_ text: String) {
        let handler = state.withLock { $0.isClosed ? nil : $0.handler }
        handler?(.received(text))
    }

    /// Sends one message to the client.
    ///
    /// - Parameter message: The message.
    public func deliver(_ message: MCPMessage) { deliver(message.jsonText) }

    /// Ends the connection as a crashed server would: the client gets a `MCPError/Code/connectionClosed` error.
    ///
    /// - Parameter reason: What the error says.
    public func crash(_ reason: String = "the fake server exited with status 1") {
        end(MCPError(code: .connectionClosed, message: reason))
    }

    /// Whether the connection has ended.
    public var isClosed: Bool { state.withLock { $0.isClosed } }

    // MARK: Behaviour

    private func end(_ error: MCPError?) {
        let handler: (@Sendable (MCPTransportEvent) -> Void)? = state.withLock { state in
            guard !state.isClosed else { return nil }
            state.isClosed = true
            return state.handler
        }
        handler?(.closed(error))
    }

    private func answer(_ message: MCPMessage) -> [MCPMessage] {
        guard case .request(let id, let method, let params) = message else { return [] }
        switch method {
        case "initialize":
            guard answersInitialize else { return [] }
            let result: JSONValue = [
                "protocolVersion": .string(protocolVersion),
                "capabilities": ["tools": ["listChanged": true]],
                "serverInfo": ["name": .string(name), "version": "1.0.0"],
            ]
            return [.result(id: id, result: result)]
        case "ping":
            return [.result(id: id, result: [:])]
        case "tools/list":
            let page = params?["cursor"]?.stringValue.flatMap { Int($0.dropFirst("page-".count)) } ?? 0
            guard page < max(toolPages.count, 1) else {
                return [.error(id: id, MCPErrorObject(code: -32602, message: "Invalid cursor"))]
            }
            var result: [String: JSONValue] = [
                "tools": .array(toolPages.isEmpty ? [] : toolPages[page].map(\.json))
            ]
            if page + 1 < toolPages.count { result["nextCursor"] = .string("page-\(page + 1)") }
            return [.result(id: id, result: .object(result))]
        case "tools/call":
            let call = Call(
                id: id,
                name: params?["name"]?.stringValue ?? "",
                arguments: params?["arguments"] ?? [:],
                progressToken: params?["_meta"]?["progressToken"]
            )
            return onCall(call)
        default:
            return [.error(id: id, MCPErrorObject(code: -32601, message: "Method not found: \(method)"))]
        }
    }

    private static func method(of message: MCPMessage) -> String? {
        switch message {
        case .request(_, let method, _), .notification(let method, _): method
        case .result, .error: nil
        }
    }

    private static func count(_ method: String, in messages: [MCPMessage]) -> Int {
        messages.count { Self.method(of: $0) == method }
    }
}
