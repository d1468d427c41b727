/// A tool-name pattern for allow and deny lists, where `*` matches any run of characters (also an empty one).
///
/// `search_*` matches `search_web` and `search_` but not `research`; `*` alone matches every tool. Patterns are
/// checked when created: a pattern must be non-empty, may only contain letters, digits, `_`, `-`, `.`, `:`, `/` and
/// `*`, and may not contain `**`.
///
/// The same patterns serve the policy's allow and deny lists (``StrictPolicy/allowedTools``,
/// ``StrictPolicy/deniedTools``) and the tools a model agent is offered (`ModelAgent.ToolAccess.named` in
/// AgentAdapters), so a pattern means the same, and is checked the same way, everywhere.
public struct ToolPattern: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    private let segments: [[UInt8]]  // the literal runs between stars

    /// Creates a pattern, checking its syntax.
    ///
    /// - Parameters:
    ///   - text: The pattern, such as `search_*`.
    ///   - field: The configuration field to name in an error.
    /// - Throws: ``PolicyError`` with code ``PolicyError/Code/malformedPattern``.
    public init(_ text: String, field: String = "pattern") throws(PolicyError) {
        let bytes = Array(text.utf8)
        func malformed(_ reason: String) -> PolicyError {
            PolicyError(
                code: .malformedPattern,
                field: field,
                value: text,
                message: "tool pattern \"\(text)\" \(reason)"
            )
        }
        if bytes.isEmpty { throw malformed("is empty; use \"*\" to match every tool") }
        for byte in bytes where byte != UInt8(ascii: "*") && !Self.isNameByte(byte) {
            throw malformed("contains a character other than letters, digits, _ - . : / and *")
        }
        if text.contains("**") { throw malformed("contains \"**\"; a single \"*\" already matches any run") }
        self.text = text
        self.segments = bytes.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
    }

    /// Creates a pattern from a decoder, checking its syntax.
    ///
    /// - Parameter decoder: A decoder holding the pattern as a string.
    /// - Throws: ``PolicyError`` for a malformed pattern, or the decoder's error.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }

    /// Encodes the pattern as its text.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Compares patterns by their text.
    public static func == (lhs: ToolPattern, rhs: ToolPattern) -> Bool { lhs.text == rhs.text }

    /// Hashes the pattern's text.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The pattern as written.
    public var description: String { text }

    /// Returns whether `name` matches the pattern.
    ///
    /// - Parameter name: A tool name.
    /// - Returns: `true` if the name matches.
    public func matches(_ name: String) -> Bool {
        let name = Array(name.utf8)
        if segments.count == 1 { return name == segments[0] }
        // Anchored first and last segments, greedy-leftmost search for the ones in between.
        let first = segments[0]
        let last = segments[segments.count - 1]
        guard name.count >= first.count + last.count else { return false }
        guard name.starts(with: first), name.suffix(last.count).elementsEqual(last) else { return false }
        var position = first.count
        let end = name.count - last.count
        for segment in segments.dropFirst().dropLast() where !segment.isEmpty {
            guard let found = Self.find(segment, in: name, from: position, before: end) else { return false }
            position = found + segment.count
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, before end: Int) -> Int? {
        guard needle.count <= end - start else { return nil }
        var index = start
        while index + needle.count <= end {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    /// Checks that `name` is a valid tool name: non-empty, only letters, digits, `_`, `-`, `.`, `:` and `/`.
    ///
    /// - Parameters:
    ///   - name: The tool name to check.
    ///   - field: The configuration field to name in an error.
    /// - Throws: ``PolicyError`` with code ``PolicyError/Code/invalidToolName``.
    package static func validateToolName(_ name: String, field: String = "name") throws(PolicyError) {
        if name.isEmpty || !name.utf8.allSatisfy(isNameByte) {
            throw PolicyError(
                code: .invalidToolName,
                field: field,
                value: name,
                message: "tool name \"\(name)\" must be non-empty and use only letters, digits, _ - . : /"
            )
        }
    }
}
