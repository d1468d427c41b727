import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A live `stepStarted` entry's `index` and `revision` are sealed from the queued entry as two integers held as
/// values (``IntegerMembers``), not from a list of fields: the records must be those of the same entries sealed from
/// their fields, in the layout and, when a field outside the layout sends the entry the general way, there too.
@Suite("Integer members sealed as the same fields", .timeLimit(.suite))
struct JournalIntegerMembersTests {
    /// A random integer: small, at the edges of `Int64`, or beyond 2⁵³ (whose stored form is patched).
    static func randomInteger(using generator: inout SplitMix64) -> Int64 {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: Int64.random(in: 0...50, using: &generator)
        case 1: Int64.random(in: -1_000...1_000, using: &generator)
        case 2: [Int64.min, .max, 1 << 53, (1 << 53) + 1, -(1 << 53) - 1].randomElement(using: &generator)!
        default: Int64.random(in: .min ... .max, using: &generator)
        }
    }

    @Test("Random stepStarted entries seal to the records and hashes of the entries with integer fields")
    func integerEntriesMatchTheFieldEntries() throws {
        var generator = SplitMix64(seed: 0x1A7E6)
        var members = JournalChain()
        var fields = JournalChain()
        let layout = try #require(RunJournalEntry.Kind.stepStarted.layout)
        for index in 0..<600 {
            let (first, second) = (Self.randomInteger(using: &generator), Self.randomInteger(using: &generator))
            let at = Int64.random(in: 0...1_000_000, using: &generator)
            // Now and then a field outside the layout: the general seal, with the integers as its added members.
            var extra: EntryFields = [:]
            if index % 10 == 9 { extra["note"] = JournalLayoutSealingTests.randomValue(depth: 1, using: &generator) }
            let integers = IntegerMembers(("index", first), ("revision", second))
            let record = try members.append(extra, kind: "stepStarted", at: at, layout: layout, integers: integers)
            var all = extra
            all["index"] = .integer(first)
            all["revision"] = .integer(second)
            let expected = try fields.append(all, kind: "stepStarted", at: at, layout: layout)
            #expect(record == expected, "entry \(index): \(String(decoding: record.bytes, as: UTF8.self))")
            if index % 10 != 9 {
                // Without an outside field, the layout applies: the integers are written in their slots.
                let laidOut = JournalChain.seal(
                    EntryFields(),
                    adding: KindAndTime(kind: "stepStarted", at: at, integers: integers),
                    layout: layout,
                    rendered: nil,
                    version: JournalChain.formatVersion,
                    position: 0,
                    after: .zero
                )
                #expect(laidOut != nil, "entry \(index) is sealed in the layout")
            }
        }
        #expect(members.headHash == fields.headHash)
    }

    @Test("A journaled run's stepStarted entries read back with the steps' index and revision")
    func journaledStepsReadBack() async throws {
        let store = InMemoryCheckpointStore()
        let journal = RunJournal(store: store, id: JournalID(rawValue: "integer-members")!)
        let orchestrator = try Orchestrator()
        let report = await orchestrator.run(
            ClosureAgent(
                name: "steps",
                plan: { _, _ in [AgentStep(.string("a")), AgentStep(.string("b"))] },
                execute: { step, _ in step.input }
            ),
            task: .string("go"),
            policy: try StrictPolicy(maxSteps: 5),
            journal: journal
        )
        #expect(report.status == .succeeded)
        let records = store.records(of: journal.id, from: 0)
        guard case .verified = JournalChain.verify(records, expectedHeadHash: report.journalHeadHash) else {
            Issue.record("the journal does not verify")
            return
        }
        let entries = try await RunJournal.readInParts(records, of: journal.id).entries
        let started = entries.filter { $0.kind == .stepStarted }
        #expect(started.map { $0.integer("index") } == [0, 1])
        #expect(started.map { $0.integer("revision") } == [0, 0])
        #expect(started.allSatisfy { $0.fields.count == 2 })
    }
}
