/// Something went wrong talking to a Model Context Protocol server: a malformed or oversized message, a server that
/// ended, did not answer in time or answered with an error, or a client used out of order.
///
/// Codes are a struct with static members rather than an enum, so new codes never break a client's `switch`. Every
/// message names the server (its ``MCPClient/Configuration/serverLabel``), the method or tool concerned and what to
/// do. Inside a run, an MCP tool's error reaches the agent as a `ToolError` with code `toolFailed` whose message
/// carries this error's ``description``.
public struct MCPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its stable name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A line from the server is not a JSON-RPC 2.0 message. The client skips such lines and counts them.
        public static let malformedMessage = Code(rawValue: "malformedMessage")
        /// A line from the server is longer than ``MCPClient/Configuration/maximumMessageBytes``; the connection
        /// is closed, because the rest of the stream can no longer be trusted.
        public static let messageTooLarge = Code(rawValue: "messageTooLarge")
        /// The connection ended (the server exited, crashed or closed its output, or the client closed it);
        /// pending and later requests fail with this code.
        public static let connectionClosed = Code(rawValue: "connectionClosed")
        /// The server did not answer in time (for example `initialize` within
        /// ``MCPClient/Configuration/initializeTimeout``).
        public static let timedOut = Code(rawValue: "timedOut")
        /// The server answered a request with a JSON-RPC error; ``MCPError/rpcCode`` holds its code.
        public static let serverError = Code(rawValue: "serverError")
        /// The server chose a protocol version this client does not speak.
        public static let unsupportedProtocolVersion = Code(rawValue: "unsupportedProtocolVersion")
        /// The server's answer does not have the shape the specification gives it.
        public static let invalidResult = Code(rawValue: "invalidResult")
        /// The tool ran and reported an error (`isError: true`); the message holds its text content.
        public static let toolReportedError = Code(rawValue: "toolReportedError")
        /// The client was used out of order: a request before ``MCPClient/start()`` finished, or a second start.
        public static let invalidState = Code(rawValue: "invalidState")
        /// The transport could not open the connection (for example the server's command was not found).
        public static let transportFailed = Code(rawValue: "transportFailed")

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The request's method (`tools/call`, `initialize`, ...) or the tool, when one is concerned.
    public var method: String?
    /// For ``Code/serverError``, the JSON-RPC error code the server sent.
    public var rpcCode: Int64?
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - method: The method or tool concerned, if any.
    ///   - rpcCode: The server's JSON-RPC error code, for ``Code/serverError``.
    ///   - message: What went wrong and what to do about it.
    public init(code: Code, method: String? = nil, rpcCode: Int64? = nil, message: String) {
        self.code = code
        self.method = method
        self.rpcCode = rpcCode
        self.message = message
    }

    /// A one-line summary: `MCPError.<code> (<method>): <message>`.
    public var description: String {
        "MCPError.\(code)" + (method.map { " (\($0))" } ?? "") + ": " + message
    }

    static func malformed(_ message: String) -> MCPError {
        MCPError(code: .malformedMessage, message: "malformed MCP message: " + message)
    }
}
