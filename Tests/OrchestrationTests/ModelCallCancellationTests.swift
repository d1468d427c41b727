import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Governed model calls: a run ended during a streamed response", .timeLimit(.suite))
struct ModelCallCancellationTests {
    @Test(
        "Timed out or cancelled mid-stream: the report returns, the call is cancelled, the reservation released",
        arguments: [true, false]
    )
    func endedMidStream(timesOut: Bool) async throws {
        try await withWatchdog("a run ended during a streamed response") {
            let clock = ManualClock()
            let yielded = Signal()
            let model = SignallingModel(
                inner: ScriptedModel(turns: [.hang(afterYielding: [.response("Hel")])]),
                yielded: yielded
            )
            let shared = SharedBudget(try BudgetLimits(maxTokens: 1_000_000))
            let policy = try StrictPolicy(timeout: .seconds(1))
            let handle = try makeOrchestrator(clock: clock)
                .start(oneCall(model), task: nil, policy: policy, sharedBudget: shared)
            await yielded.wait()
            if timesOut {
                await clock.waitForSleepers(count: 1)
                clock.advance(by: .seconds(1))
            } else {
                handle.cancel()
            }
            let report = await handle.report
            #expect(report.status == (timesOut ? .timedOut : .cancelled))
            let record = try #require(modelCalls(report).first)
            #expect(record.status == .cancelled)
            #expect(record.reservedUsage.outputTokens == 4_096)
            #expect(record.usage == .zero)
            #expect(report.events.modelDelta == 1)
            #expect(report.events.modelCallStarted == 1)
            #expect(shared.ledger.reservedUsage == .zero, "the shared reservation was not released")
            await handle.agentWorkEnded()
            #expect(shared.ledger.reservedUsage == .zero)
            #expect(shared.ledger.usage == .zero, "a cancelled call is billed nothing")
        }
    }
}
