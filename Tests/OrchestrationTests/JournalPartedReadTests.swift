import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A long journal is read in parts at the same time (`RunJournal.readInParts`, what resume, replay and fork use):
/// the entries, the chain and every error must be those of the one walk (`RunJournal.read`), and a part must give
/// up, leaving the verdict to the one walk, at anything it would not read the same way.
@Suite("Long journals read in parts", .timeLimit(.suite))
struct JournalPartedReadTests {
    static let id = JournalID(rawValue: "parted")!
    /// Parts of this many records at least: small journals (quick to make in a debug build) still read in parts.
    static let partSize = 48

    /// `count` random run entries of every kind, sealed into one chain from `genesis`, each in the stored form the
    /// single pass reads (a random entry whose stored form is not canonical, with a fraction say, is drawn again).
    static func records(_ count: Int, seed: UInt64, genesis: SHA256Digest = .zero) throws -> [JournalRecord] {
        var generator = SplitMix64(seed: seed)
        var chain = JournalChain(genesis: genesis)
        var records: [JournalRecord] = []
        while records.count < count {
            let kind = RunJournalEntry.Kind.allCases.randomElement(using: &generator)!
            let entry = JournalLayoutSealingTests.randomEntry(kind, using: &generator)
            var next = chain
            let record = try next.append(entry.fields, adding: entry.sealedMembers)
            let canonical = record.bytes.withUnsafeBufferPointer {
                JournalChain.readCanonicalRecord($0, knownVersion: JournalChain.formatVersion) != nil
            }
            guard canonical else { continue }
            chain = next
            records.append(record)
        }
        return records
    }

    /// What the one walk reads: the entries, or the error.
    static func oneWalk(_ records: [JournalRecord]) -> Result<[RunJournalEntry], DurableRunError> {
        do throws(DurableRunError) {
            let read = try RunJournal.read(records, of: id)
            return .success(read.entries)
        } catch {
            return .failure(error)
        }
    }

    /// What the parted read reads.
    static func inParts(_ records: [JournalRecord]) async -> Result<[RunJournalEntry], DurableRunError> {
        do throws(DurableRunError) {
            let read = try await RunJournal.readInParts(records, of: id, partSize: partSize)
            return .success(read.entries)
        } catch {
            return .failure(error)
        }
    }

    @Test("A long journal reads in parts to the one walk's entries and chain")
    func sameEntries() async throws {
        // More records than the most parts hold at their fewest: eight parts of more than the fewest.
        let records = try Self.records(9 * Self.partSize + 17, seed: 0x9A27_ED01)
        let parted = await JournalChain.readEntriesInParts(records, partSize: Self.partSize) { read, position in
            try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
        }
        let oneWalk = try RunJournal.read(records, of: Self.id)
        let read = try #require(parted, "a sound journal of \(records.count) records is read in parts")
        #expect(read.chain.headHash == oneWalk.chain.headHash, "the parts' chain ends at the one walk's head")
        #expect(read.chain.count == oneWalk.chain.count)
        #expect(read.entries.count == oneWalk.entries.count)
        for (position, (entry, reference)) in zip(read.entries, oneWalk.entries).enumerated() where entry != reference {
            Issue.record("entry \(position) read in parts as \(entry), in one walk as \(reference)")
        }
    }

    @Test("A record replaced and re-hashed at a part's end is caught where the parts join")
    func replacedAtBoundary() async throws {
        var records = try Self.records(2 * Self.partSize, seed: 0xB0DA_7E55)
        // The last record of the first part, replaced by another entry that chains from the record before it: its
        // own hash and link hold, and only the next part's first link shows the change.
        let last = Self.partSize - 1
        var chain = try JournalChain(continuing: Array(records[..<last]))
        records[last] = try chain.append(.object(["kind": "lifecycleStarted", "at": 1]))
        let parted = await JournalChain.readEntriesInParts(records, partSize: Self.partSize) { read, position in
            try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
        }
        #expect(parted == nil ? true : false, "the parts do not join: the parted read gives up")
        let oneWalk = Self.oneWalk(records)
        guard case .failure(let error) = oneWalk else {
            Issue.record("the one walk read a journal with a replaced entry")
            return
        }
        #expect(error.position == last, "the one walk names the replaced entry")
        #expect(await Self.inParts(records) == oneWalk, "the parted read reports the one walk's error")
    }

    @Test("Faults and records the single pass does not read: the parted read answers as the one walk does")
    func faultsAnswerAsOneWalk() async throws {
        let sound = try Self.records(2 * Self.partSize + 5, seed: 0x0DD_FA17)
        let middle = Self.partSize + 3
        var spaced = sound
        // Whitespace: the same data (the hash holds), but not in the stored form the single pass reads.
        spaced[middle] = JournalRecord(position: middle, bytes: [0x20] + sound[middle].bytes)
        var altered = sound
        altered[middle] = JournalRecord(position: middle, bytes: Array(sound[middle + 1].bytes))
        var removed = sound
        removed.remove(at: 2 * Self.partSize - 1)
        // Canonical and sound, but no run entry: the part cannot make it, and the one walk names it.
        var bogus = Array(sound[..<(Self.partSize + 9)])
        var bogusChain = try JournalChain(continuing: bogus)
        bogus.append(try bogusChain.append(.object(["kind": "bogus", "at": 1])))
        for _ in 0..<Self.partSize {
            bogus.append(try bogusChain.append(.object(["kind": "lifecycleStarted", "at": 2])))
        }
        var unreadable = sound
        unreadable[Self.partSize + 7] = JournalRecord(position: Self.partSize + 7, bytes: Array("{\"kind\":".utf8))
        for (name, records) in [
            ("spaced", spaced), ("altered", altered), ("removed", removed), ("torn", unreadable), ("bogus", bogus),
        ] {
            let parted = await JournalChain.readEntriesInParts(records, partSize: Self.partSize) { read, position in
                try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
            }
            #expect(parted == nil ? true : false, "\(name): a part gives up")
            #expect(await Self.inParts(records) == Self.oneWalk(records), "\(name): the one walk's answer")
        }
        guard case .failure(let error) = Self.oneWalk(bogus) else {
            Issue.record("the one walk read an entry of an unknown kind")
            return
        }
        #expect(error.position == Self.partSize + 9, "the one walk names the entry of an unknown kind")
        guard case .success(let entries) = Self.oneWalk(spaced) else {
            Issue.record("the one walk refused a record with leading whitespace")
            return
        }
        #expect(entries == (try RunJournal.read(sound, of: Self.id).entries))
    }

    @Test("A journal chained from another journal's entry reads in parts from that genesis only")
    func forkedGenesis() async throws {
        let genesis = SHA256.hash(Array("parent".utf8))
        let records = try Self.records(3 * Self.partSize, seed: 0xF02C, genesis: genesis)
        let fromParent = await JournalChain.readEntriesInParts(records, genesis: genesis, partSize: Self.partSize) {
            read,
            position in
            try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
        }
        let read = try #require(fromParent, "a journal chained from another journal's entry, read from that hash")
        #expect(read.chain == (try JournalChain(continuing: records, genesis: genesis)), "the one walk's chain")
        let fromZero = await JournalChain.readEntriesInParts(records, partSize: Self.partSize) { read, position in
            try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
        }
        #expect(fromZero == nil ? true : false, "from the zero genesis the first link does not hold")
    }

    @Test("A short journal is read in one walk")
    func shortJournalIsNotParted() async throws {
        let records = try Self.records(2 * Self.partSize - 1, seed: 0x5407)
        let parted = await JournalChain.readEntriesInParts(records, partSize: Self.partSize) { read, position in
            try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
        }
        #expect(parted == nil ? true : false, "too short to part")
        #expect(await Self.inParts(records) == Self.oneWalk(records))
    }
}
