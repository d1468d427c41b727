/// The outcome of one graph run: every node's record, the final output and the critical path taken.
///
/// A run always returns a report, whatever its nodes do: failures, timeouts, cancellation and stop signals are data
/// here. Every node appears exactly once, in declaration order, with a terminal status. Times are integer
/// nanoseconds from the run's start on the executor's injected clock, so two runs of the same graph on a manual
/// test clock produce equal reports.
///
/// Field names are stable. The report is `Sendable`; it is `Codable`, `Equatable` and `Hashable` when `Output` is.
public struct GraphRunReport<Output: Sendable>: Sendable {
    /// How the run ended.
    public var status: GraphRunStatus
    /// One record per node, in declaration order.
    public var nodes: [GraphNodeRecord<Output>]
    /// How many nodes ended in each status.
    public var counts: GraphStatusCounts
    /// The final output: the designated output node's, or all sinks' in declaration order; `nil` unless every node
    /// it is made of succeeded.
    public var finalOutput: GraphFinalOutput<Output>?
    /// The chain of nodes whose end times determined the run's end, dependencies first.
    ///
    /// It ends at the node that finished last among those that started (ties: the one latest in topological order)
    /// and walks back, at each step, through the dependency that finished last (same tie-break). Empty if no node
    /// started.
    public var criticalPath: [String]
    /// The node whose ``GraphStopSignal`` stopped the run, if one did.
    public var stoppedBy: String?
    /// The run's length: from its start (offset 0) to the moment the report was made.
    public var duration: TaskGraphNanoseconds

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - status: How the run ended.
    ///   - nodes: One record per node, in declaration order.
    ///   - finalOutput: The final output.
    ///   - criticalPath: The chain of nodes whose end times determined the run's end.
    ///   - stoppedBy: The node whose stop signal stopped the run.
    ///   - duration: The run's length.
    public init(
        status: GraphRunStatus,
        nodes: [GraphNodeRecord<Output>],
        finalOutput: GraphFinalOutput<Output>?,
        criticalPath: [String],
        stoppedBy: String? = nil,
        duration: TaskGraphNanoseconds
    ) {
        self.status = status
        self.nodes = nodes
        self.counts = GraphStatusCounts(nodes.map(\.status))
        self.finalOutput = finalOutput
        self.criticalPath = criticalPath
        self.stoppedBy = stoppedBy
        self.duration = duration
    }

    /// Returns the record of a node.
    ///
    /// - Parameter id: A node id.
    /// - Returns: The node's record, or `nil` if the graph has no such node.
    public func node(_ id: String) -> GraphNodeRecord<Output>? {
        nodes.first { $0.id == id }
    }

    /// Returns the output of a node.
    ///
    /// - Parameter id: A node id.
    /// - Returns: The node's output if it succeeded, else `nil`.
    public func output(of id: String) -> Output? {
        node(id)?.output
    }

    /// The terminal status of every node, keyed by node id.
    public var statuses: [String: NodeStatus] {
        Dictionary(nodes.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
    }
}

extension GraphRunReport: Equatable where Output: Equatable {}
extension GraphRunReport: Hashable where Output: Hashable {}
extension GraphRunReport: Encodable where Output: Encodable {}
extension GraphRunReport: Decodable where Output: Decodable {}
