import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

@testable import AgentTaskGraph

/// The executor's per-node storage without an allocation per node: the graph's adjacency lists in two flat arrays.
/// These pin that it holds exactly what the per-node arrays held.
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
}
