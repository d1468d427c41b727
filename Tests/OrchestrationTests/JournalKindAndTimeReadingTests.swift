import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// Reading a run journal takes each record's `kind` and `at` as values in the single pass (not as members put into
/// the dictionary and taken out again) and makes each entry in the walk: the entries, and every error, must be those
/// of the members path (`JournalChain.read`, then `RunJournalEntry(members:position:)`).
@Suite("Run journals read with kind and at apart", .timeLimit(.suite))
struct JournalKindAndTimeReadingTests {
    static let id = JournalID(rawValue: "kind-and-at")!

    /// What the members path reads: the entries, or the first error's position and message.
    static func membersPath(_ records: [JournalRecord]) -> Result<[RunJournalEntry], DurableRunError> {
        do {
            let (_, members) = try JournalChain.read(records)
            var entries: [RunJournalEntry] = []
            for (position, entry) in members.enumerated() {
                do {
                    entries.append(try RunJournalEntry(members: entry, position: position))
                } catch {
                    return .failure(
                        DurableRunError(code: .corruptJournal, journal: id, position: position, message: error.message)
                    )
                }
            }
            return .success(entries)
        } catch {
            return .failure(DurableRunError(code: .corruptJournal, journal: id, position: error.position, message: ""))
        }
    }

    /// What `RunJournal.read` reads.
    static func read(_ records: [JournalRecord]) -> Result<[RunJournalEntry], DurableRunError> {
        do throws(DurableRunError) {
            return .success(try RunJournal.read(records, of: id).entries)
        } catch {
            return .failure(error)
        }
    }

    @Test("Random entries of every kind read to the members path's entries")
    func randomEntries() throws {
        var generator = SplitMix64(seed: 0x5EED_4B1D)
        var chain = JournalChain()
        var records: [JournalRecord] = []
        for _ in 0..<1_000 {
            let kind = RunJournalEntry.Kind.allCases.randomElement(using: &generator)!
            let entry = JournalLayoutSealingTests.randomEntry(kind, using: &generator)
            records.append(try chain.append(entry.fields, adding: entry.sealedMembers))
        }
        let expected = try Self.membersPath(records).get()
        let read = try Self.read(records).get()
        #expect(read.count == expected.count)
        for (position, (entry, reference)) in zip(read, expected).enumerated() where entry != reference {
            Issue.record("entry \(position): \(entry) != \(reference)")
        }
        #expect(try RunJournal.read(records, of: Self.id).chain.headHash == chain.headHash)
    }

    @Test("Odd kinds and times: each record reads as the members path reads it, entry or error")
    func oddKindsAndTimes() throws {
        let cases: [[String: JSONValue]] = [
            ["kind": "stepStarted", "at": 5, "index": 1, "revision": 0],
            ["kind": "step\"Started", "at": 1],
            ["kind": "step\\Started", "at": 1],
            ["kind": 7, "at": 1],
            ["kind": "stepStarted", "at": "5"],
            ["kind": "stepStarted", "at": 1.5],
            ["kind": "stepStarted", "at": -3],
            ["kind": "stepStarted", "at": .integer(1 << 60)],
            ["kind": "stepStarted"],
            ["at": 3],
            ["kind": "nope", "at": 1],
            ["kind": "clockRead", "at": 0, "property": "elapsed", "kinds": "x", "atAll": 2],
        ]
        for members in cases {
            var chain = JournalChain()
            let records = [try chain.append(.object(members))]
            switch (Self.read(records), Self.membersPath(records)) {
            case (.success(let entries), .success(let expected)):
                #expect(entries == expected, "\(members)")
            case (.failure(let error), .failure(let expected)):
                #expect(error.code == expected.code && error.position == expected.position, "\(members)")
                #expect(error.message == expected.message, "\(members)")
            case (let read, let expected):
                Issue.record("\(members): read \(read), the members path \(expected)")
            }
        }
    }

    @Test("A broken chain is reported before an entry that does not read, wherever each is")
    func chainFaultsComeFirst() throws {
        var chain = JournalChain()
        var records: [JournalRecord] = []
        for index in 0..<5 {
            let kind: JSONValue = index == 1 ? "nope" : "stepStarted"
            records.append(
                try chain.append(["kind": kind, "at": .integer(Int64(index)), "index": .integer(Int64(index))])
            )
        }
        // Entry 1's kind is unknown: that is the error while the chain holds.
        guard case .failure(let unknown) = Self.read(records) else {
            Issue.record("an unknown kind reads")
            return
        }
        #expect(unknown.code == .corruptJournal && unknown.position == 1)
        #expect(unknown.message.hasPrefix("unknown entry kind 'nope'"))
        // Entry 3 changed (its hash no longer matches): the chain's fault comes first.
        let text = String(decoding: records[3].bytes, as: UTF8.self)
        records[3] = JournalRecord(position: 3, bytes: Array(text.replacing("\"index\":3", with: "\"index\":4").utf8))
        guard case .failure(let altered) = Self.read(records) else {
            Issue.record("an altered journal reads")
            return
        }
        #expect(altered.code == .corruptJournal && altered.position == 3)
        #expect(altered.message.contains("altered") || altered.message.contains("hashes to"), "\(altered.message)")
    }
}
