/// The one seam through which the library's bytes leave the process: an HTTP exchange, injected by the user.
///
/// The library ships no transport that does I/O. The provider codecs turn a ``ModelRequest`` into a
/// ``TransportRequest`` and a ``TransportResponse`` (or a streamed body) back into a ``ModelResponse``; an
/// application supplies the transport, for example over `URLSession` (see the `LiveModel` example) or
/// AsyncHTTPClient. MCP's streamable HTTP transport goes through the same seam.
///
/// Implementations must observe task cancellation and should throw ``ModelError`` with code
/// ``ModelError/Code/connectionFailed`` or ``ModelError/Code/timedOut`` when the exchange itself fails; an HTTP
/// error status is not an error of the transport: return it, and the codec maps it.
public protocol ModelTransport: Sendable {
    /// Sends a request and returns the whole response.
    ///
    /// - Parameter request: The request.
    /// - Returns: The response, whatever its status.
    /// - Throws: When no response arrived (connection, timeout), or `CancellationError`.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Sends a request and returns the response's head with its body as a stream of byte chunks.
    ///
    /// - Parameter request: The request.
    /// - Returns: The status, headers and body chunks.
    /// - Throws: When no response arrived, or `CancellationError`.
    func stream(_ request: TransportRequest) async throws -> TransportStream
}

extension ModelTransport {
    /// Streams by sending the request and yielding the whole body as one chunk, for transports that cannot stream.
    ///
    /// - Parameter request: The request.
    /// - Returns: The status, headers and the body as one chunk.
    /// - Throws: What ``send(_:)`` throws.
    public func stream(_ request: TransportRequest) async throws -> TransportStream {
        let response = try await send(request)
        let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        continuation.yield(response.body)
        continuation.finish()
        return TransportStream(status: response.status, headers: response.headers, chunks: chunks)
    }
}

/// An HTTP header: a name (compared without regard to ASCII case by ``TransportResponse/header(_:)``) and a value.
public struct TransportHeader: Hashable, Codable, Sendable {
    /// The header's name.
    public var name: String
    /// The header's value.
    public var value: String

    /// Creates a header.
    ///
    /// - Parameters:
    ///   - name: The header's name.
    ///   - value: The header's value.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An HTTP request as a value: method, URL, headers and body bytes.
public struct TransportRequest: Hashable, Codable, Sendable {
    /// The method, such as `POST`.
    public var method: String
    /// The absolute URL.
    public var url: String
    /// The headers, in order.
    public var headers: [TransportHeader]
    /// The body.
    public var body: [UInt8]

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - method: The method.
    ///   - url: The absolute URL.
    ///   - headers: The headers.
    ///   - body: The body.
    public init(method: String = "POST", url: String, headers: [TransportHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP response as a value: status, headers and body bytes.
public struct TransportResponse: Hashable, Codable, Sendable {
    /// The status code.
    public var status: Int
    /// The headers, in order.
    public var headers: [TransportHeader]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The headers.
    ///   - body: The body.
    public init(status: Int, headers: [TransportHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name`, compared without regard to ASCII case.
    ///
    /// - Parameter name: The header's name.
    /// - Returns: Its value, or `nil`.
    public func header(_ name: String) -> String? { TransportHeader.value(of: name, in: headers) }
}

/// A streamed HTTP response: the status and headers, and the body as chunks of bytes.
public struct TransportStream: Sendable {
    /// The status code.
    public var status: Int
    /// The headers, in order.
    public var headers: [TransportHeader]
    /// The body's chunks, as they arrive.
    public var chunks: AsyncThrowingStream<[UInt8], any Error>

    /// Creates a streamed response.
    ///
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The headers.
    ///   - chunks: The body's chunks.
    public init(status: Int, headers: [TransportHeader], chunks: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.chunks = chunks
    }

    /// The value of the first header named `name`, compared without regard to ASCII case.
    ///
    /// - Parameter name: The header's name.
    /// - Returns: Its value, or `nil`.
    public func header(_ name: String) -> String? { TransportHeader.value(of: name, in: headers) }
}

extension TransportHeader {
    static func value(of name: String, in headers: [TransportHeader]) -> String? {
        let wanted = Array(name.utf8).map(lowercased)
        return headers.first { Array($0.name.utf8).map(lowercased) == wanted }?.value
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}
