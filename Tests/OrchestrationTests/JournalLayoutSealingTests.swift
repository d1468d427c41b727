import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// Sealing an entry in its kind's precomputed layout must write exactly the bytes and hash of the general seal (sort
/// the members, walk them): the layout saves the sort, never changes the journal.
@Suite("Sealing run entries in their kind's layout", .timeLimit(.suite))
struct JournalLayoutSealingTests {
    /// Strings that need escapes, astral-plane characters, non-ASCII text, and the two keys whose UTF-8 and UTF-16
    /// orders differ (U+E000 sorts after U+1F600 by UTF-8 bytes, before it by UTF-16 code units).
    static let strings = [
        "plain", "tab\there", "quote\"back\\slash", "\u{1}\u{1F}\u{7F}", "naïve", "\u{E000}", "😀", "", "K\u{212A}",
        "line\nbreak\r\u{8}\u{C}", "𝄞 clef",
    ]

    static func randomValue(depth: Int, using generator: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth < 3 ? 10 : 8), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: -1_000...1_000, using: &generator))
        case 3:
            // Around and beyond ±2⁵³, and the extremes.
            let large: [Int64] = [9_007_199_254_740_991, 9_007_199_254_740_992, -9_007_199_254_740_993, .max, .min]
            return .integer(
                Bool.random(using: &generator)
                    ? large.randomElement(using: &generator)! : .random(in: .min ... .max, using: &generator)
            )
        case 4: return .number(Double.random(in: -1e6...1e6, using: &generator))
        case 5: return .number([2.0, -0.0, 1e-7, 1e21, .leastNonzeroMagnitude, 0.1][Int(generator.next() % 6)])
        case 6, 7: return .string(strings.randomElement(using: &generator)!)
        case 8:
            return .array(
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                }
            )
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                let key = (["a", "b", "\u{E000}", "😀", "é", "kind", "hash", "x\"y"] + strings).randomElement(
                    using: &generator
                )!
                members[key] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    /// A random entry of `kind`: a random subset of its fields with random values; now and then a field outside
    /// the layout, which takes the general path.
    static func randomEntry(_ kind: RunJournalEntry.Kind, using generator: inout SplitMix64) -> RunJournalEntry {
        var fields: [String: JSONValue] = [:]
        for name in kind.fieldNames where Int.random(in: 0..<4, using: &generator) > 0 {
            fields[name] = randomValue(depth: 0, using: &generator)
        }
        if Int.random(in: 0..<10, using: &generator) == 0 {
            fields[["extra", "\u{E000}", "zz", "😀"].randomElement(using: &generator)!] = .integer(1)
        }
        let at = Int64.random(in: 0...(Bool.random(using: &generator) ? 1_000_000 : .max), using: &generator)
        return RunJournalEntry(kind, at: Nanoseconds(rawValue: at), fields)
    }

    @Test("Random entries of every kind seal to the general path's records and hashes, byte for byte")
    func randomEntriesMatchTheGeneralSeal() throws {
        var generator = SplitMix64(seed: 0x1A70)
        var general = JournalChain()
        var laidOut = JournalChain()
        var fastCount = 0
        var records: [JournalRecord] = []
        for index in 0..<4_000 {
            let kind = RunJournalEntry.Kind.allCases.randomElement(using: &generator)!
            let entry = Self.randomEntry(kind, using: &generator)
            let layout = try #require(kind.layout, "\(kind) has a layout")
            let expected = try general.append(entry.fields, adding: entry.sealedMembers)
            // The runtime passes the policy's rendering with `runStarted`; a rendering never changes bytes either.
            let rendering = kind == .runStarted ? entry.fields["policy"].flatMap(CanonicalRendering.init) : nil
            let record = try laidOut.append(
                entry.fields,
                adding: entry.sealedMembers,
                layout: layout,
                rendered: rendering.map { ("policy", $0) }
            )
            records.append(record)
            #expect(
                record == expected,
                "entry \(index) (\(kind)): \(String(decoding: record.bytes, as: UTF8.self)) != \(String(decoding: expected.bytes, as: UTF8.self))"
            )
            #expect(laidOut.headHash == general.headHash, "entry \(index) (\(kind))")
            let direct = JournalChain.seal(
                entry.fields,
                adding: entry.sealedMembers,
                layout: layout,
                rendered: nil,
                version: JournalChain.formatVersion,
                position: 0,
                after: .zero
            )
            if direct != nil { fastCount += 1 }
        }
        // Most entries take the layout; some (a field outside it, nested keys ordered apart) the general path.
        #expect(fastCount > 2_000 && fastCount < 4_000, "laid out \(fastCount) of 4,000")
        // The journal the layout wrote verifies.
        #expect(JournalChain.verify(records) == .verified(count: 4_000, headHash: general.headHash))
    }

    @Test("A field that `extra` replaces, or an envelope field, takes the general path")
    func collisionsTakeTheGeneralPath() throws {
        let layout = try #require(RunJournalEntry.Kind.stepStarted.layout)
        var general = JournalChain()
        var laidOut = JournalChain()
        let replaced: [String: JSONValue] = ["index": 1, "kind": "other"]
        let extra: [(key: String, value: JSONValue)] = [("kind", "stepStarted"), ("at", 5)]
        #expect(
            JournalChain.seal(
                replaced,
                adding: extra,
                layout: layout,
                rendered: nil,
                version: 1,
                position: 0,
                after: .zero
            ) == nil
        )
        #expect(try laidOut.append(replaced, adding: extra, layout: layout) == general.append(replaced, adding: extra))
        #expect(throws: JournalChainError.self) { try laidOut.append(["hash": "x"], adding: extra, layout: layout) }
        #expect(laidOut.headHash == general.headHash)
    }

    @Test("A layout refuses keys it cannot write verbatim, envelope fields and repeats")
    func layoutKeys() {
        #expect(JournalEntryLayout(keys: ["kind", "at", "index"]) != nil)
        #expect(JournalEntryLayout(keys: ["hash"]) == nil)
        #expect(JournalEntryLayout(keys: ["a", "a"]) == nil)
        #expect(JournalEntryLayout(keys: ["é"]) == nil)
        #expect(JournalEntryLayout(keys: ["a\"b"]) == nil)
        #expect(JournalEntryLayout(keys: [""]) == nil)
        for kind in RunJournalEntry.Kind.allCases { #expect(kind.layout != nil, "\(kind)") }
    }
}
