/// How an ``MCPClient`` reaches its server: the seam between the protocol (values, no I/O) and the bytes.
///
/// A transport carries whole JSON-RPC messages as text, one per ``send(_:)`` and one per
/// ``MCPTransportEvent/received(_:)``. The stdio transport (product `AgentMCPStdio`) frames them as lines on a
/// child process's pipes; ``MCPHTTPTransport`` POSTs them through the injected HTTP seam; a test can connect a
/// client to an in-process fake server.
///
/// Contract:
/// - ``open(_:)`` is called once, before any ``send(_:)``; from then on the transport calls the handler for every
///   message it receives, from any thread (the client accepts concurrent calls), and finally once with
///   ``MCPTransportEvent/closed(_:)``; nothing after that.
/// - ``send(_:)`` never blocks or suspends: it queues the text (the client calls it after releasing its lock, also
///   from a task's cancellation handler). A failure to deliver ends the connection with
///   ``MCPTransportEvent/closed(_:)``.
/// - ``close()`` ends the connection (a stdio transport terminates its server) and returns once it has ended;
///   calling it again, or after the connection ended by itself, does nothing more.
public protocol MCPTransport: Sendable {
    /// Opens the connection and starts delivering what arrives to `handler`.
    ///
    /// - Parameter handler: Called with every received message, then once with ``MCPTransportEvent/closed(_:)``.
    /// - Throws: ``MCPError`` with code ``MCPError/Code/transportFailed`` when the connection cannot be opened.
    func open(_ handler: @escaping @Sendable (MCPTransportEvent) -> Void) async throws(MCPError)

    /// Queues one message (JSON text without a newline) for the server; never blocks.
    ///
    /// - Parameter message: The message's JSON text.
    func send(_ message: String)

    /// Ends the connection and waits until it has ended.
    func close() async
}

/// What a transport reports to its client.
public enum MCPTransportEvent: Hashable, Sendable {
    /// One message arrived, as text (a line without its newline, for stdio).
    case received(String)
    /// The connection ended; the error says why (a crashed server with its exit status and the end of its
    /// standard error, an oversized line), `nil` after ``MCPTransport/close()``.
    case closed(MCPError?)
}
