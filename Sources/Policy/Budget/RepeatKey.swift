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
///
/// The keys and counts sit in an array in the order first seen; a dictionary from each digest to the newest entry
/// with that digest (entries with the same digest are chained) finds them. So a lookup compares digests in a small
/// table and the full key only on a digest match, and the table's growth moves 16 bytes an entry, never the keys.
/// A count given back to zero stays as an entry of zero, which counts, equality and encoding leave out.
struct RepeatCounts: Hashable, Sendable, Codable {
    private struct Entry: Sendable {
        let key: RepeatKey
        var count: Int64
        /// The previous entry with the same digest, or -1.
        let next: Int
    }

    private var entries: [Entry] = []
    private var newestByDigest: [UInt64: Int] = [:]

    init() {}

    /// Where `key`'s entry is, walking the chain from `head` (the newest entry with its digest, or -1).
    private func position(of key: RepeatKey, from head: Int) -> Int? {
        var index = head
        while index >= 0 {
            if entries[index].key == key { return index }
            index = entries[index].next
        }
        return nil
    }

    private func position(of key: RepeatKey) -> Int? {
        position(of: key, from: newestByDigest[key.digest] ?? -1)
    }

    /// The count of `key`, or `nil` when it has none.
    subscript(key: RepeatKey) -> Int64? {
        guard let index = position(of: key), entries[index].count > 0 else { return nil }
        return entries[index].count
    }

    /// Sets the count of `key` (`nil` or zero: no count).
    mutating func set(_ key: RepeatKey, to count: Int64?) {
        let head = newestByDigest[key.digest] ?? -1
        if let index = position(of: key, from: head) {
            entries[index].count = count ?? 0
            return
        }
        guard let count, count > 0 else { return }
        newestByDigest[key.digest] = entries.count
        entries.append(Entry(key: key, count: count, next: head))
    }

    /// The highest count, or zero when empty.
    var highest: Int64 { entries.lazy.map(\.count).max() ?? 0 }

    /// The counts above zero, by key.
    var table: [RepeatKey: Int64] {
        var table: [RepeatKey: Int64] = [:]
        for entry in entries where entry.count > 0 { table[entry.key] = entry.count }
        return table
    }

    static func == (lhs: RepeatCounts, rhs: RepeatCounts) -> Bool { lhs.table == rhs.table }

    func hash(into hasher: inout Hasher) { hasher.combine(table) }

    init(from decoder: any Decoder) throws {
        for (text, count) in try [String: Int64](from: decoder) {
            let parts = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
            set(RepeatKey(tool: String(parts[0]), arguments: parts.count > 1 ? String(parts[1]) : ""), to: count)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var object: [String: Int64] = [:]
        for (key, count) in table { object[key.tool + "\u{0}" + key.arguments] = count }
        try object.encode(to: encoder)
    }
}
