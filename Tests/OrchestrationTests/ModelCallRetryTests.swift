import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Governed model calls: retries on the manual clock", .timeLimit(.suite))
struct ModelCallRetryTests {
    static func transient(_ code: ModelError.Code, retryAfter: Duration? = nil) -> ScriptedModel.Turn {
        .failure(ModelError(code: code, model: "scripted", status: 503, retryAfter: retryAfter, message: "busy"))
    }

    @Test("A rate limit with retry-after waits exactly that long on the run's clock, then retries")
    func retryAfter() async throws {
        try await withWatchdog("a retried model call") {
            let clock = ManualClock()
            let model = ScriptedModel(turns: [Self.transient(.rateLimited, retryAfter: .seconds(2)), .text("ok")])
            let retry = RetryPolicy.exponential(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10))
            // Room for one call's maximum and a bit: had the failed call kept its reservation, the retry would get
            // only the bit.
            let policy = try StrictPolicy(maxOutputTokens: 5_000)
            let handle = try makeOrchestrator(clock: clock)
                .start(oneCall(model, retry: retry), task: nil, policy: policy)
            await clock.waitForSleepers(count: 2)  // the run's deadline and the retry's wait
            clock.advance(by: .seconds(1))
            #expect(model.callCount == 1, "retried before the provider's retry-after")
            clock.advance(by: .seconds(1))
            let report = await handle.report
            var retrying: [OrchestrationEvent.Kind] = []
            for await event in handle.events where event.kind.name == "modelCallRetrying" {
                retrying.append(event.kind)
            }
            #expect(report.status == .succeeded)
            #expect(report.finalOutput == "ok")
            #expect(modelCalls(report).map(\.attempt) == [1, 2])
            #expect(modelCalls(report).map(\.status) == [.failed, .succeeded])
            #expect(modelCalls(report).first?.error?.code == "rateLimited")
            #expect(modelCalls(report).first?.usage == .zero, "a failed call is billed nothing")
            #expect(
                retrying == [
                    .modelCallRetrying(model: "scripted", failedAttempt: 1, delayNanoseconds: Nanoseconds(.seconds(2)))
                ]
            )
            #expect(report.durationNanoseconds == Nanoseconds(.seconds(2)))
            #expect(
                model.requests.map(\.options.maximumOutputTokens) == [4_096, 4_096],
                "the failed attempt's reservation was not given back"
            )
            #expect(report.ledger.first { $0.budget == "modelCalls" }?.used == 2, "each attempt is a model call")
            #expect(report.ledger.first { $0.budget == "repeatedToolCalls" }?.used == 0, "a retry is not a loop")
        }
    }

    @Test("Without retry-after the policy's backoff applies: 1 s, then 2 s")
    func backoff() async throws {
        try await withWatchdog("a model call retried twice") {
            let clock = ManualClock()
            let model = ScriptedModel(turns: [Self.transient(.serverError), Self.transient(.overloaded), .text("ok")])
            let retry = RetryPolicy.exponential(maxAttempts: 3, initialDelay: .seconds(1), maxDelay: .seconds(10))
            let handle = try makeOrchestrator(clock: clock).start(oneCall(model, retry: retry), task: nil)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .seconds(1))
            await clock.waitForSleepers(count: 2)
            #expect(model.callCount == 2)
            clock.advance(by: .seconds(2))
            let report = await handle.report
            #expect(report.status == .succeeded)
            #expect(modelCalls(report).map(\.attempt) == [1, 2, 3])
            #expect(report.durationNanoseconds == Nanoseconds(.seconds(3)))
            #expect(report.events.modelCallRetrying == 2)
        }
    }

    @Test("A non-retryable error is not retried; its unit counts and its reservation is given back")
    func notRetryable() async throws {
        let model = ScriptedModel(turns: [Self.transient(.invalidRequest), .text("never")])
        let report = try await makeOrchestrator().run(oneCall(model, retry: .modelCalls), task: nil)
        #expect(model.callCount == 1)
        #expect(report.status == .failed)
        #expect(modelCalls(report).map(\.status) == [.failed])
        #expect(report.ledger.first { $0.budget == "modelCalls" }?.used == 1)
        #expect(report.ledger.first { $0.budget == "tokens" }?.used == 0)
    }

    @Test("Attempts are bounded by maxAttempts; the last error ends the call")
    func attemptsExhausted() async throws {
        try await withWatchdog("a model call that keeps failing") {
            let clock = ManualClock()
            let model = ScriptedModel(turns: [Self.transient(.timedOut)], whenExhausted: .repeatLast)
            let retry = RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(10))
            let handle = try makeOrchestrator(clock: clock).start(oneCall(model, retry: retry), task: nil)
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(10))
            let report = await handle.report
            #expect(model.callCount == 2)
            #expect(report.status == .failed)
            #expect(modelCalls(report).map(\.status) == [.failed, .failed])
        }
    }
}
