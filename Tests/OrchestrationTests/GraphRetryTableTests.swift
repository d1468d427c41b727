import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("The executor's retry table lists only the nodes that differ", .timeLimit(.suite))
struct GraphRetryTableTests {
    private let echo = ClosureAgent(name: "echo") { step, _ in step.input }

    @Test("An invalid configuration retry policy is refused naming the first node, as before the table was cut")
    func invalidConfigurationNamesFirstNode() async throws {
        let orchestrator = try makeOrchestrator()
        var graph = AgentGraph()
        graph.add("b", agent: echo)
        graph.add("a", agent: echo)
        let configuration = Orchestrator.GraphConfiguration(retryPolicy: RetryPolicy(maxAttempts: 0))
        let error = await #expect(throws: OrchestrationError.self) {
            _ = try await orchestrator.run(graph, task: nil, configuration: configuration)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.nodes == ["a"])
        #expect(error?.message.contains("The retry policy of \"a\" is invalid") == true)
    }

    @Test("A node with its own retry policy retries by it; the others by the configuration's")
    func ownPolicyStillApplies() async throws {
        let orchestrator = try makeOrchestrator()
        let calls = Counter()
        let flaky = ClosureAgent(name: "flaky") { _, _ in
            calls.increment()
            if calls.value < 3 { throw RetryableTestError() }
            return "ok"
        }
        var graph = AgentGraph()
        graph.add("plain", agent: echo)
        graph.add("flaky", agent: flaky, retryPolicy: RetryPolicy(maxAttempts: 3))
        let report = try await orchestrator.run(graph, task: nil)
        #expect(report.status == .succeeded)
        #expect(report.node("flaky")?.attempts.count == 3)
        #expect(report.node("plain")?.attempts.count == 1)
    }
}

private struct RetryableTestError: RetryableError {
    var isRetryable: Bool { true }
    var retryAfter: Duration? { nil }
}
