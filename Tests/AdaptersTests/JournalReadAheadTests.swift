import AgentAdapters
import Testing

/// The chain walk reads records ahead in chunks of 64, hashes them four at a time in SIMD lanes, then checks the
/// chain in order. These tests hold it, across chunk and lane boundaries, to the answers of one record at a time:
/// the same entries, and for a fault the same first bad entry, kind and message as the record's full read names.
@Suite("Journal chain walk: records read ahead, hashed in lanes", .timeLimit(.suite))
struct JournalReadAheadTests {
    /// A journal of `count` entries of varied lengths (so that lanes finish at different blocks).
    static func records(_ count: Int) throws -> [JournalRecord] {
        var chain = JournalChain()
        return try (0..<count).map { index in
            try chain.append(
                [
                    "kind": "step", "step": .integer(Int64(index)),
                    "note": .string(String(repeating: "x", count: (index * 37) % 300)),
                ]
            )
        }
    }

    /// Each record's members read one at a time, without the envelope.
    static func fullMembers(_ records: [JournalRecord]) throws -> [[String: JSONValue]] {
        try records.map { try JournalChain.readEntry($0).filter { !JournalChain.envelopeFields.contains($0.key) } }
    }

    @Test(
        "Journals of every length around the chunk and lane boundaries read and verify whole",
        arguments: [
            0, 1, 3, 4, 5, 63, 64, 65, 128, 129,
        ]
    )
    func wholeJournals(count: Int) throws {
        let records = try Self.records(count)
        let (chain, entries) = try JournalChain.read(records)
        #expect(chain.count == count)
        #expect(entries == (try Self.fullMembers(records)))
        #expect(JournalChain.verify(records) == .verified(count: count, headHash: chain.headHash))
    }

    @Test(
        "A record changed at a chunk or lane boundary is named, as altered, by verify and read alike",
        arguments: [
            0, 3, 4, 62, 63, 64, 65, 127, 128, 129,
        ]
    )
    func alteredRecord(position: Int) throws {
        var records = try Self.records(130)
        // "step":N becomes "step":N+1000: still canonical, so the single pass scans it and its hash does not match.
        let text = String(decoding: records[position].bytes, as: UTF8.self)
        let changed = text.replacingOccurrences(of: "\"step\":\(position),", with: "\"step\":\(position + 1000),")
        #expect(changed != text)
        records[position] = JournalRecord(position: position, bytes: Array(changed.utf8))
        guard case .failed(let fault) = JournalChain.verify(records) else {
            Issue.record("a changed record \(position) verified")
            return
        }
        #expect(fault.kind == .altered)
        #expect(fault.position == position)
        #expect(fault.message.hasPrefix("the entry hashes to "))
        #expect(throws: fault) { try JournalChain.read(records) }
    }

    // 12 records of 30 kB: the first chunk ends at its 256 KiB byte budget, after 9 records.
    @Test("Records larger than a chunk's byte budget: read in short chunks, and a change among them is named")
    func largeRecords() throws {
        var chain = JournalChain()
        var records = try (0..<12).map { index in
            try chain.append(["step": .integer(Int64(index)), "blob": .string(String(repeating: "y", count: 30_000))])
        }
        let (read, entries) = try JournalChain.read(records)
        #expect(read.headHash == chain.headHash)
        #expect(entries == (try Self.fullMembers(records)))
        #expect(JournalChain.verify(records) == .verified(count: 12, headHash: chain.headHash))
        let text = String(decoding: records[7].bytes, as: UTF8.self)
        records[7] = JournalRecord(
            position: 7,
            bytes: Array(text.replacingOccurrences(of: "\"step\":7,", with: "\"step\":8,").utf8)
        )
        guard case .failed(let fault) = JournalChain.verify(records) else {
            Issue.record("a changed large record verified")
            return
        }
        #expect(fault.kind == .altered && fault.position == 7)
    }

    @Test("A record not in canonical form inside a chunk is read the full way; the journal still verifies")
    func reformattedRecord() throws {
        var records = try Self.records(130)
        for position in [2, 64, 100] {
            // A space after the opening brace: the same data, not canonical.
            records[position] = JournalRecord(position: position, bytes: [UInt8(ascii: " ")] + records[position].bytes)
        }
        let (chain, entries) = try JournalChain.read(records)
        #expect(entries == (try Self.fullMembers(records)))
        #expect(JournalChain.verify(records) == .verified(count: 130, headHash: chain.headHash))
    }
}

extension String {
    /// `self` with every `target` replaced by `replacement` (no Foundation in these tests).
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
