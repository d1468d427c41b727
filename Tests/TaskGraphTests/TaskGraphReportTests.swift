import AgentAdapters
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import FoundationEssentials
import Testing

@Suite("TaskGraphReport", .timeLimit(.suite))
struct TaskGraphReportTests {
    @Test("The critical path taken follows the dependency that finished last")
    func criticalPathTaken() async throws {
        let clock = ManualClock()
        let log = EventLog()
        let executor = TaskGraphExecutor(configuration: .init(onEvent: log.handler), clock: clock)
        let graph = TaskGraph.of(["a": [], "b": [], "c": ["a", "b"], "d": []])
        let durations: [String: Duration] = ["a": .seconds(1), "b": .seconds(3), "c": .seconds(1)]
        async let running = executor.run(graph) { (invocation: NodeInvocation<String>) in
            if let duration = durations[invocation.node] { try await clock.sleep(for: duration) }
            return invocation.node
        }
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(1))
        await log.waitUntilFinished("a")
        clock.advance(by: .seconds(2))
        await log.waitUntilFinished("b")
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        let report = try await running
        #expect(report.criticalPath == ["b", "c"])
        #expect(try graph.criticalPath() == ["a", "c"])
        #expect(report.durationNanoseconds == Nanoseconds(.seconds(4)))
        #expect(report.node("c")?.startNanoseconds == Nanoseconds(.seconds(3)))
    }

    @Test("Reports encode stable field names and integer nanoseconds, and decode back")
    func encoding() async throws {
        let clock = ManualClock()
        let executor = TaskGraphExecutor(
            configuration: .init(
                failureMode: .continueIndependent,
                retryPolicy: RetryPolicy(maxAttempts: 2, initialDelay: .ms(100))
            ),
            clock: clock
        )
        async let running = executor.run(.of(["a": [], "b": ["a"], "x": []])) { (invocation: NodeInvocation<Int>) in
            if invocation.node == "a", invocation.attempt == 1 { throw TransientError(attempt: 1) }
            if invocation.node == "x" { throw PlainError(message: "x failed") }
            return invocation.attempt
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .ms(100))
        let report = try await running
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        let json = String(decoding: data, as: UTF8.self)
        let expectedNodeA =
            #"{"attempts":[{"endNanoseconds":0,"error":{"isRetryable":true,"#
            + #""message":"transient failure on attempt 1","type":"AgentTaskGraphTests.TransientError"},"#
            + #""number":1,"outcome":"failed","startNanoseconds":0},"#
            + #"{"endNanoseconds":100000000,"number":2,"outcome":"succeeded","startNanoseconds":100000000}],"#
            + #""endNanoseconds":100000000,"id":"a","output":2,"retryDelaysNanoseconds":[100000000],"#
            + #""startNanoseconds":0,"status":"succeeded"}"#
        #expect(json.contains(expectedNodeA))
        #expect(json.contains(#""counts":{"cancelled":0,"failed":1,"skipped":0,"succeeded":2,"timedOut":0}"#))
        #expect(json.contains(#""criticalPath":["a","b"]"#))
        #expect(json.contains(#""durationNanoseconds":100000000"#))
        #expect(json.contains(#""schemaVersion":1"#))
        #expect(json.contains(#""status":"failed""#))
        #expect(try JSONDecoder().decode(TaskGraphReport<Int>.self, from: data) == report)
    }

    @Test("Counts add up to the node count")
    func counts() {
        let counts = TaskGraphStatusCounts([.succeeded, .failed, .skipped, .skipped, .cancelled, .timedOut])
        #expect(counts == TaskGraphStatusCounts(succeeded: 1, failed: 1, timedOut: 1, cancelled: 1, skipped: 2))
        #expect(counts.total == 6)
    }

}
