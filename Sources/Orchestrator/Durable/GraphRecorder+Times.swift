import AgentAdapters
import AgentPolicy
import AgentTaskGraph

extension GraphRecorder {
    /// The executor's report with the journal's times: each attempt's start and end are its `nodeStarted` and
    /// `nodeAttemptFinished` readings, a node's end its `nodeSettled` reading, the duration the `graphFinished`
    /// (or this run's `graphPaused`) reading, and the critical path follows those end times.
    ///
    /// A resumed graph feeds back finished attempts without their time passing again, and a replay passes no time
    /// at all: reading the executor's clock would give other times than the recorded run's. The journal's readings
    /// were taken on the same graph clock, so an uninterrupted run reports what its clock said. A time the journal
    /// does not hold (an attempt cancelled before it ended) is the executor's.
    func retimed(_ report: TaskGraphReport<JSONValue>, graph: TaskGraph) -> TaskGraphReport<JSONValue> {
        var report = report
        for index in report.nodes.indices {
            let id = report.nodes[index].id
            for attempt in report.nodes[index].attempts.indices {
                let number = report.nodes[index].attempts[attempt].number
                if let start = time(of: .nodeStarted, node: id, attempt: number) {
                    report.nodes[index].attempts[attempt].startNanoseconds = start
                    if attempt == 0 { report.nodes[index].startNanoseconds = start }
                }
                if let end = time(of: .nodeAttemptFinished, node: id, attempt: number) {
                    report.nodes[index].attempts[attempt].endNanoseconds = end
                }
            }
            if report.nodes[index].endNanoseconds != nil, let settled = time(of: .nodeSettled, node: id, attempt: nil) {
                report.nodes[index].endNanoseconds = settled
            }
        }
        let pauses = entries.filter { $0.kind == .graphPaused }.count
        if let end = time(of: .graphFinished, node: nil, attempt: nil)
            ?? time(of: .graphPaused, node: nil, attempt: isReplay ? pauses : pauses + 1)
        {
            report.durationNanoseconds = end
        }
        report.criticalPath = Self.criticalPath(of: report, graph: graph) ?? report.criticalPath
        return report
    }

    /// From the last node to end, back through the dependency that ended last; ties go to the node later in
    /// topological order (the executor's rule). `nil` if the graph has no topological order.
    private static func criticalPath(of report: TaskGraphReport<JSONValue>, graph: TaskGraph) -> [String]? {
        guard let order = try? graph.topologicalOrder() else { return nil }
        let rank = Dictionary(order.enumerated().map { ($1, $0) }) { first, _ in first }
        let ends = Dictionary(
            report.nodes.compactMap { node in node.endNanoseconds.map { (node.id, $0) } }
        ) { first, _ in first }
        func latest(_ candidates: [String]) -> String? {
            candidates.compactMap { id in ends[id].map { (id: id, end: $0, rank: rank[id] ?? 0) } }
                .max { ($0.end, $0.rank) < ($1.end, $1.rank) }?.id
        }
        guard var node = latest(order) else { return [] }
        var path = [node]
        while let previous = latest(graph.dependencies(of: node)) {
            path.append(previous)
            node = previous
        }
        return path.reversed()
    }
}
