import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

/// Feeding a run's end when a deadline and a cancellation race (`RunRecorder.next`).
@Suite("Run recorder: a racing end is fed from the journal")
struct RunRecorderRaceTests {
    private func recorder(ending reason: String, isReplay: Bool) -> RunRecorder {
        RunRecorder(
            journal: RunJournal(store: InMemoryCheckpointStore(), id: JournalID(rawValue: "race")!),
            entries: [
                RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"]),
                RunJournalEntry(.terminated, at: Nanoseconds(rawValue: 5), ["reasonKind": .string(reason)]),
            ],
            chain: JournalChain(),
            isReplay: isReplay,
            policyHash: SHA256.hash([UInt8]()),
            decision: nil
        )
    }

    private func termination(_ reason: String) -> RunJournalEntry {
        RunJournalEntry(.terminated, at: .zero, ["reasonKind": .string(reason)])
    }

    private func reasonFed(_ fed: RunRecorder.Fed) -> String? {
        if case .entry(let entry) = fed { return entry.string("reasonKind") }
        return nil
    }

    @Test("a live cancellation takes the journaled timeout, and a later end does not happen")
    func cancellationTakesTheJournaledTimeout() throws {
        let replay = recorder(ending: "timedOut", isReplay: true)
        _ = try replay.next(RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"]), apply: { _ in })
        #expect(reasonFed(try replay.next(termination("cancelled"), apply: { _ in })) == "timedOut")
        // The racing end that lost, asked for after the journal's end was taken.
        guard case .ended = try replay.next(termination("timedOut"), apply: { _ in }) else {
            Issue.record("a termination after the journal's end was not passed over in a replay")
            return
        }
    }

    @Test("a live timeout takes the journaled cancellation")
    func timeoutTakesTheJournaledCancellation() throws {
        let replay = recorder(ending: "cancelled", isReplay: true)
        _ = try replay.next(RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"]), apply: { _ in })
        #expect(reasonFed(try replay.next(termination("timedOut"), apply: { _ in })) == "cancelled")
    }

    @Test("an end the agent's code chose is still compared: another reason diverges")
    func chosenEndStillDiverges() throws {
        let replay = recorder(ending: "timedOut", isReplay: true)
        _ = try replay.next(RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"]), apply: { _ in })
        #expect(throws: DurableRunError.self) { try replay.next(termination("completed"), apply: { _ in }) }
    }

    @Test("after the journal's end, a step still diverges in a replay and a resume goes on live")
    func otherTransitionsAfterTheEnd() throws {
        let replay = recorder(ending: "timedOut", isReplay: true)
        _ = try replay.next(RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"]), apply: { _ in })
        _ = try replay.next(termination("timedOut"), apply: { _ in })
        #expect(throws: DurableRunError.self) {
            try replay.next(RunJournalEntry(.stepStarted, at: .zero, ["index": 0]), apply: { _ in })
        }
        // A resume whose journal ends with a termination (a pause, say) continues live: its end is recorded.
        let resume = recorder(ending: "awaitingApproval", isReplay: false)
        _ = try resume.next(RunJournalEntry(.runStarted, at: .zero, ["agentName": "a"]), apply: { _ in })
        _ = resume.peek { _ in }
        _ = try resume.next(termination("awaitingApproval"), apply: { _ in })
        guard case .live = try resume.next(termination("completed"), apply: { _ in }) else {
            Issue.record("a resume did not go on live after its journal's end")
            return
        }
    }
}
