import AgentTaskGraph
import FoundationEssentials
import Testing

@Suite("TaskGraph structure", .timeLimit(.suite))
struct TaskGraphTests {
    /// research → (draft, critique) → polish, plus an unrelated "index" and a "publish" after polish.
    static let pipeline = TaskGraph.of([
        "research": [], "draft": ["research"], "critique": ["research"], "index": [],
        "polish": ["draft", "critique"], "publish": ["polish"],
    ])

    @Test("Building by addNode equals building from nodes")
    func building() {
        var graph = TaskGraph()
        graph.addNode("a")
        graph.addNode("b", dependsOn: ["a"])
        #expect(graph == TaskGraph([.init("a"), .init("b", dependsOn: ["a"])]))
        #expect(graph.nodeIDs == ["a", "b"])
    }

    @Test("Dependencies, dependents, sources and sinks keep declaration order")
    func neighbours() {
        let graph = Self.pipeline
        #expect(graph.dependencies(of: "polish") == ["draft", "critique"])
        #expect(graph.dependents(of: "research") == ["draft", "critique"])
        #expect(graph.dependencies(of: "nope") == [])
        #expect(graph.sources == ["research", "index"])
        #expect(graph.sinks == ["index", "publish"])
    }

    @Test("Topological order is Kahn's with a declaration-order tie-break")
    func topologicalOrder() throws {
        #expect(
            try Self.pipeline.topologicalOrder() == ["research", "draft", "critique", "index", "polish", "publish"]
        )
        // Dependencies declared after their dependents still come first.
        let reversed = TaskGraph.of(["c": ["b"], "b": ["a"], "x": [], "a": []])
        #expect(try reversed.topologicalOrder() == ["x", "a", "b", "c"])
    }

    @Test("Levels group nodes by depth in declaration order")
    func levels() throws {
        #expect(
            try Self.pipeline.levels() == [["research", "index"], ["draft", "critique"], ["polish"], ["publish"]]
        )
    }

    @Test("The critical path is a longest chain counted in nodes")
    func criticalPath() throws {
        #expect(try Self.pipeline.criticalPathLength() == 4)
        #expect(try Self.pipeline.criticalPath() == ["research", "draft", "polish", "publish"])
        #expect(try TaskGraph.of(["solo": []]).criticalPath() == ["solo"])
    }

    @Test("Structural queries on an invalid graph throw the validation error")
    func invalidQueries() {
        let graph = TaskGraph.of(["a": ["b"], "b": ["a"]])
        #expect(throws: TaskGraphError(code: .cycle, message: "")) { try graph.topologicalOrder() }
        #expect(throws: TaskGraphError(code: .cycle, message: "")) { try graph.levels() }
        #expect(throws: TaskGraphError(code: .cycle, message: "")) { try graph.criticalPathLength() }
    }

    @Test("A graph encodes as nodes with ids and dependencies and decodes back")
    func codable() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(TaskGraph.of(["a": [], "b": ["a"]]))
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"nodes":[{"dependencies":[],"id":"a"},{"dependencies":["a"],"id":"b"}]}"#
        )
        #expect(try JSONDecoder().decode(TaskGraph.self, from: data) == TaskGraph.of(["a": [], "b": ["a"]]))
    }
}
