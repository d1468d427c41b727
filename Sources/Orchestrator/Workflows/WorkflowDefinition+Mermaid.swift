extension WorkflowDefinition {
    /// The definition as a Mermaid state diagram (`stateDiagram-v2`); with a report, the path taken is marked.
    ///
    /// Every state is a node (task, parallel and wait states note their performer or what they wait for), every
    /// transition an edge labelled `ok`, `failure`, a decision's condition, `default`, `timeout`, …; end states lead
    /// to `[*]`. Given a report of a run of this definition, the visited states get the `taken` class and each edge
    /// the run took is labelled `[taken]` (`[taken ×n]` when taken more than once).
    ///
    /// - Parameter report: A run's report, to mark its path.
    /// - Returns: The diagram's text.
    public func mermaid(report: WorkflowReport? = nil) -> String {
        var ids: [String: String] = [:]
        var used: Set<String> = ["taken"]
        for (index, name) in stateNames.enumerated() {
            var id = String(name.unicodeScalars.map { Self.isIDScalar($0) ? Character($0) : "_" })
            if id.isEmpty || id.first!.isNumber || used.contains(id) { id = "s\(index)_" + id }
            used.insert(id)
            ids[name] = id
        }
        func id(_ name: String) -> String { ids[name] ?? "missing_" + name.filter { $0.isLetter || $0.isNumber } }
        func clean(_ text: String) -> String {
            String(text.map { $0 == ";" || $0 == "\n" || $0 == ":" ? "," : $0 })
        }
        var taken: [String: Int] = [:]
        for entry in report?.path ?? [] {
            if let label = entry.transition, let next = entry.next {
                taken["\(entry.state)\u{0}\(label)\u{0}\(next)", default: 0] += 1
            }
        }
        var lines = ["stateDiagram-v2"]
        for name in stateNames {
            guard let state = states[name] else { continue }
            let note: String
            switch state {
            case .task(let task): note = "task · \(task.performer)"
            case .decision: note = "decision"
            case .parallel(let parallel):
                note = "parallel (\(parallel.join.rawValue)) · " + parallel.branches.map(\.name).joined(separator: ", ")
            case .wait(let wait):
                switch wait.awaited {
                case .signal(let signal): note = "wait · signal \(signal)"
                case .approval: note = "wait · approval"
                }
            case .end(let end): note = "end · \(end.outcome.rawValue)"
            }
            lines.append("    state \"\(clean(name)) (\(clean(note)))\" as \(id(name))")
        }
        lines.append("    [*] --> \(id(initialState))")
        for name in stateNames {
            guard let state = states[name] else { continue }
            for (label, target) in state.transitions {
                var text = clean(label)
                if let count = taken["\(name)\u{0}\(label)\u{0}\(target)"] {
                    text += count == 1 ? " [taken]" : " [taken ×\(count)]"
                }
                lines.append("    \(id(name)) --> \(id(target)) : \(text)")
            }
            if case .end = state { lines.append("    \(id(name)) --> [*]") }
        }
        if let report, !report.path.isEmpty {
            var visited: [String] = []
            for entry in report.path where !visited.contains(entry.state) { visited.append(entry.state) }
            lines.append("    classDef taken fill:#d7f5dd,stroke:#1f7a35,stroke-width:2px")
            lines.append("    class " + visited.map(id).joined(separator: ",") + " taken")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func isIDScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}
