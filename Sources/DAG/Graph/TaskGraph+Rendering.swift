extension TaskGraph {
    /// Returns the graph as a Mermaid flowchart.
    ///
    /// Nodes get generated ids (`n0`, `n1`, … in declaration order) and quoted labels with Mermaid's entity codes for
    /// `"`, `#`, `<` and `>`, so any node id renders safely. Edges point from a dependency to its dependent
    /// (`n0 --> n1`). With statuses (for example ``TaskGraphReport/statuses`` of a run), each node gets a class
    /// named after its ``NodeStatus``, with a `classDef` per status used. The text is deterministic and ends with a
    /// newline.
    ///
    /// ```
    /// flowchart TD
    ///     n0["research"]
    ///     n1["draft"]
    ///     n0 --> n1
    /// ```
    ///
    /// The graph need not be valid: unknown dependencies appear as extra nodes.
    ///
    /// Edges may carry labels (`n0 -->|"label"| n1`, for example a routing condition). With `taken` (the path a
    /// run took), a taken edge is drawn thick (`==>`) and one not taken dotted (`-.->`).
    ///
    /// - Parameters:
    ///   - statuses: Node statuses to show, keyed by node id; empty by default.
    ///   - edgeLabels: Labels to show on edges; empty by default.
    ///   - taken: The edges a run took; `nil` (the default) draws every edge plain.
    /// - Returns: The Mermaid text.
    public func mermaid(
        statuses: [String: NodeStatus] = [:],
        edgeLabels: [Edge: String] = [:],
        taken: Set<Edge>? = nil
    ) -> String {
        let (ids, edges) = renderingIndex()
        var lines = ["flowchart TD"]
        for (number, id) in ids.enumerated() { lines.append("    n\(number)[\"\(Self.mermaidEscaped(id))\"]") }
        for (from, to) in edges {
            let edge = Edge(ids[from], ids[to])
            let arrow = taken.map { $0.contains(edge) ? "==>" : "-.->" } ?? "-->"
            let label = edgeLabels[edge].map { text in
                "|\"" + String(Self.mermaidEscaped(text).flatMap { $0 == "|" ? Array("#124;") : [$0] }) + "\"|"
            }
            lines.append("    n\(from) \(arrow)\(label ?? "") n\(to)")
        }
        for status in NodeStatus.allCases {
            let members = ids.indices.filter { statuses[ids[$0]] == status }
            guard !members.isEmpty else { continue }
            let style = Self.style(of: status)
            lines.append("    classDef \(status) fill:\(style.fill),stroke:\(style.stroke)")
            lines.append("    class \(members.map { "n\($0)" }.joined(separator: ",")) \(status)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Returns the graph as a Graphviz DOT digraph.
    ///
    /// Node ids are quoted with `\` and `"` escaped; edges point from a dependency to its dependent. With statuses,
    /// each node's label adds its ``NodeStatus`` and the node is filled with a colour per status. The text is
    /// deterministic and ends with a newline.
    ///
    /// ```
    /// digraph TaskGraph {
    ///     rankdir=TB;
    ///     node [shape=box];
    ///     "research";
    ///     "draft";
    ///     "research" -> "draft";
    /// }
    /// ```
    ///
    /// Edges may carry labels (`[label="…"]`, for example a routing condition). With `taken` (the path a run
    /// took), a taken edge is drawn bold and one not taken dashed.
    ///
    /// - Parameters:
    ///   - statuses: Node statuses to show, keyed by node id; empty by default.
    ///   - edgeLabels: Labels to show on edges; empty by default.
    ///   - taken: The edges a run took; `nil` (the default) draws every edge plain.
    /// - Returns: The DOT text.
    public func graphvizDOT(
        statuses: [String: NodeStatus] = [:],
        edgeLabels: [Edge: String] = [:],
        taken: Set<Edge>? = nil
    ) -> String {
        let (ids, edges) = renderingIndex()
        var lines = ["digraph TaskGraph {", "    rankdir=TB;", "    node [shape=box];"]
        for id in ids {
            let quoted = "\"\(Self.dotEscaped(id))\""
            if let status = statuses[id] {
                let label = "\"\(Self.dotEscaped(id))\\n(\(status))\""
                lines.append(
                    "    \(quoted) [label=\(label), style=filled, fillcolor=\"\(Self.style(of: status).fill)\"];"
                )
            } else {
                lines.append("    \(quoted);")
            }
        }
        for (from, to) in edges {
            let edge = Edge(ids[from], ids[to])
            var attributes: [String] = []
            if let label = edgeLabels[edge] { attributes.append("label=\"\(Self.dotEscaped(label))\"") }
            if let taken { attributes.append(taken.contains(edge) ? "style=bold" : "style=dashed") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("    \"\(Self.dotEscaped(ids[from]))\" -> \"\(Self.dotEscaped(ids[to]))\"\(suffix);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Distinct ids (declared nodes first, then unknown dependencies) and the edges between them, dependency first.
    private func renderingIndex() -> (ids: [String], edges: [(Int, Int)]) {
        var ids: [String] = []
        var number: [String: Int] = [:]
        func intern(_ id: String) -> Int {
            if let existing = number[id] { return existing }
            number[id] = ids.count
            ids.append(id)
            return ids.count - 1
        }
        for node in nodes { _ = intern(node.id) }
        var edges: [(Int, Int)] = []
        var seen = Set<[Int]>()
        for node in nodes {
            let to = number[node.id]!
            for dependency in node.dependencies {
                let from = intern(dependency)
                if seen.insert([from, to]).inserted { edges.append((from, to)) }
            }
        }
        return (ids, edges)
    }

    private static func mermaidEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "#quot;"
            case "#": escaped += "#35;"
            case "<": escaped += "#lt;"
            case ">": escaped += "#gt;"
            case "\n", "\r", "\r\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func dotEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n", "\r", "\r\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func style(of status: NodeStatus) -> (fill: String, stroke: String) {
        switch status {
        case .succeeded: ("#d4edda", "#28a745")
        case .failed: ("#f8d7da", "#dc3545")
        case .timedOut: ("#fff3cd", "#ffc107")
        case .cancelled: ("#e2e3e5", "#6c757d")
        case .skipped: ("#f8f9fa", "#adb5bd")
        case .skippedByBranch: ("#ffffff", "#ced4da")
        }
    }
}
