import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A run's batch is sealed entry after entry into one scratch buffer, by the appender that holds the run's chain
/// (`JournalOutbox` hands it out with the batch and takes it back), and a new run is fed nothing: the records must
/// be those sealed apart, and the chain the one sealing left.
@Suite("A run's batch sealed in one buffer, its chain held by the appender", .timeLimit(.suite))
struct JournalBatchSealingTests {
    @Test("Random entries sealed one after another in one scratch buffer are the records sealed apart")
    func sharedScratchMatchesSealingApart() throws {
        var generator = SplitMix64(seed: 0x5C7A)
        var apart = JournalChain()
        var shared = JournalChain()
        var scratch: [UInt8] = []
        for index in 0..<1_500 {
            // Long entries (`runStarted`, with its policy) between short ones: the buffer shrinks and grows again.
            let kind =
                index % 7 == 0 ? .runStarted : RunJournalEntry.Kind.allCases.randomElement(using: &generator)!
            let entry = JournalLayoutSealingTests.randomEntry(kind, using: &generator)
            let rendering = kind == .runStarted ? entry.fields["policy"].flatMap(CanonicalRendering.init) : nil
            var fresh: [UInt8] = []
            let expected = try apart.append(
                entry.fields,
                kind: kind.rawValue,
                at: entry.at.rawValue,
                layout: kind.layout,
                rendered: rendering.map { ("policy", $0) },
                scratch: &fresh
            )
            let record = try shared.append(
                entry.fields,
                kind: kind.rawValue,
                at: entry.at.rawValue,
                layout: kind.layout,
                rendered: rendering.map { ("policy", $0) },
                scratch: &scratch
            )
            #expect(
                record == expected,
                "entry \(index) (\(kind)): \(String(decoding: record.bytes, as: UTF8.self)) != \(String(decoding: expected.bytes, as: UTF8.self))"
            )
        }
        #expect(shared == apart)
    }

    @Test("The appender takes the chain with the batch and gives back the one sealing left")
    func outboxHandsTheChainToTheAppender() throws {
        var outbox = JournalOutbox()
        var start = JournalChain()
        _ = try start.append(["kind": "runStarted", "at": 0] as JSONValue)
        outbox.continueChain(start)
        outbox.record(RunJournalEntry(.lifecycleStarted, at: .zero))
        let batch = outbox.take()
        let (entries, taken) = try #require(batch)
        #expect(entries.count == 1)
        #expect(taken == start, "the batch comes with the chain the run continues")
        #expect(outbox.take() == nil, "one appender at a time")
        var sealed = taken
        _ = try sealed.append(["kind": "lifecycleStarted", "at": 1] as JSONValue)
        #expect(outbox.finishAppend(sealed).isEmpty)
        #expect(outbox.chain == sealed, "the appender's chain is the run's again")
        #expect(outbox.chain.count == 2)
        #expect(outbox.isIdle)
    }

    @Test("Only a new run is live from its start: a resumed run or a replay is fed its journal")
    func onlyANewRunStartsLive() {
        func recorder(_ entries: [RunJournalEntry], isReplay: Bool) -> RunRecorder {
            RunRecorder(
                journal: RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "live")!),
                entries: entries,
                chain: JournalChain(),
                isReplay: isReplay,
                policyHash: SHA256.hash([UInt8]()),
                decision: nil
            )
        }
        let started = [RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"])]
        #expect(recorder([], isReplay: false).startsLive)
        #expect(!recorder(started, isReplay: false).startsLive)
        #expect(!recorder([], isReplay: true).startsLive)
        #expect(!recorder(started, isReplay: true).startsLive)
    }
}
