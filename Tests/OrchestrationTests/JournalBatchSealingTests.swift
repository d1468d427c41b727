import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A run's batch is sealed entry after entry by the appender that holds the run's chain (`JournalOutbox` hands it
/// out with the batch and takes it back), and a new run is fed nothing: the chain must be the one sealing left.
@Suite("A run's batch sealed by the appender that holds its chain", .timeLimit(.suite))
struct JournalBatchSealingTests {
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
