import AgentTaskGraph
import Testing

@Suite("TaskGraph rendering", .timeLimit(.suite))
struct TaskGraphRenderingTests {
    static let graph = TaskGraph.of(["research": [], "draft": ["research"], "critique": ["research"]])

    @Test("Mermaid lists nodes with generated ids and edges from dependency to dependent")
    func mermaid() {
        #expect(
            Self.graph.mermaid() == """
                flowchart TD
                    n0["research"]
                    n1["draft"]
                    n2["critique"]
                    n0 --> n1
                    n0 --> n2

                """
        )
    }

    @Test("Mermaid escapes quotes, hashes and angle brackets in labels")
    func mermaidEscaping() {
        let graph = TaskGraph.of(["say \"hi\" #1 <b>": []])
        #expect(graph.mermaid() == "flowchart TD\n    n0[\"say #quot;hi#quot; #35;1 #lt;b#gt;\"]\n")
    }

    @Test("Mermaid marks statuses with one class per status")
    func mermaidStatuses() {
        let text = Self.graph.mermaid(statuses: ["research": .succeeded, "draft": .failed, "critique": .succeeded])
        #expect(text.contains("    classDef succeeded fill:#d4edda,stroke:#28a745\n    class n0,n2 succeeded\n"))
        #expect(text.contains("    classDef failed fill:#f8d7da,stroke:#dc3545\n    class n1 failed\n"))
    }

    @Test("DOT lists quoted nodes and edges")
    func dot() {
        #expect(
            Self.graph.graphvizDOT() == """
                digraph TaskGraph {
                    rankdir=TB;
                    node [shape=box];
                    "research";
                    "draft";
                    "critique";
                    "research" -> "draft";
                    "research" -> "critique";
                }

                """
        )
    }

    @Test("DOT escapes quotes and backslashes and shows statuses")
    func dotEscapingAndStatuses() {
        let graph = TaskGraph.of(["a\"b\\c": []])
        #expect(graph.graphvizDOT().contains(#"    "a\"b\\c";"#))
        let text = graph.graphvizDOT(statuses: ["a\"b\\c": .skipped])
        #expect(text.contains(##"    "a\"b\\c" [label="a\"b\\c\n(skipped)", style=filled, fillcolor="#f8f9fa"];"##))
    }
}
