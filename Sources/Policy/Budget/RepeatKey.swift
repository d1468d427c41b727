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
/// The keys and counts sit in an array in the order first seen; a ``DigestTable`` from each digest's tag to the
/// newest entry with that tag (entries with the same tag are chained) finds them. So a lookup compares tags in a
/// small table and the full key only on a tag match, and the table's growth moves 8 bytes an entry, never the keys.
/// A count given back to zero stays as an entry of zero, which counts, equality and encoding leave out.
struct RepeatCounts: Hashable, Sendable, Codable {
    private struct Entry: Sendable {
        let key: RepeatKey
        var count: Int64
        /// The previous entry whose digest has the same tag, or -1.
        let next: Int
    }

    private var entries: [Entry] = []
    private var newestByDigest = DigestTable()

    init() {}

    /// Where `key`'s entry is, walking the chain from `head` (the newest entry with its digest's tag, or -1).
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

    /// Adds one to the count of `key` unless the count has reached `limit`, finding the key once.
    ///
    /// - Parameters:
    ///   - key: The call's key.
    ///   - limit: The count at which the key is not counted again.
    /// - Returns: The count before, and whether it was raised (`false`: it was `limit` or more, and is unchanged).
    mutating func increment(_ key: RepeatKey, unlessAtLeast limit: Int64) -> (count: Int64, counted: Bool) {
        let head = newestByDigest[key.digest] ?? -1
        if let index = position(of: key, from: head) {
            let count = entries[index].count
            guard count < limit else { return (count, false) }
            entries[index].count = count + 1
            return (count, true)
        }
        guard limit > 0 else { return (0, false) }
        newestByDigest[key.digest] = entries.count
        entries.append(Entry(key: key, count: 1, next: head))
        return (0, true)
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

/// A map from a 64-bit digest to an entry's index: open addressing with linear probing over 8-byte slots, each a
/// 32-bit tag of the digest and the index.
///
/// The digests are already hashes of the keys, so the tag is taken from the digest itself (mixed with a seed drawn
/// once per table from the process's random hashing seed, then multiplied: Fibonacci hashing, its top 32 bits), with
/// no `Hasher` pass per lookup as a `[UInt64: Int]` makes; probing starts at the tag's top bits. Different digests
/// can share a tag: the table then names the newest entry of either, and its user tells them apart by walking its
/// chain and comparing full keys (``RepeatCounts``). The table stays at most half full; growing moves the slots and
/// never touches the keys. Nothing is ever removed (a ledger's counts only grow or go to zero). At 8 bytes a slot
/// (16 with the whole digest) a run with 100,000 different calls keeps a 2 MB table, which a core's L2 holds.
struct DigestTable: Sendable {
    private struct Slot: Sendable {
        /// The digest's tag.
        var tag: UInt32 = 0
        /// The entry's index plus one; zero for an empty slot.
        var indexPlusOne: UInt32 = 0
    }

    private var slots: [Slot] = []
    private var used = 0
    /// 32 minus the bits of a slot's position: a tag shifted right by it is where probing starts.
    private var shift: UInt32 = 32
    private let seed: UInt64

    /// An empty table with a seed drawn from the process's random hashing seed.
    init() {
        var hasher = Hasher()
        hasher.combine(0 as UInt64)
        seed = UInt64(truncatingIfNeeded: hasher.finalize())
    }

    /// An empty table with a given seed (tests choose digests whose tags collide).
    init(seed: UInt64) { self.seed = seed }

    /// The number of tags held.
    var count: Int { used }

    /// The 32-bit tag of `digest`: the top half of the digest mixed with the seed and multiplied.
    func tag(_ digest: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ((digest ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }

    /// The slot holding `tag`, or the empty slot where it would go.
    private func probe(_ tag: UInt32) -> Int {
        let mask = slots.count - 1
        var index = Int(tag >> shift)
        while slots[index].indexPlusOne != 0, slots[index].tag != tag { index = (index + 1) & mask }
        return index
    }

    /// The index stored for `digest`'s tag (the newest entry whose digest has that tag), if any; setting one adds or
    /// replaces it (setting `nil` is not supported: a ledger never removes a digest).
    subscript(digest: UInt64) -> Int? {
        get {
            guard !slots.isEmpty else { return nil }
            let slot = slots[probe(tag(digest))]
            return slot.indexPlusOne == 0 ? nil : Int(slot.indexPlusOne) - 1
        }
        set {
            guard let newValue else { return }
            precondition(newValue < Int(UInt32.max), "a digest table holds fewer than 2^32 entries")
            if (used + 1) * 2 > slots.count { grow() }
            let tag = tag(digest)
            let index = probe(tag)
            if slots[index].indexPlusOne == 0 { used += 1 }
            slots[index] = Slot(tag: tag, indexPlusOne: UInt32(newValue + 1))
        }
    }

    /// Doubles the slots (16 at first) and places every tag again.
    private mutating func grow() {
        let old = slots
        let capacity = max(16, old.count * 2)
        slots = Array(repeating: Slot(), count: capacity)
        shift = UInt32(32 - capacity.trailingZeroBitCount)
        for slot in old where slot.indexPlusOne != 0 { slots[probe(slot.tag)] = slot }
    }
}
