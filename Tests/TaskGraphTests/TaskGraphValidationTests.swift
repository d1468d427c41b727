import AgentPolicy
import AgentTaskGraph
import Testing

@Suite("TaskGraph validation", .timeLimit(.suite))
struct TaskGraphValidationTests {
    private func validationError(_ graph: TaskGraph) -> TaskGraphError? {
        do {
            try graph.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test("An empty graph is rejected")
    func emptyGraph() {
        let error = validationError(TaskGraph())
        #expect(error?.code == .emptyGraph)
        #expect(error?.nodes == [])
    }

    @Test("A duplicate id is named")
    func duplicateNode() {
        let error = validationError(.of(["a": [], "b": ["a"], "a": []]))
        #expect(error?.code == .duplicateNode)
        #expect(error?.nodes == ["a"])
        #expect(error?.message.contains("\"a\"") == true)
    }

    @Test("A self-dependency names the node")
    func selfDependency() {
        let error = validationError(.of(["a": [], "b": ["a", "b"]]))
        #expect(error?.code == .selfDependency)
        #expect(error?.nodes == ["b"])
    }

    @Test("An unknown dependency names both the node and the missing id")
    func unknownDependency() {
        let error = validationError(.of(["a": [], "b": ["a", "ghost"]]))
        #expect(error?.code == .unknownDependency)
        #expect(error?.nodes == ["b", "ghost"])
        #expect(error?.message.contains("\"b\"") == true)
        #expect(error?.message.contains("\"ghost\"") == true)
    }

    @Test("A missing dependency is not reported as a cycle")
    func unknownBeforeCycle() {
        let error = validationError(.of(["a": ["b"], "b": ["a", "missing"]]))
        #expect(error?.code == .unknownDependency)
        #expect(error?.nodes == ["b", "missing"])
    }

    @Test("A 3-node cycle lists all three in dependency order")
    func threeNodeCycle() {
        let error = validationError(.of(["a": ["b"], "b": ["c"], "c": ["a"]]))
        #expect(error?.code == .cycle)
        #expect(error?.nodes == ["a", "b", "c"])
        #expect(error?.message.contains("\"a\" -> \"b\" -> \"c\" -> \"a\"") == true)
    }

    @Test("A cycle starts at its earliest-declared node and excludes nodes merely downstream of it")
    func cycleWithTail() {
        let graph = TaskGraph.of([
            "root": [], "tail": ["y"], "y": ["x", "root"], "x": ["z"], "z": ["y"],
        ])
        let error = validationError(graph)
        #expect(error?.code == .cycle)
        #expect(error?.nodes == ["y", "x", "z"])
    }

    @Test("Validation reports the first problem in a fixed order")
    func checkOrder() {
        #expect(validationError(.of(["a": ["a"], "a": []]))?.code == .duplicateNode)
        #expect(validationError(.of(["a": ["zz"], "b": ["b"]]))?.code == .selfDependency)
        #expect(validationError(.of(["a": ["b"], "b": ["a"], "c": ["zz"]]))?.code == .unknownDependency)
    }

    @Test("Repeated dependencies count once")
    func repeatedDependency() throws {
        let graph = TaskGraph.of(["a": [], "b": ["a", "a"]])
        try graph.validate()
        #expect(graph.dependencies(of: "b") == ["a"])
        #expect(try graph.topologicalOrder() == ["a", "b"])
    }

    enum Insertion: String, CaseIterable, Sendable {
        case forward, reversed, shuffled
    }

    private static func chain(_ count: Int, _ insertion: Insertion) -> TaskGraph {
        var nodes = (0..<count).map { TaskGraph.Node("n\($0)", dependsOn: $0 == 0 ? [] : ["n\($0 - 1)"]) }
        switch insertion {
        case .forward: break
        case .reversed: nodes.reverse()
        case .shuffled:
            var random = SplitMix64(seed: 7)
            nodes.shuffle(using: &random)
        }
        return TaskGraph(nodes)
    }

    @Test("A 100,000-node chain validates in any insertion order", .plainRunOnly, arguments: Insertion.allCases)
    func longChain(insertion: Insertion) throws {
        let graph = Self.chain(100_000, insertion)
        try graph.validate()
        let order = try graph.topologicalOrder()
        #expect(order == (0..<100_000).map { "n\($0)" })
        #expect(try graph.criticalPathLength() == 100_000)
        #expect(try graph.levels().count == 100_000)
    }

    @Test("A 100,000-node cycle is found without recursion and listed in full", .plainRunOnly)
    func longCycle() {
        var graph = Self.chain(100_000, .shuffled)
        let first = graph.nodes.firstIndex { $0.id == "n0" }!
        graph.nodes[first].dependencies = ["n99999"]
        let error = validationError(graph)
        #expect(error?.code == .cycle)
        #expect(error?.nodes.count == 100_000)
        let nodes = error?.nodes ?? []
        let declared = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0.dependencies) })
        for (position, node) in nodes.enumerated() {
            #expect(declared[node] == [nodes[(position + 1) % nodes.count]])
        }
    }

    @Test("Errors compare by code, encode every field, and describe themselves")
    func errorValue() throws {
        let error = validationError(.of(["a": ["b"], "b": ["a"]]))!
        #expect(error == TaskGraphError(code: .cycle, message: "other"))
        #expect(error != TaskGraphError(code: .emptyGraph, message: ""))
        #expect(error.description.hasPrefix("TaskGraphError(cycle): "))
        #expect(TaskGraphError.Code.cycle.rawValue == "cycle")
    }

    @Test("The executor validates before any node runs")
    func executorValidatesFirst() async {
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor()
        await #expect(throws: TaskGraphError(code: .cycle, message: "")) {
            _ = try await executor.run(.of(["ok": [], "a": ["b"], "b": ["a"]])) { (invocation: NodeInvocation<Int>) in
                tracker.enter(invocation.node)
                return 1
            }
        }
        #expect(tracker.allCalls.isEmpty)
    }

    @Test("An invalid configuration is rejected before any node runs")
    func invalidConfiguration() async {
        let tracker = BodyTracker()
        let graph = TaskGraph.of(["a": []])
        let configurations: [TaskGraphExecutor.Configuration] = [
            .init(maxConcurrency: 0),
            .init(retryPolicy: RetryPolicy(maxAttempts: 0)),
            .init(nodeTimeout: .zero),
            .init(nodeRetryPolicies: ["zz": RetryPolicy.none]),
            .init(nodeTimeouts: ["a": .seconds(-1)]),
            .init(outputNode: "zz"),
        ]
        for configuration in configurations {
            let executor = TaskGraphExecutor(configuration: configuration)
            await #expect(throws: TaskGraphError(code: .invalidConfiguration, message: "")) {
                _ = try await executor.run(graph) { (invocation: NodeInvocation<Int>) in
                    tracker.enter(invocation.node)
                    return 1
                }
            }
        }
        #expect(tracker.allCalls.isEmpty)
    }
}
