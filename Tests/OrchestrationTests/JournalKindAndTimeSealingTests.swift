import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A run's entries are sealed with their `kind` and `at` passed as two values (no array per entry) and their
/// layout found by the kind's place among all kinds: the records and hashes must be those of the general seal.
@Suite("Sealing run entries with kind and at passed directly", .timeLimit(.suite))
struct JournalKindAndTimeSealingTests {
    @Test("Random entries of every kind seal to the general path's records and hashes, byte for byte")
    func randomEntriesMatchTheGeneralSeal() throws {
        var generator = SplitMix64(seed: 0x4B1D)
        var general = JournalChain()
        var direct = JournalChain()
        var records: [JournalRecord] = []
        for index in 0..<4_000 {
            let kind = RunJournalEntry.Kind.allCases.randomElement(using: &generator)!
            let entry = JournalLayoutSealingTests.randomEntry(kind, using: &generator)
            let expected = try general.append(entry.fields, adding: entry.sealedMembers)
            let rendering = kind == .runStarted ? entry.fields["policy"].flatMap(CanonicalRendering.init) : nil
            let record = try direct.append(
                entry.fields,
                kind: kind.rawValue,
                at: entry.at.rawValue,
                layout: kind.layout,
                rendered: rendering.map { ("policy", $0) }
            )
            records.append(record)
            #expect(
                record == expected,
                "entry \(index) (\(kind)): \(String(decoding: record.bytes, as: UTF8.self)) != \(String(decoding: expected.bytes, as: UTF8.self))"
            )
            #expect(direct.headHash == general.headHash, "entry \(index) (\(kind))")
        }
        #expect(JournalChain.verify(records) == .verified(count: 4_000, headHash: general.headHash))
    }

    @Test("A field named kind or at, or an envelope field, takes the general path and answers as it does")
    func collisionsTakeTheGeneralPath() throws {
        let layout = try #require(RunJournalEntry.Kind.stepStarted.layout)
        var general = JournalChain()
        var direct = JournalChain()
        let extra: [(key: String, value: JSONValue)] = [("kind", "stepStarted"), ("at", 5)]
        for fields: [String: JSONValue] in [["index": 1, "kind": "other"], ["at": 9], ["index": 2, "extra": true]] {
            #expect(
                try direct.append(EntryFields(fields), kind: "stepStarted", at: 5, layout: layout)
                    == general.append(fields, adding: extra),
                "\(fields)"
            )
        }
        #expect(throws: JournalChainError.self) {
            try direct.append(["hash": "x"], kind: "stepStarted", at: 5, layout: layout)
        }
        #expect(direct.headHash == general.headHash)
        #expect(direct.count == 3)
    }

    @Test("Each kind finds its own layout: its fields with kind and at")
    func eachKindFindsItsLayout() throws {
        for kind in RunJournalEntry.Kind.allCases {
            let layout = try #require(kind.layout, "\(kind) has a layout")
            #expect(layout.keys == ["kind", "at"] + kind.fieldNames, "\(kind)")
        }
    }

    @Test("A live entry's fields merged into its probe: the same dictionary as Dictionary.merge, keeping the new value")
    func mergedFieldsMatchMerge() {
        var generator = SplitMix64(seed: 0x3E56)
        let keys = ["a", "b", "c", "agentName", "reason"]
        func random() -> [String: JSONValue] {
            var fields: [String: JSONValue] = [:]
            for key in keys where Int.random(in: 0..<3, using: &generator) == 0 {
                fields[key] = .integer(Int64.random(in: 0..<4, using: &generator))
            }
            return fields
        }
        for index in 0..<2_000 {
            let probe = random()
            let fields = random()
            #expect(RunRuntime.merged(probe, fields) == probe.merging(fields) { $1 }, "case \(index)")
        }
    }
}
