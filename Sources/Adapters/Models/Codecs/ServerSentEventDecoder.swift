/// One server-sent event: its type, its data and the last event id seen so far.
///
/// Produced by ``ServerSentEventDecoder`` when a blank line ends an event that carried at least one `data:` line.
public struct ServerSentEvent: Hashable, Sendable {
    /// The event's type: the last `event:` field's value, or `message` when it had none.
    public var event: String
    /// The event's data: its `data:` lines' values joined with a line feed.
    public var data: String
    /// The last event id the stream set (`id:`), carried over from earlier events as the WHATWG spec says; `nil`
    /// until the stream sets one.
    public var id: String?
    /// The reconnection time in milliseconds from the last valid `retry:` field, if any.
    public var retry: Int64?

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - event: The event's type.
    ///   - data: The event's data.
    ///   - id: The last event id.
    ///   - retry: The reconnection time in milliseconds.
    public init(event: String = "message", data: String, id: String? = nil, retry: Int64? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}

/// A server-sent event stream that could not be decoded: an event larger than the decoder's limit.
public struct ServerSentEventError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong; an open set, with the decoder's codes as static members.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable {
        /// The code's name.
        public let rawValue: String

        /// Creates a code from its name.
        ///
        /// - Parameter rawValue: The name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An event (its pending line plus its data so far) grew past ``ServerSentEventDecoder/maximumEventBytes``.
        public static let eventTooLarge = Code(rawValue: "eventTooLarge")
    }

    /// What went wrong.
    public var code: Code
    /// The limit that was exceeded, in bytes.
    public var limit: Int
    /// What went wrong and what to do, in words.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - limit: The limit that was exceeded, in bytes.
    ///   - message: What went wrong and what to do.
    public init(code: Code, limit: Int, message: String) {
        self.code = code
        self.limit = limit
        self.message = message
    }

    /// The code and the message.
    public var description: String { "ServerSentEventError.\(code.rawValue): \(message)" }
}

/// How a server-sent event stream ended, as ``ServerSentEventDecoder/finish()`` reports it.
public enum ServerSentEventStreamEnd: Hashable, Sendable {
    /// Every byte belonged to an event or a comment that a blank line closed.
    case complete
    /// Bytes arrived after the last blank line (an unfinished line or an event without its closing blank line);
    /// the spec discards them. The payload counts them.
    case truncated(pendingBytes: Int)
}

/// An incremental decoder of server-sent events (the WHATWG HTML "event stream" format): feed it bytes as they
/// arrive, in chunks of any size, and it returns the events completed so far.
///
/// Lines end with CR LF, LF or CR, also when a CR LF pair is split between two chunks. A line that starts with a
/// colon is a comment. Other lines are `field: value` (one space after the colon is dropped) or a field name alone.
/// `data` lines are joined with a line feed; `event` sets the type (default `message`); `id` sets the last event id
/// unless its value contains NUL; `retry` sets the reconnection time when it is all ASCII digits; other fields are
/// ignored. A blank line dispatches the event when it has data. A byte-order mark at the start is skipped. Lines are
/// decoded as UTF-8 only once complete, so a multi-byte character split between chunks arrives whole; invalid
/// UTF-8 becomes U+FFFD.
///
/// **Memory.** The bytes of one event (its unfinished line plus its data so far) may not exceed
/// ``maximumEventBytes`` (1 MiB by default): a stream that never sends a line break or a blank line cannot make the
/// decoder hold unbounded memory. Exceeding it throws ``ServerSentEventError`` with code
/// ``ServerSentEventError/Code/eventTooLarge``; the decoder should then be discarded.
///
/// The decoder is a `Sendable` value with no I/O: feed it from one task.
///
/// ```swift
/// var decoder = ServerSentEventDecoder()
/// let events = try decoder.feed(Array("data: {\"a\":1}\n\n".utf8))  // one event, data {"a":1}
/// ```
public struct ServerSentEventDecoder: Sendable {
    /// The default limit on one event's bytes: 1 MiB.
    public static let defaultMaximumEventBytes = 1 << 20

    /// The most bytes one event may hold (its unfinished line plus its data so far).
    public let maximumEventBytes: Int

    private var line: [UInt8] = []
    private var afterCarriageReturn = false
    private var atStreamStart = true
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: [UInt8] = []
    private var lastEventID: String?
    private var retry: Int64?
    private var bytesSinceBlankLine = 0

    /// Creates a decoder.
    ///
    /// - Parameter maximumEventBytes: The most bytes one event may hold; at least 1.
    public init(maximumEventBytes: Int = ServerSentEventDecoder.defaultMaximumEventBytes) {
        self.maximumEventBytes = max(1, maximumEventBytes)
    }

    /// Feeds the next bytes of the stream.
    ///
    /// - Parameter bytes: The next bytes, in any chunking.
    /// - Returns: The events that the bytes completed, in order (often none).
    /// - Throws: ``ServerSentEventError`` when an event grows past ``maximumEventBytes``.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ServerSentEventError) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == 0x0A { continue }  // the LF of a CR LF pair
            }
            if byte == 0x0A || byte == 0x0D {
                afterCarriageReturn = byte == 0x0D
                if let event = endLine() { events.append(event) }
                continue
            }
            line.append(byte)
            bytesSinceBlankLine += 1
            if line.count + data.count > maximumEventBytes {
                throw ServerSentEventError(
                    code: .eventTooLarge,
                    limit: maximumEventBytes,
                    message: "a server-sent event grew past \(maximumEventBytes) bytes without ending; the stream is "
                        + "not a well-formed event stream, or raise maximumEventBytes"
                )
            }
        }
        return events
    }

    /// Ends the stream: reports whether bytes were left after the last blank line.
    ///
    /// Pending fields are discarded, as the spec says; call it once, after the last ``feed(_:)``.
    ///
    /// - Returns: ``ServerSentEventStreamEnd/complete`` or ``ServerSentEventStreamEnd/truncated(pendingBytes:)``.
    public mutating func finish() -> ServerSentEventStreamEnd {
        let pending = bytesSinceBlankLine
        line = []
        data = []
        hasData = false
        eventType = []
        bytesSinceBlankLine = 0
        return pending == 0 ? .complete : .truncated(pendingBytes: pending)
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        bytesSinceBlankLine += 1  // the line break belongs to the pending event
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = line[..<(colon ?? line.endIndex)]
        var valueStart = colon.map { line.index(after: $0) } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch String(decoding: name, as: UTF8.self) {
        case "data":
            data.append(contentsOf: value)
            data.append(0x0A)
            hasData = true
        case "event":
            eventType = Array(value)
        case "id":
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case "retry":
            if !value.isEmpty, value.allSatisfy({ (0x30...0x39).contains($0) }), value.count <= 18 {
                retry = Int64(String(decoding: value, as: UTF8.self))
            }
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        bytesSinceBlankLine = 0
        defer {
            data.removeAll(keepingCapacity: true)
            eventType.removeAll()
            hasData = false
        }
        guard hasData else { return nil }
        if data.last == 0x0A { data.removeLast() }
        let type = eventType.isEmpty ? "message" : String(decoding: eventType, as: UTF8.self)
        return ServerSentEvent(event: type, data: String(decoding: data, as: UTF8.self), id: lastEventID, retry: retry)
    }
}
