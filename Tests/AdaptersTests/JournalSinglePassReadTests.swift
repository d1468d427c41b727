import AgentAdapters
import Testing

/// Reading a journal parses each canonical record in one pass (`JournalChain.readCanonicalRecord`): envelope fields
/// straight into values, the other members into the entry, the bytes hashed on the way. These tests hold it to the
/// full path: wherever it answers, it answers what the full path reads; it refuses everything else, which the full
/// path then reads (or reports) as before.
@Suite("Journal records read in a single pass", .timeLimit(.suite))
struct JournalSinglePassReadTests {
    /// Seals `entries` into a chain and returns the records.
    static func records(_ entries: [[String: JSONValue]]) throws -> [JournalRecord] {
        var chain = JournalChain()
        return try entries.map { try chain.append(.object($0)) }
    }

    /// The single pass's answer for `record`.
    static func singlePass(_ record: JournalRecord) -> SinglePassRecord? {
        record.bytes.withUnsafeBufferPointer { JournalChain.readCanonicalRecord($0, knownVersion: 1) }
    }

    /// The full path's members for `record`, without the envelope.
    static func fullMembers(_ record: JournalRecord) throws -> [String: JSONValue] {
        try JournalChain.readEntry(record).filter { !JournalChain.envelopeFields.contains($0.key) }
    }

    static let canonicalEntries: [[String: JSONValue]] = [
        ["kind": "toolCallFinished", "at": 12, "tool": "noop", "output": ["n": 3]],
        [:],
        ["a": [:], "b": [], "c": .null, "d": true, "e": false, "f": -42],
        ["text": "quote \" backslash \\ newline \n tab \t return \r feed \u{0C} back \u{08} slash /"],
        ["unicode": "café ✓ 𝄞", "nested": [["deep": [["deeper": "x"]]], 1, "two"]],
        ["zulu": 1, "alpha": 2, "hasg": 3, "hasi": 4, "has": 5, "hash0": 6, "versions": 7, "positio": 8],
    ]

    @Test("Canonical records are read in one pass, with the full path's members, position and hashes")
    func canonicalRecords() throws {
        let records = try Self.records(Self.canonicalEntries)
        var previous = SHA256Digest.zero
        for (position, record) in records.enumerated() {
            let read = Self.singlePass(record)
            #expect(read != nil, "record \(position) is read in one pass")
            #expect(read?.members == (try Self.fullMembers(record)), "record \(position)'s members")
            #expect(read?.position == position)
            #expect(read?.previousHash == previous)
            if let read { previous = read.hash }
        }
        let (chain, entries) = try JournalChain.read(records)
        #expect(entries == (try records.map(Self.fullMembers)))
        #expect(chain.headHash == previous)
        #expect(JournalChain.verify(records) == .verified(count: records.count, headHash: previous))
    }

    @Test("Records the single pass refuses are read the full way, with the same members")
    func refusedRecords() throws {
        let entries: [[String: JSONValue]] = [["ratio": 0.5], ["big": .integer(1 << 60)], ["é": 1], ["c": "\u{07}"]]
        let records = try Self.records(entries)
        for record in records { #expect(Self.singlePass(record) == nil, "\(record.position)") }
        let (_, read) = try JournalChain.read(records)
        #expect(read == (try records.map(Self.fullMembers)))
    }

    @Test("Reformatted, tampered, newer and non-UTF-8 records are refused by the single pass")
    func refusals() throws {
        let record = try Self.records([["a": "x/y", "b": 1]])[0]
        let text = String(decoding: record.bytes, as: UTF8.self)
        let edits: [(String, String, String)] = [
            ("whitespace", "{", "{ "),
            ("a changed value", #""b":1"#, #""b":2"#),
            ("a newer version", #""version":1"#, #""version":2"#),
            ("a hash of 65 digits", #""hash":"#, #""hash":"a"#),
            ("a string position", #""position":0"#, #""position":"0""#),
        ]
        for (name, from, to) in edits {
            let edited = JournalRecord(
                position: 0,
                bytes: Array(text.replacing(from, with: to, maxReplacements: 1).utf8)
            )
            #expect(edited.bytes != record.bytes, "\(name): the edit applies")
            #expect(Self.singlePass(edited) == nil, "\(name)")
        }
        var invalid = record.bytes
        invalid.insert(0xFF, at: invalid.firstIndex(of: UInt8(ascii: "x"))!)
        #expect(Self.singlePass(JournalRecord(position: 0, bytes: invalid)) == nil, "invalid UTF-8")
    }
}
