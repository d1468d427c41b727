import AgentAdapters
import AgentPolicy
import Testing

/// `JournalChain.append` writes an entry's hashed and stored bytes in one walk; these tests hold it to the
/// definition, computed the slow way with the public printers: stored = `jsonText()` of the entry with its envelope,
/// hash = SHA-256 of the previous hash and `canonicalJSONBytes()` of the entry without `hash`.
@Suite("Journal sealing in one walk", .timeLimit(.suite))
struct JournalSealingTests {
    /// The record and hash the format defines, by the slow path.
    static func expected(
        _ entry: [String: JSONValue],
        position: Int,
        previous: SHA256Digest,
        version: Int64 = 1
    ) -> (bytes: [UInt8], hash: SHA256Digest) {
        var members = entry
        members["version"] = .integer(version)
        members["position"] = .integer(Int64(position))
        members["previousHash"] = .string(previous.description)
        var input = previous.bytes
        input += JSONValue.object(members).canonicalJSONBytes()
        let hash = SHA256.hash(input)
        members["hash"] = .string(hash.description)
        return (Array(JSONValue.object(members).jsonText().utf8), hash)
    }

    /// Appends `entries` to a chain and checks every record and hash against ``expected(_:position:previous:version:)``.
    static func checkChain(_ entries: [[String: JSONValue]], version: Int64 = 1) throws {
        var chain = JournalChain()
        var records: [JournalRecord] = []
        for (position, entry) in entries.enumerated() {
            let previous = chain.headHash
            let record = try chain.append(.object(entry), version: version)
            let (bytes, hash) = expected(entry, position: position, previous: previous, version: version)
            #expect(
                record.bytes == bytes,
                "entry \(position): \(String(decoding: record.bytes, as: UTF8.self)) != \(String(decoding: bytes, as: UTF8.self))"
            )
            #expect(chain.headHash == hash, "entry \(position)")
            let stored = try JSONValue(parsing: String(decoding: record.bytes, as: UTF8.self)).objectValue ?? [:]
            #expect(JournalChain.hash(of: stored, after: previous) == hash, "entry \(position): hash(of:after:)")
            // Verification's shortcut, hashing the record's bytes, answers only with the same hash.
            let shortcut = record.bytes.withUnsafeBufferPointer {
                JournalChain.canonicalRecordHash($0, after: previous)
            }
            #expect(shortcut == nil || shortcut == hash, "entry \(position): canonicalRecordHash")
            records.append(record)
        }
        let verification = JournalChain.verify(records, knownVersion: version)
        #expect(verification == .verified(count: entries.count, headHash: chain.headHash))
    }

    @Test("Entries in each case where the stored form differs from the canonical form seal as the format defines")
    func divergentCases() throws {
        let entries: [[String: JSONValue]] = [
            // No difference at all: the stored form is the canonical form with `hash` inserted.
            ["kind": "toolCallFinished", "step": 3, "arguments": ["query": "swift", "limit": 10], "ok": true],
            [:],
            ["a": [:], "b": [], "c": .null],
            // 1. numbers, at the top level and nested, before and after `hash`.
            ["elapsed": 0.125, "ratio": 2.0, "zero": .number(-0.0), "tiny": 1e-7, "huge": 1e21, "nan": .number(.nan)],
            ["arguments": ["x": [1.5, 2.0, ["y": 3.0e-300]]], "z": 0.1],
            // 2. integers beyond ±(2⁵³ − 1).
            [
                "at": .integer(9_007_199_254_740_992), "min": .integer(.min), "max": .integer(.max),
                "ok": 9_007_199_254_740_991,
            ],
            ["nested": [.integer(-9_007_199_254_740_993), ["deep": .integer(1 << 60)]]],
            // 3. control characters escaped `\u00xx` (upper-case hex stored), in values and keys.
            ["text": "a\u{1}b\u{1F}c\u{0B}d\n\t\"\\", "k\u{1A}ey": "v", "plain": "\u{7F}/é"],
            // 4. keys that sort differently by UTF-8 and UTF-16, at the top level and nested.
            ["\u{E000}": 1, "\u{1F600}": 2, "kind": "x"],
            ["nested": ["\u{FFFD}b": 1, "\u{10000}a": 2, "ascii": 3]],
            // Keys next to the envelope's: prefixes shared with `previousHash`, `hash`, `position`, `version`.
            ["previous": 1, "previousHashes": 2, "previousH": 3, "has": 4, "hashes": 5, "positio": 6, "versions": 7],
            ["a\u{0}": 1, "a": 2, "a\u{0}\u{0}": 3, "": 4, "aaaaaaaa": 5, "aaaaaaaab": 6, "aaaaaaa": 7],
            ["zzz": "after every envelope field", "aaa": "before"],
        ]
        try Self.checkChain(entries)
        try Self.checkChain(entries, version: 7)
    }

    @Test("Random entries seal as the format defines")
    func randomEntries() throws {
        var generator = SplitMix64(seed: 0x5EA1)
        let entries = (0..<300).map { _ in Self.randomObject(depth: 0, using: &generator) }
        try Self.checkChain(entries)
    }

    @Test("Sealing members with extra ones set in them writes what sealing the merged object writes")
    func membersWithExtras() throws {
        var generator = SplitMix64(seed: 0xADD5)
        var merged = JournalChain()
        var split = JournalChain()
        for index in 0..<200 {
            var members = Self.randomObject(depth: 0, using: &generator)
            // Now and then the entry already holds a member the extras replace.
            if index % 3 == 0 { members["kind"] = "replaced" }
            let extra: [(key: String, value: JSONValue)] = [
                ("kind", .string("k\(index % 7)")), ("at", Self.randomValue(depth: 2, using: &generator)),
            ]
            var object = members
            for (key, value) in extra { object[key] = value }
            let expected = try merged.append(.object(object))
            let record = try split.append(members, adding: extra)
            #expect(record == expected, "entry \(index)")
            #expect(split.headHash == merged.headHash, "entry \(index)")
        }
        #expect(throws: JournalChainError.self) { try split.append(["hash": 1], adding: [("kind", "x")]) }
        #expect(throws: JournalChainError.self) { try split.append([:], adding: [("position", 1)]) }
        #expect(split.count == 200)
    }

    @Test("An entry carrying an envelope field is refused wherever the field sorts, naming the first one")
    func envelopeFieldsAmongOthers() {
        var chain = JournalChain()
        for field in JournalChain.envelopeFields {
            let entry: JSONValue = [field: 1, "a": 2, "previous": 3, "zzz": 4, "\u{E000}": 5]
            let error = #expect(throws: JournalChainError.self) { try chain.append(entry) }
            #expect(error?.code == .envelopeFieldInEntry && error?.field == field)
        }
        let error = #expect(throws: JournalChainError.self) { try chain.append(["hash": 1, "version": 2]) }
        #expect(error?.field == "version")
        #expect(chain == JournalChain())
    }

    static let keys = ["kind", "a", "b", "hash2", "previous", "é", "\u{E000}", "\u{1F600}", "k\u{1}", "posit", "v"]

    static func randomObject(depth: Int, using generator: inout SplitMix64) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &generator) {
            let key = keys.randomElement(using: &generator)! + (Bool.random(using: &generator) ? "" : "x")
            members[key] = randomValue(depth: depth + 1, using: &generator)
        }
        return members
    }

    static func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth < 3 ? 9 : 7), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: -1_000...1_000, using: &generator))
        case 3: return .integer(Int64.random(in: .min ... .max, using: &generator))
        case 4: return .number(Double.random(in: -1e6...1e6, using: &generator))
        case 5:
            return .string(
                ["plain", "tab\there", "\u{1}\u{1F}", "naïve", "\u{E000}", "😀", ""][Int(generator.next() % 7)]
            )
        case 6: return .number([2.0, -0.0, 1e-7, 1e21, .leastNonzeroMagnitude][Int(generator.next() % 5)])
        case 7:
            return .array(
                (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                }
            )
        default: return .object(randomObject(depth: depth, using: &generator))
        }
    }
}

@Suite("In-memory checkpoint store")
struct InMemoryCheckpointStoreTests {
    static let journal = JournalID(rawValue: "run-1")!

    static func records(_ positions: Range<Int>) -> [JournalRecord] {
        positions.map { JournalRecord(position: $0, bytes: Array("entry \($0)".utf8)) }
    }

    @Test("Appends continue the journal; a batch with a wrong position is refused whole, naming the position")
    func positions() throws {
        let store = InMemoryCheckpointStore()
        try store.append(Self.records(0..<3), to: Self.journal, durability: .immediate)
        try store.append([], to: Self.journal, durability: .immediate)
        try store.append(Self.records(3..<4), to: Self.journal, durability: .deferred)
        var batch = Self.records(4..<7)
        batch[2].position = 9
        let error = #expect(throws: CheckpointStoreError.self) {
            try store.append(batch, to: Self.journal, durability: .immediate)
        }
        #expect(error?.code == .positionMismatch && error?.journal == Self.journal)
        #expect(error?.message.contains("position 9") == true && error?.message.contains("of 6 records") == true)
        #expect(store.records(of: Self.journal, from: 0) == Self.records(0..<4))
        #expect(throws: CheckpointStoreError.self) {
            try store.append(Self.records(3..<5), to: Self.journal, durability: .immediate)
        }
        try store.append(Self.records(4..<7), to: Self.journal, durability: .immediate)
        #expect(store.records(of: Self.journal, from: 5) == Self.records(5..<7))
        #expect(store.records(of: Self.journal, from: 7).isEmpty)
        #expect(store.journals() == [Self.journal])
    }

    @Test("A new journal starts at position 0; journals are kept apart")
    func newJournals() throws {
        let store = InMemoryCheckpointStore()
        let other = JournalID(rawValue: "run-0")!
        #expect(throws: CheckpointStoreError.self) {
            try store.append(Self.records(1..<2), to: Self.journal, durability: .immediate)
        }
        #expect(store.journals().isEmpty)
        try store.append(Self.records(0..<2), to: Self.journal, durability: .immediate)
        try store.append(Self.records(0..<1), to: other, durability: .immediate)
        #expect(store.journals() == [other, Self.journal])
        #expect(store.records(of: other, from: 0).count == 1)
    }
}
