import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

@Suite("RetryPolicy in the executor", .timeLimit(.suite))
struct RetryPolicyExecutorTests {
    @Test("RetryPolicy.none makes one attempt: a retryable error is not retried")
    func none() async throws {
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor(configuration: .init(retryPolicy: .none), clock: ManualClock())
        let report = try await executor.run(.of(["a": []])) { (invocation: NodeInvocation<Int>) in
            tracker.enter("a")
            throw TransientError(attempt: invocation.attempt)
        }
        #expect(tracker.calls("a") == 1)
        #expect(report.node("a")?.attempts.count == 1)
        #expect(report.node("a")?.retryDelaysNanoseconds == [])
        #expect(report.node("a")?.status == .failed)
    }
}
