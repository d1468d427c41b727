public import AgentPolicy

/// The outcome of one graph run: every node's record, the final output and the critical path taken.
///
/// A run always returns a report, whatever its nodes do: failures, timeouts, cancellation and stop signals are data
/// here. Every node appears exactly once, in declaration order, with a terminal status. Times are `Nanoseconds`
/// (AgentPolicy) from the run's start on the executor's injected clock, so two runs of the same graph on a manual
/// test clock produce equal reports.
///
/// The report is `Sendable`; it is `Codable`, `Equatable` and `Hashable` when `Output` is. Field names are stable
/// and encoded in this order, ``schemaVersion`` first: `{"schemaVersion": 1, "status": "failed", "nodes": […],
/// "counts": {…}, "finalOutput": {"kind": "node", …}, "criticalPath": […], "stoppedBy": …,
/// "durationNanoseconds": …}`; `finalOutput` and `stoppedBy` are left out when `nil`. Decoding accepts exactly
/// what encoding writes, node outputs that encode as `null` included.
public struct TaskGraphReport<Output: Sendable>: Sendable {
    /// The version of the report's encoded shape: 1. It changes only when a field changes meaning or is removed.
    public var schemaVersion: Int
    /// How the run ended: never `RunStatus.succeeded` with a node that did not succeed, and `RunStatus.stopped`
    /// only when a node threw a ``TaskGraphStopSignal``.
    public var status: RunStatus
    /// One record per node, in declaration order.
    public var nodes: [TaskGraphNodeRecord<Output>]
    /// How many nodes ended in each status.
    public var counts: TaskGraphStatusCounts
    /// The final output: the designated output node's, or all sinks' in declaration order; `nil` unless every node
    /// it is made of succeeded.
    public var finalOutput: TaskGraphFinalOutput<Output>?
    /// The chain of nodes whose end times determined the run's end, dependencies first.
    ///
    /// It ends at the node that finished last among those that started (ties: the one latest in topological order)
    /// and walks back, at each step, through the dependency that finished last (same tie-break). Empty if no node
    /// started.
    public var criticalPath: [String]
    /// The node whose ``TaskGraphStopSignal`` stopped the run, if one did; its record's error is the signal.
    public var stoppedBy: String?
    /// The run's length: from its start (offset 0) to the moment the report was made.
    public var durationNanoseconds: Nanoseconds

    /// Creates a report with ``schemaVersion`` 1.
    ///
    /// - Parameters:
    ///   - status: How the run ended.
    ///   - nodes: One record per node, in declaration order.
    ///   - finalOutput: The final output.
    ///   - criticalPath: The chain of nodes whose end times determined the run's end.
    ///   - stoppedBy: The node whose stop signal stopped the run.
    ///   - durationNanoseconds: The run's length.
    public init(
        status: RunStatus,
        nodes: [TaskGraphNodeRecord<Output>],
        finalOutput: TaskGraphFinalOutput<Output>?,
        criticalPath: [String],
        stoppedBy: String? = nil,
        durationNanoseconds: Nanoseconds
    ) {
        self.init(
            status: status,
            nodes: nodes,
            counts: TaskGraphStatusCounts(nodes.map(\.status)),
            finalOutput: finalOutput,
            criticalPath: criticalPath,
            stoppedBy: stoppedBy,
            durationNanoseconds: durationNanoseconds
        )
    }

    /// Creates a report whose counts the caller has already tallied from the records' statuses.
    @inlinable
    init(
        status: RunStatus,
        nodes: [TaskGraphNodeRecord<Output>],
        counts: TaskGraphStatusCounts,
        finalOutput: TaskGraphFinalOutput<Output>?,
        criticalPath: [String],
        stoppedBy: String?,
        durationNanoseconds: Nanoseconds
    ) {
        self.schemaVersion = 1
        self.status = status
        self.nodes = nodes
        self.counts = counts
        self.finalOutput = finalOutput
        self.criticalPath = criticalPath
        self.stoppedBy = stoppedBy
        self.durationNanoseconds = durationNanoseconds
    }

    /// Returns the record of a node.
    ///
    /// - Parameter id: A node id.
    /// - Returns: The node's record, or `nil` if the graph has no such node.
    public func node(_ id: String) -> TaskGraphNodeRecord<Output>? {
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

extension TaskGraphReport: Equatable where Output: Equatable {}
extension TaskGraphReport: Hashable where Output: Hashable {}
extension TaskGraphReport: Encodable where Output: Encodable {}
extension TaskGraphReport: Decodable where Output: Decodable {}
