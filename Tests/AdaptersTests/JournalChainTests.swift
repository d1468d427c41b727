import AgentAdapters
import Testing

@Suite("Journal hash chain", .timeLimit(.suite))
struct JournalChainTests {
    /// A varied entry: integers, numbers, a large integer, non-ASCII keys and text, nesting.
    static func entry(_ index: Int) -> JSONValue {
        [
            "kind": index % 3 == 0 ? "toolCallStarted" : (index % 3 == 1 ? "toolCallFinished" : "modelResponse"),
            "step": .integer(Int64(index / 3)),
            "elapsed": .number(Double(index) * 0.125 + 1e-7),
            "tokens": .integer(9_007_199_254_740_993 + Int64(index)),
            "arguments": ["query": .string("naïve café #\(index) \u{1F600}\n"), "limit": 10, "ratio": 2.0],
            "\u{E000}key": .array([.null, .bool(index.isMultiple(of: 2)), .number(-0.0)]),
        ]
    }

    static func chain(count: Int, genesis: SHA256Digest = .zero) -> (JournalChain, [JournalRecord]) {
        var chain = JournalChain(genesis: genesis)
        var records: [JournalRecord] = []
        for index in 0..<count {
            records.append(try! chain.append(entry(index)))
        }
        return (chain, records)
    }

    static func members(_ record: JournalRecord) -> [String: JSONValue] {
        try! JSONValue(parsing: String(decoding: record.bytes, as: UTF8.self)).objectValue!
    }

    static func record(_ members: [String: JSONValue], at position: Int) -> JournalRecord {
        JournalRecord(position: position, bytes: Array(JSONValue.object(members).jsonText().utf8))
    }

    /// Renumbers the records 0, 1, 2…, as a store holding the tampered journal would.
    static func renumbered(_ records: [JournalRecord]) -> [JournalRecord] {
        records.enumerated().map { JournalRecord(position: $0.offset, bytes: $0.element.bytes) }
    }

    @Test("A chain of 50 entries verifies, reports its head, and continues as if never interrupted")
    func verifiesAndContinues() throws {
        let (chain, records) = Self.chain(count: 50)
        #expect(JournalChain.verify(records) == .verified(count: 50, headHash: chain.headHash))
        #expect(JournalChain.verify(records, expectedCount: 50, expectedHeadHash: chain.headHash).isVerified)
        #expect(JournalChain.verify([]) == .verified(count: 0, headHash: .zero))
        var resumed = try JournalChain(continuing: Array(records[0..<20]))
        #expect(resumed.count == 20)
        for index in 20..<50 {
            #expect(try resumed.append(Self.entry(index)) == records[index])
        }
        #expect(resumed == chain)
    }

    @Test("Each entry's hash is SHA-256 over the previous hash and the RFC 8785 form of the entry without 'hash'")
    func hashDefinition() throws {
        let (_, records) = Self.chain(count: 2)
        var previous = SHA256Digest.zero
        for (index, record) in records.enumerated() {
            var members = Self.members(record)
            let stored = try #require(members["hash"]?.stringValue)
            #expect(members["position"] == .integer(Int64(index)))
            #expect(members["version"] == .integer(JournalChain.formatVersion))
            #expect(members["previousHash"] == .string(previous.description))
            members["hash"] = nil
            let expected = SHA256.hash(previous.bytes + JSONValue.object(members).canonicalJSONBytes())
            #expect(stored == expected.description)
            previous = expected
        }
    }

    @Test("Entries are stored in the library's exact form: integer and number stay apart")
    func storedForm() throws {
        var chain = JournalChain()
        let record = try chain.append(["whole": .number(2.0), "count": .integer(2), "big": .integer(.max)])
        let text = String(decoding: record.bytes, as: UTF8.self)
        #expect(text.contains(#""whole":2.0"#) && text.contains(#""count":2,"#))
        let members = Self.members(record)
        #expect(members["whole"] == .number(2.0) && members["count"] == .integer(2) && members["big"] == .integer(.max))
        #expect(JournalChain.verify([record]).isVerified)
    }

    /// One way to damage a journal of `count` entries at `position`, and what verify must report.
    struct Tampering: CustomStringConvertible, Sendable {
        var name: String
        /// Positions to try: `0..<(count + extraPositions)`.
        var extraPositions: Int
        var expected: JournalFault.Kind
        /// Returns the damaged records, and the position the fault must be reported at.
        var apply: @Sendable ([JournalRecord], Int, JournalChain) -> (records: [JournalRecord], faultAt: Int)
        var description: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(name: "edited", extraPositions: 0, expected: .altered) { records, k, _ in
            var members = members(records[k])
            members["step"] = 999
            var changed = records
            changed[k] = record(members, at: k)
            return (changed, k)
        },
        Tampering(name: "edited and re-hashed", extraPositions: 0, expected: .altered) { records, k, _ in
            var members = members(records[k])
            members["arguments"] = ["query": "something else"]
            let previous = SHA256Digest(hex: members["previousHash"]!.stringValue!)!
            members["hash"] = .string(JournalChain.hash(of: members, after: previous).description)
            var changed = records
            changed[k] = record(members, at: k)
            return (changed, k)
        },
        Tampering(name: "hash field changed", extraPositions: 0, expected: .altered) { records, k, _ in
            var members = members(records[k])
            let hash = members["hash"]!.stringValue!
            members["hash"] = .string((hash.first == "0" ? "1" : "0") + hash.dropFirst())
            var changed = records
            changed[k] = record(members, at: k)
            return (changed, k)
        },
        Tampering(name: "previousHash field changed", extraPositions: 0, expected: .altered) { records, k, _ in
            var members = members(records[k])
            members["previousHash"] = .string(SHA256.hash([UInt8(k)]).description)
            var changed = records
            changed[k] = record(members, at: k)
            return (changed, k)
        },
        Tampering(name: "removed", extraPositions: 0, expected: .removed) { records, k, _ in
            var changed = records
            changed.remove(at: k)
            return (changed, k)
        },
        Tampering(name: "forged entry inserted", extraPositions: 1, expected: .inserted) {
            records,
            k,
            _ in
            // The strongest forger without a pinned head: a well-formed entry claiming position k, chained from
            // entry k - 1 and hashed correctly.
            var forger = k == 0 ? JournalChain() : try! JournalChain(continuing: Array(records[0..<k]))
            let forged = try! forger.append(["kind": "forged", "amount": 1_000_000])
            var changed = records
            changed.insert(forged, at: k)
            return (changed, k)
        },
        Tampering(name: "entry duplicated", extraPositions: 0, expected: .inserted) { records, k, _ in
            var changed = records
            changed.insert(records[k], at: k + 1)
            return (changed, k)
        },
        Tampering(name: "swapped with the next", extraPositions: -1, expected: .reordered) {
            records,
            k,
            _ in
            var changed = records
            changed.swapAt(k, k + 1)
            return (changed, k)
        },
        Tampering(name: "moved to the end", extraPositions: -1, expected: .reordered) { records, k, _ in
            var changed = records
            changed.append(changed.remove(at: k))
            return (changed, k)
        },
        Tampering(name: "truncated bytes", extraPositions: 0, expected: .unparseable) { records, k, _ in
            var changed = records
            changed[k].bytes.removeLast(5)
            return (changed, k)
        },
        Tampering(name: "invalid UTF-8", extraPositions: 0, expected: .unparseable) { records, k, _ in
            var changed = records
            changed[k].bytes[changed[k].bytes.count / 2] = 0xFF
            return (changed, k)
        },
        Tampering(name: "position field removed", extraPositions: 0, expected: .unparseable) { records, k, _ in
            var members = members(records[k])
            members["position"] = nil
            var changed = records
            changed[k] = record(members, at: k)
            return (changed, k)
        },
        Tampering(name: "future version", extraPositions: 0, expected: .unknownVersion) { records, k, _ in
            var members = members(records[k])
            members["version"] = .integer(JournalChain.formatVersion + 1)
            var changed = records
            changed[k] = record(members, at: k)
            return (changed, k)
        },
    ]

    @Test(
        "Every kind of tampering at every position is caught there, with its kind",
        .plainRunOnly,
        arguments: tamperings
    )
    func everyTamperingEverywhere(tampering: Tampering) {
        let count = 50
        let (chain, records) = Self.chain(count: count)
        for k in 0..<(count + tampering.extraPositions) {
            let (damaged, faultAt) = tampering.apply(records, k, chain)
            let result = JournalChain.verify(
                Self.renumbered(damaged),
                expectedCount: count,
                expectedHeadHash: chain.headHash
            )
            guard case .failed(let fault) = result else {
                Issue.record("\(tampering.name) at \(k): not caught, got \(result)")
                continue
            }
            #expect(fault.kind == tampering.expected, "\(tampering.name) at \(k): \(fault)")
            #expect(fault.position == faultAt, "\(tampering.name) at \(k): \(fault)")
        }
    }

    @Test("Without a pin, the damage inside the journal is still caught; only the tail needs the pin")
    func unpinned() {
        let (_, records) = Self.chain(count: 10)
        var removed = records
        removed.remove(at: 4)
        #expect(JournalChain.verify(Self.renumbered(removed)).fault?.kind == .removed)
        #expect(JournalChain.verify(Array(records.dropLast())).isVerified)  // a cut tail needs the pin
        #expect(JournalChain.verify(Array(records.dropLast()), expectedCount: 10).fault?.position == 9)
    }

    @Test("A journal chained from another journal's entry verifies with that hash as its genesis, and only with it")
    func forkGenesis() {
        let (parent, _) = Self.chain(count: 5)
        let (fork, records) = Self.chain(count: 3, genesis: parent.headHash)
        #expect(
            JournalChain.verify(records, genesis: parent.headHash) == .verified(count: 3, headHash: fork.headHash)
        )
        let fault = JournalChain.verify(records).fault
        #expect(fault?.kind == .genesisMismatch && fault?.position == 0)
    }

    @Test("A reader refuses an entry of a future version with a typed error")
    func readerRefusesFutureVersion() throws {
        var chain = JournalChain()
        let record = try chain.append(["kind": "later"], version: 3)
        let error = #expect(throws: JournalFault.self) { try JournalChain.readEntry(record) }
        #expect(error?.kind == .unknownVersion && error?.position == 0)
        #expect(try JournalChain.readEntry(record, knownVersion: 3)["kind"] == "later")
        #expect(throws: JournalFault.self) { try JournalChain(continuing: [record]) }
    }

    @Test("append refuses non-objects, envelope fields and versions below 1, and leaves the chain unchanged")
    func appendRefusals() {
        var chain = JournalChain()
        let before = chain
        #expect(throws: JournalChainError.self) { try chain.append([1, 2]) }
        for field in JournalChain.envelopeFields {
            let error = #expect(throws: JournalChainError.self) { try chain.append([field: 1]) }
            #expect(error?.code == .envelopeFieldInEntry && error?.field == field)
        }
        let error = #expect(throws: JournalChainError.self) { try chain.append(["kind": "x"], version: 0) }
        #expect(error?.code == .invalidVersion)
        #expect(chain == before)
    }

    @Test("Verification results encode flat and versioned, and decode back")
    func verificationCoding() throws {
        let verified = JournalVerification.verified(count: 3, headHash: SHA256.hash([1]))
        let failed = JournalVerification.failed(JournalFault(kind: .removed, position: 7, message: "gone"))
        let encoded = try JSONValueEncoder().encode(verified)
        #expect(encoded["kind"] == "verified" && encoded["schemaVersion"] == 1 && encoded["count"] == 3)
        #expect(encoded["headHash"] == .string(SHA256.hash([1]).description))
        #expect(try JSONValueDecoder().decode(JournalVerification.self, from: encoded) == verified)
        let encodedFailure = try JSONValueEncoder().encode(failed)
        #expect(encodedFailure["fault"]?["kind"] == "removed" && encodedFailure["fault"]?["position"] == 7)
        #expect(try JSONValueDecoder().decode(JournalVerification.self, from: encodedFailure) == failed)
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(JournalVerification.self, from: ["schemaVersion": 2, "kind": "verified"])
        }
    }

    @Test("The sample journal fixture is what the chain writes, and verifies (Docs/verify_journal.py checks it too)")
    func sampleFixture() throws {
        let (chain, records) = Self.chain(count: 12)
        let jsonl: [UInt8] = records.flatMap { $0.bytes + [0x0A] }
        if FixtureFiles.regenerate {
            #expect(FixtureFiles.write("journal-sample.jsonl", jsonl))
            #expect(FixtureFiles.write("journal-sample.head", Array("12 \(chain.headHash)\n".utf8)))
        }
        let stored = try #require(FixtureFiles.read("journal-sample.jsonl"), "run with AGENT_REGENERATE_FIXTURES=1")
        let unchanged = stored == jsonl  // compared outside #expect: the bytes would flood the failure message
        #expect(unchanged, "the chain's output changed: a format change needs a new version")
        let lines = stored.split(separator: 0x0A).enumerated().map {
            JournalRecord(position: $0.offset, bytes: Array($0.element))
        }
        #expect(JournalChain.verify(lines) == .verified(count: 12, headHash: chain.headHash))
        #expect(
            FixtureFiles.read("journal-sample.head").map { String(decoding: $0, as: UTF8.self) }
                == "12 \(chain.headHash)\n"
        )
    }
}

extension JournalVerification {
    fileprivate var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }

    fileprivate var fault: JournalFault? {
        if case .failed(let fault) = self { return fault }
        return nil
    }
}
