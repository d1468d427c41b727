import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// The executor hands up to two inputs to a node's child without a dictionary and builds `dependencyOutputs` there;
/// these pin that every count of inputs, retries and routing give the body exactly the dictionary it had before.
@Suite("Dependency inputs", .timeLimit(.suite))
struct DependencyInputsTests {
    /// Each body call's inputs as sorted `id=output` text, keyed by `node#attempt`.
    private static func inputs(_ invocation: NodeInvocation<String>) -> String {
        invocation.dependencyOutputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    @Test("Zero to four inputs arrive exactly, on the first attempt and again on the retry")
    func everyCountOfInputs() async throws {
        let graph = TaskGraph.of([
            "a": [], "b": [], "c": [], "d": [],
            "n0": [], "n1": ["a"], "n2": ["a", "b"], "n3": ["a", "b", "c"], "n4": ["d", "c", "b", "a"],
        ])
        let seen = LockedState<[String: String]>([:])
        let executor = TaskGraphExecutor(
            configuration: .init(retryPolicy: .exponential(maxAttempts: 2, initialDelay: .zero, maxDelay: .zero)),
            clock: ManualClock()
        )
        let report = try await executor.run(graph) { (invocation: NodeInvocation<String>) in
            let text = Self.inputs(invocation)
            seen.withLock { $0["\(invocation.node)#\(invocation.attempt)"] = text }
            if invocation.node.hasPrefix("n"), invocation.attempt == 1 {
                throw TransientError(attempt: 1, retryAfter: .zero)
            }
            return "out-\(invocation.node)"
        }
        #expect(report.status == .succeeded)
        let expected = [
            "n0": "",
            "n1": "a=out-a",
            "n2": "a=out-a,b=out-b",
            "n3": "a=out-a,b=out-b,c=out-c",
            "n4": "a=out-a,b=out-b,c=out-c,d=out-d",
        ]
        let calls = seen.withLock { $0 }
        for (node, inputs) in expected {
            #expect(calls["\(node)#1"] == inputs, "first attempt of \(node)")
            #expect(calls["\(node)#2"] == inputs, "retry of \(node)")
        }
    }

    @Test("An input not taken is left out whichever count of inputs remains")
    func routedInputs() async throws {
        let graph = TaskGraph([
            TaskGraph.Node("a"), TaskGraph.Node("b"), TaskGraph.Node("c"), TaskGraph.Node("d"),
            TaskGraph.Node("j2", dependsOn: ["a", "b"], join: .any),
            TaskGraph.Node("j3", dependsOn: ["b", "a", "c"], join: .any),
            TaskGraph.Node("j4", dependsOn: ["a", "b", "c", "d"], join: .any),
        ])
        let seen = LockedState<[String: String]>([:])
        let routing: @Sendable (String, String) -> Set<String>? = { node, _ in node == "b" ? [] : nil }
        let report = try await TaskGraphExecutor(clock: ManualClock()).run(graph, routing: routing) {
            (invocation: NodeInvocation<String>) in
            seen.withLock { $0[invocation.node] = Self.inputs(invocation) }
            return "out-\(invocation.node)"
        }
        #expect(report.status == .succeeded)
        let calls = seen.withLock { $0 }
        #expect(calls["j2"] == "a=out-a")
        #expect(calls["j3"] == "a=out-a,c=out-c")
        #expect(calls["j4"] == "a=out-a,c=out-c,d=out-d")
    }
}
