import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

@Suite("TaskGraphExecutor routing and joins", .timeLimit(.suite))
struct TaskGraphRoutingTests {
    /// A routes to B only; C is not taken. D (all) and E (any) each have one satisfied input (B) and one skipped
    /// (C); F hangs off C; G hangs off D.
    static let graph = TaskGraph([
        TaskGraph.Node("A"),
        TaskGraph.Node("B", dependsOn: ["A"]),
        TaskGraph.Node("C", dependsOn: ["A"]),
        TaskGraph.Node("D", dependsOn: ["B", "C"]),
        TaskGraph.Node("E", dependsOn: ["B", "C"], join: .any),
        TaskGraph.Node("F", dependsOn: ["C"]),
        TaskGraph.Node("G", dependsOn: ["D"], join: .any),
    ])

    /// Routing where node A takes `taken` (`nil`: every dependent) and every other node takes all.
    static func fromA(_ taken: Set<String>?) -> @Sendable (String, String) -> Set<String>? {
        { node, _ in node == "A" ? taken : nil }
    }

    @Test("One satisfied and one skipped input: `all` is skipped by branch, `any` runs and sees only the taken input")
    func skipRules() async throws {
        let seen = LockedState<[String: [String]]>([:])
        let report = try await TaskGraphExecutor(clock: ManualClock()).run(
            Self.graph,
            routing: Self.fromA(["B"])
        ) { (invocation: NodeInvocation<String>) in
            seen.withLock { $0[invocation.node] = invocation.dependencyOutputs.keys.sorted() }
            return invocation.node
        }
        #expect(
            report.statuses == [
                "A": .succeeded, "B": .succeeded, "C": .skippedByBranch, "D": .skippedByBranch, "E": .succeeded,
                "F": .skippedByBranch, "G": .skippedByBranch,
            ]
        )
        #expect(seen.withLock { $0["E"] } == ["B"], "an `any` node sees the skipped input as absent")
        #expect(seen.withLock { $0.keys.sorted() } == ["A", "B", "E"])
        #expect(report.status == .succeeded, "a branch not taken does not fail the run")
        #expect(report.counts == TaskGraphStatusCounts(succeeded: 3, skippedByBranch: 4))
        // Sinks E, F, G: the branch-skipped ones are left out, deterministically.
        #expect(report.finalOutput == .sinks(outputs: [NodeOutput(id: "E", output: "E")]))
    }

    @Test("A router that takes every successor runs every node; `any` with no input taken is skipped by branch")
    func takeAllAndNone() async throws {
        let executor = TaskGraphExecutor(clock: ManualClock())
        let all = try await executor.run(Self.graph, routing: Self.fromA(nil)) { (i: NodeInvocation<String>) in
            i.node
        }
        #expect(all.statuses.values.allSatisfy { $0 == .succeeded })
        let none = try await executor.run(Self.graph, routing: Self.fromA([])) {
            (i: NodeInvocation<String>) in i.node
        }
        #expect(none.statuses["E"] == .skippedByBranch)
        #expect(none.statuses["B"] == .skippedByBranch && none.statuses["C"] == .skippedByBranch)
        #expect(none.status == .succeeded)
        #expect(none.finalOutput == .sinks(outputs: []))
    }

    @Test("An `any` node waits for every input to settle, so what it sees does not depend on finishing order")
    func anyWaitsForAllInputs() async throws {
        let clock = ManualClock()
        let graph = TaskGraph([
            TaskGraph.Node("A"),
            TaskGraph.Node("B"),
            TaskGraph.Node("J", dependsOn: ["A", "B"], join: .any),
        ])
        let seen = LockedState<[String]>([])
        let report = try await TaskGraphExecutor(clock: clock).run(graph, routing: Self.fromA(nil)) {
            (invocation: NodeInvocation<String>) in
            if invocation.node == "B" {
                try await clock.sleep(for: .seconds(1))
            } else if invocation.node == "A" {
                await clock.waitForSleepers(count: 1)
                clock.advance(by: .seconds(1))
            }
            if invocation.node == "J" { seen.withLock { $0 = invocation.dependencyOutputs.keys.sorted() } }
            return invocation.node
        }
        #expect(report.status == .succeeded)
        #expect(seen.withLock { $0 } == ["A", "B"])
    }

    @Test("A failed input still skips an `any` node as skipped, not skipped by branch")
    func failureIsNotABranch() async throws {
        let executor = TaskGraphExecutor(
            configuration: .init(failureMode: .continueIndependent),
            clock: ManualClock()
        )
        let report = try await executor.run(Self.graph, routing: Self.fromA(["B", "C"])) {
            (invocation: NodeInvocation<String>) in
            if invocation.node == "C" { throw PlainError(message: "boom") }
            return invocation.node
        }
        #expect(report.statuses["C"] == .failed)
        #expect(report.statuses["E"] == .skipped)
        #expect(report.statuses["D"] == .skipped)
        #expect(report.status == .failed)
    }

    @Test("A node keeps `join` through Codable; `all` is not written")
    func joinCoding() throws {
        let encoded = try JSONValue(encoding: Self.graph)
        #expect(encoded["nodes"]?[0]?["join"] == nil)
        #expect(encoded["nodes"]?[4]?["join"] == "any")
        #expect(try encoded.decode(as: TaskGraph.self) == Self.graph)
    }

    @Test("Mermaid and DOT show labels on edges and the path taken")
    func rendering() {
        let graph = TaskGraph([
            TaskGraph.Node("A"), TaskGraph.Node("B", dependsOn: ["A"]), .init("C", dependsOn: ["A"]),
        ])
        let labels = [TaskGraph.Edge("A", "B"): "$.x == 1", TaskGraph.Edge("A", "C"): "a|b"]
        let taken: Set = [TaskGraph.Edge("A", "B")]
        let mermaid = graph.mermaid(statuses: ["C": .skippedByBranch], edgeLabels: labels, taken: taken)
        #expect(mermaid.contains("    n0 ==>|\"$.x == 1\"| n1\n"))
        #expect(mermaid.contains("    n0 -.->|\"a#124;b\"| n2\n"))
        #expect(mermaid.contains("class n2 skippedByBranch"))
        let dot = graph.graphvizDOT(edgeLabels: labels, taken: taken)
        #expect(dot.contains("\"A\" -> \"B\" [label=\"$.x == 1\", style=bold];"))
        #expect(dot.contains("\"A\" -> \"C\" [label=\"a|b\", style=dashed];"))
        #expect(graph.mermaid() == TaskGraph.of(["A": [], "B": ["A"], "C": ["A"]]).mermaid())
    }
}
