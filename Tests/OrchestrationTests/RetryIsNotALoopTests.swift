import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

@Suite("Loop detection and retries", .timeLimit(.suite))
struct RetryIsNotALoopTests {
    /// A tool whose first `failures` calls throw, retryably or not, then succeed.
    private func flaky(failures: Int, retryable: Bool, bodies: Counter) -> ClosureTool {
        ClosureTool(name: "fetch", description: "Fails, then works.", parameters: .any) { arguments in
            bodies.increment()
            if bodies.value <= failures { throw FlakyFailure(isRetryable: retryable) }
            return arguments
        }
    }

    /// Calls `fetch` with the same arguments `calls` times, ignoring tool errors.
    private func retrier(calls: Int) -> ClosureAgent {
        ClosureAgent(name: "retrier") { _, context in
            for _ in 0..<calls {
                do {
                    _ = try await context.callTool("fetch", arguments: ["url": "a"])
                } catch let error as ToolError where error.code == .toolFailed {
                    continue
                }
            }
            return "done"
        }
    }

    @Test("An identical call after a retryable failure is a retry, not a repeat")
    func retryAfterRetryableFailure() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [flaky(failures: 2, retryable: true, bodies: bodies)])
        // Two retryable failures, then a success: three identical calls under a repeat limit of 1.
        let report = await orchestrator.run(
            retrier(calls: 3),
            task: nil,
            policy: try StrictPolicy(maxRepeatedToolCalls: 1)
        )
        #expect(report.stopReason == .completed)
        #expect(bodies.value == 3)
        #expect(report.totals.toolCalls == 3)
    }

    @Test("An identical call after a success is a repeat")
    func repeatAfterSuccess() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [flaky(failures: 1, retryable: true, bodies: bodies)])
        // Failure (forgiven), success (counts 1), success again: the second success is the repeat.
        let report = await orchestrator.run(
            retrier(calls: 3),
            task: nil,
            policy: try StrictPolicy(maxRepeatedToolCalls: 1)
        )
        #expect(report.stopReason.violation?.limit == .maxRepeatedToolCalls)
        #expect(bodies.value == 2)
    }

    @Test("An identical call after a failure that will not go away is a repeat")
    func repeatAfterPermanentFailure() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [flaky(failures: 5, retryable: false, bodies: bodies)])
        let report = await orchestrator.run(
            retrier(calls: 3),
            task: nil,
            policy: try StrictPolicy(maxRepeatedToolCalls: 1)
        )
        #expect(report.stopReason.violation?.limit == .maxRepeatedToolCalls)
        #expect(bodies.value == 1)
    }
}

/// A tool failure that may or may not go away if tried again.
struct FlakyFailure: RetryableError, CustomStringConvertible {
    var isRetryable: Bool
    var description: String { isRetryable ? "busy, try again" : "gone for good" }
}
