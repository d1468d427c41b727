/// Frames a `text/event-stream` body into the `data` of its events, as the Streamable HTTP transport needs.
///
/// Lines end with LF, CRLF or CR; `data:` lines (one leading space removed) join with LF; a blank line ends an event;
/// `event:`, `id:`, `retry:` and comment lines are ignored. An event longer than ``maximumEventBytes`` is dropped.
/// Unlike a browser, a last event not followed by a blank line is kept when the stream ends: a server that closes
/// right after its answer still gets it through.
public struct MCPEventStreamParser: Sendable {
    /// The longest event kept, in bytes: 4 MiB.
    public static let maximumEventBytes = 4 * 1024 * 1024

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false
    private var isOversized = false

    /// Creates a parser at the start of a stream.
    public init() {}

    /// Reads a chunk; returns the data of the events it completes.
    ///
    /// - Parameter chunk: The next bytes of the stream.
    /// - Returns: Each completed event's data, as text.
    public mutating func feed(_ chunk: [UInt8]) -> [String] {
        var events: [String] = []
        for byte in chunk {
            if byte == 10 && lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 13
            if byte == 10 || byte == 13 {
                if let event = endLine() { events.append(event) }
            } else if line.count <= Self.maximumEventBytes {
                line.append(byte)
            } else {
                isOversized = true
            }
        }
        return events
    }

    /// Ends the stream; returns the data of a last event not followed by a blank line.
    ///
    /// - Returns: The last event's data, if any.
    public mutating func finish() -> [String] {
        var events: [String] = []
        if !line.isEmpty, let event = endLine() { events.append(event) }
        if let event = endLine() { events.append(event) }
        return events
    }

    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            defer {
                data.removeAll(keepingCapacity: true)
                hasData = false
                isOversized = false
            }
            guard hasData, !isOversized else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        let colon = line.firstIndex(of: 58) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return nil }
        var value = line[min(colon + 1, line.endIndex)...]
        if value.first == 32 { value = value.dropFirst() }
        if hasData { data.append(10) }
        data += value
        hasData = true
        if data.count > Self.maximumEventBytes { isOversized = true }
        return nil
    }
}
