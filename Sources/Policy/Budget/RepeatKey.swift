/// The identity of one tool call for loop detection: the tool's name and the canonical text of its arguments, with
/// a 64-bit digest of both made once.
///
/// A ledger counts identical calls in a dictionary keyed by this type. Hashing feeds only the digest, so a lookup,
/// an insertion and a rehash when the table grows never walk the texts again; equality compares the digest first
/// and then both texts in full, so two different calls whose digests collide are still counted apart.
package struct RepeatKey: Hashable, Sendable {
    /// The tool's name.
    package let tool: String
    /// The canonical text of the call's arguments.
    package let arguments: String
    /// FNV-1a over the tool's UTF-8 bytes, a zero byte, then the arguments' UTF-8 bytes.
    package let digest: UInt64

    /// Creates the key of a call of `tool` with `arguments`, digesting both.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - arguments: The canonical text of the call's arguments.
    package init(tool: String, arguments: String) {
        self.init(tool: tool, arguments: arguments, digest: Self.digest(tool: tool, arguments: arguments))
    }

    /// Creates a key with a given digest: for tests that make two different calls collide on purpose.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - arguments: The canonical text of the call's arguments.
    ///   - digest: The digest to use instead of the computed one.
    package init(tool: String, arguments: String, digest: UInt64) {
        self.tool = tool
        self.arguments = arguments
        self.digest = digest
    }

    /// FNV-1a (64-bit) over `tool`'s UTF-8 bytes, a zero byte, then `arguments`' UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - arguments: The canonical text of the call's arguments.
    /// - Returns: The digest.
    package static func digest(tool: String, arguments: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in tool.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0) &* 0x100_0000_01b3
        for byte in arguments.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// Feeds only the digest.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    /// Equal when the digests match and so do both texts, in full.
    package static func == (lhs: RepeatKey, rhs: RepeatKey) -> Bool {
        lhs.digest == rhs.digest && lhs.tool == rhs.tool && lhs.arguments == rhs.arguments
    }
}

/// Identical-call counts by ``RepeatKey``; encodes as the object it was before the key had a type of its own, keyed
/// by the tool's name, a NUL character and the arguments' text.
struct RepeatCounts: Hashable, Sendable, Codable {
    private(set) var table: [RepeatKey: Int64] = [:]

    init() {}

    subscript(key: RepeatKey) -> Int64? {
        get { table[key] }
        set { table[key] = newValue }
    }

    /// The highest count, or zero when empty.
    var highest: Int64 { table.values.max() ?? 0 }

    init(from decoder: any Decoder) throws {
        for (text, count) in try [String: Int64](from: decoder) {
            let parts = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            let key = RepeatKey(tool: String(parts[0]), arguments: parts.count > 1 ? String(parts[1]) : "")
            table[key] = count
        }
    }

    func encode(to encoder: any Encoder) throws {
        var object: [String: Int64] = [:]
        for (key, count) in table { object[key.tool + "\u{0}" + key.arguments] = count }
        try object.encode(to: encoder)
    }
}
