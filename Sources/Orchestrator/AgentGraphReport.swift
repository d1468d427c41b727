public import AgentAdapters
public import AgentPolicy
public import AgentTaskGraph

/// What a graph-of-agents run did: the executor's report (statuses, attempts, timings, critical path), every
/// node's full ``ExecutionReport``s, the run-level ledger and why the run ended.
public struct AgentGraphReport: Hashable, Codable, Sendable {
    /// Why a graph run ended.
    public enum StopReason: Hashable, Codable, Sendable {
        /// Every node succeeded.
        case completed
        /// A node failed (its agent or a tool failed, its review rejected, or it timed out on its own).
        case nodeFailed(node: String)
        /// A policy limit stopped the run; `node` is the node whose run met it.
        case policyViolation(node: String, violation: PolicyViolation)
        /// The run's deadline passed.
        case timedOut
        /// The caller cancelled the run.
        case cancelled
    }

    /// One node: who ran it, how each attempt went, and the output.
    public struct NodeRecord: Hashable, Codable, Sendable {
        /// The node's id.
        public var id: String
        /// The node's final status.
        public var status: NodeStatus
        /// The agent whose run produced the node's output (or ran last), if any ran.
        public var agent: String?
        /// The full report of each attempt, in order.
        public var attempts: [ExecutionReport]
        /// The node's output, if it succeeded.
        public var output: JSONValue?
    }

    /// The run's outcome in one word.
    public var status: RunStatus
    /// Why the run ended.
    public var stopReason: StopReason
    /// The final output: the designated output node's, or the sinks' by id; `nil` unless every node needed succeeded.
    public var finalOutput: TaskGraphFinalOutput<JSONValue>?
    /// One record per node, in declaration order.
    public var nodes: [NodeRecord]
    /// The executor's report: per-node status, attempts, timings, retry delays, errors, critical path taken.
    public var execution: TaskGraphReport<JSONValue>
    /// The run-level budget: limit beside use across all nodes, with `timeNanoseconds`.
    public var ledger: [BudgetLine]

    /// The final output as one value: the designated output node's output, or an object of the sinks' outputs
    /// keyed by node id; `nil` unless every node it is built from succeeded.
    ///
    /// ``finalOutput`` says which of the two it is; this is the value itself, without `AgentTaskGraph` types.
    public var output: JSONValue? {
        switch finalOutput {
        case .node(_, let output)?: output
        case .sinks(let outputs)?: .object(Dictionary(outputs.map { ($0.id, $0.output) }) { first, _ in first })
        case nil: nil
        }
    }

    /// Returns the record of node `id`.
    ///
    /// - Parameter id: The node's id.
    /// - Returns: The record, or `nil` if there is no such node.
    public func node(_ id: String) -> NodeRecord? { nodes.first { $0.id == id } }

    /// Encodes the report as JSON text with sorted keys: byte-identical for identical reports.
    ///
    /// - Parameter prettyPrinted: Whether to indent the output.
    /// - Returns: The JSON text.
    public func jsonText(prettyPrinted: Bool = false) -> String {
        JSONValue.canonicalText(of: self, prettyPrinted: prettyPrinted)
    }
}
