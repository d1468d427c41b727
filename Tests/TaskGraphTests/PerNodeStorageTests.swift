import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

@testable import AgentTaskGraph

/// The executor's per-node storage without an allocation per node: the graph's adjacency lists in two flat arrays,
/// a single attempt record held inline, and a node's inputs handed to the body with the dictionary built on read.
/// These pin that each holds exactly what the per-node arrays and dictionaries held.
@Suite("Per-node storage", .timeLimit(.suite))
struct PerNodeStorageTests {
    /// Each node's dependencies (first mention kept, in declared order) and dependents (in declaration order),
    /// computed the plain way from the graph's nodes.
    private static func expectedLists(_ graph: TaskGraph) -> (dependencies: [[Int]], dependents: [[Int]]) {
        let position = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().map { ($1.id, $0) })
        let dependencies = graph.nodes.map { node in
            var seen = Set<Int>()
            return node.dependencies.compactMap { position[$0] }.filter { seen.insert($0).inserted }
        }
        let dependents = graph.nodes.indices.map { target in
            graph.nodes.indices.filter { dependencies[$0].contains(target) }
        }
        return (dependencies, dependents)
    }

    @Test("The flat adjacency lists hold each node's dependencies and dependents in order")
    func adjacencyLists() throws {
        // Declared out of order (Kahn's path), with repeated dependencies and a node without dependents.
        var graphs = [
            TaskGraph.of(["d": ["b", "c", "b"], "a": [], "c": ["a", "a"], "b": ["a"], "e": []]),
            TaskGraph.of(["x": []]),
        ]
        var generator = SplitMix64(seed: 7)
        var nodes: [TaskGraph.Node] = []
        for index in 0..<60 {
            let count = index == 0 ? 0 : Int.random(in: 0...4, using: &generator)
            let dependencies = (0..<count).map { _ in "n\(Int.random(in: 0..<index, using: &generator))" }
            nodes.append(TaskGraph.Node("n\(index)", dependsOn: dependencies))
        }
        graphs.append(TaskGraph(nodes))
        graphs.append(TaskGraph(nodes.shuffled(using: &generator)))
        for graph in graphs {
            let validated = try graph.validated()
            let expected = Self.expectedLists(graph)
            for node in graph.nodes.indices {
                #expect(Array(validated.dependencies[node]) == expected.dependencies[node], "dependencies of \(node)")
                #expect(Array(validated.dependents[node]) == expected.dependents[node], "dependents of \(node)")
            }
            #expect(validated.dependencies.counts() == expected.dependencies.map(\.count))
        }
    }

    @Test("A record equals, and hashes as, one built from the same attempts however they were stored")
    func attemptRecords() async throws {
        let executor = TaskGraphExecutor(
            configuration: .init(retryPolicy: .exponential(maxAttempts: 3, initialDelay: .zero, maxDelay: .zero)),
            clock: ManualClock()
        )
        let report = try await executor.run(TaskGraph.of(["once": [], "twice": []])) {
            (invocation: NodeInvocation<Int>) in
            if invocation.node == "twice", invocation.attempt == 1 { throw TransientError(attempt: 1) }
            return invocation.attempt
        }
        let once = try #require(report.nodes.first { $0.id == "once" })
        let twice = try #require(report.nodes.first { $0.id == "twice" })
        #expect(once.attempts.map(\.number) == [1])
        #expect(once.attempts.map(\.outcome) == [.succeeded])
        #expect(twice.attempts.map(\.number) == [1, 2])
        #expect(twice.attempts.map(\.outcome) == [.failed, .succeeded])
        for record in [once, twice] {
            let rebuilt = TaskGraphNodeRecord(
                id: record.id,
                status: record.status,
                attempts: record.attempts,
                retryDelaysNanoseconds: record.retryDelaysNanoseconds,
                error: record.error,
                output: record.output,
                startNanoseconds: record.startNanoseconds,
                endNanoseconds: record.endNanoseconds
            )
            #expect(rebuilt == record, "rebuilt \(record.id)")
            #expect(rebuilt.hashValue == record.hashValue, "hash of \(record.id)")
        }
        // Through the setter: one attempt, then two, then none again.
        var edited = twice
        edited.attempts = [twice.attempts[1]]
        #expect(edited.attempts == [twice.attempts[1]])
        edited.attempts.insert(twice.attempts[0], at: 0)
        #expect(edited == twice)
        edited.attempts[1].number = 9
        #expect(edited.attempts.map(\.number) == [1, 9])
        #expect(edited != twice)
        edited.attempts = []
        #expect(edited.attempts.isEmpty)
        #expect(
            edited
                == TaskGraphNodeRecord(
                    id: twice.id,
                    status: twice.status,
                    retryDelaysNanoseconds: twice.retryDelaysNanoseconds,
                    error: twice.error,
                    output: twice.output,
                    startNanoseconds: twice.startNanoseconds,
                    endNanoseconds: twice.endNanoseconds
                )
        )
    }

    @Test("An invocation's dependency outputs read back as given and as set")
    func invocationOutputs() {
        var invocation = NodeInvocation(node: "n", attempt: 2, dependencyOutputs: ["a": 1, "b": 2])
        #expect(invocation.dependencyOutputs == ["a": 1, "b": 2])
        invocation.dependencyOutputs["c"] = 3
        #expect(invocation.dependencyOutputs == ["a": 1, "b": 2, "c": 3])
        let gathered = NodeInvocation(node: "m", attempt: 1, inputs: .two("x", 7, "y", 8))
        #expect(gathered.dependencyOutputs == ["x": 7, "y": 8])
        #expect(NodeInvocation(node: "m", attempt: 1, inputs: DependencyInputs<Int>.none).dependencyOutputs.isEmpty)
    }
}
