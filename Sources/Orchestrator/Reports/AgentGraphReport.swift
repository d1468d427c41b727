public import AgentAdapters
public import AgentPolicy
public import AgentTaskGraph

/// What a graph-of-agents run did: the executor's report (statuses, attempts, timings, critical path), every
/// node's full ``ExecutionReport``s, the run-level ledger and why the run ended.
///
/// ``jsonText(prettyPrinted:)`` writes the report and ``init(jsonText:)`` reads it back exactly; <doc:ReportSchema>
/// documents every field.
public struct AgentGraphReport: Hashable, Codable, Sendable {
    /// The version of the report schema this library writes, and the newest it reads: 1.
    public static let currentSchemaVersion = reportSchemaVersion

    /// One node: who ran it, how each attempt went, and the output.
    public struct NodeRecord: Hashable, Codable, Sendable {
        /// The node's id.
        public var id: String
        /// The node's final status.
        public var status: NodeStatus
        /// The agent whose run produced the node's output (or ran last), if any ran.
        public var agent: String?
        /// The full report of each attempt, in order. Its ledgers leave out the lines with a default limit and no
        /// use (``ExecutionReport/ledger``; ``ExecutionReport/ledgerLine(_:)`` reads any line).
        public var attempts: [ExecutionReport]
        /// The node's output, if it succeeded.
        public var output: JSONValue?
        /// For a node that routes (a router, or an outgoing edge with a condition) and succeeded: the successors
        /// it took, in declaration order; `nil` for a node that takes every successor.
        public var routedTo: [String]?
        /// For a node skipped by a branch: why, one reason per input not taken (the condition that was false, the
        /// router's choice, an input itself skipped by a branch), joined by `; `.
        public var skipReason: String?
    }

    /// A node run of a journaled graph that paused awaiting a person's decision on one tool call.
    public struct PendingApproval: Hashable, Codable, Sendable {
        /// The node's id.
        public var node: String
        /// The paused attempt, from 1.
        public var attempt: Int
        /// The exact call awaiting approval: tool, arguments and their hash, policy hash and call id (which names
        /// the node journal). Pass it to
        /// ``Orchestrator/resume(_:journal:approving:configuration:registry:sharedBudget:)`` or
        /// ``Orchestrator/resume(_:journal:denying:reason:configuration:registry:sharedBudget:)``.
        public var request: ApprovalRequest
    }

    /// The report schema's version: ``currentSchemaVersion`` for reports this library makes.
    public var schemaVersion: Int = reportSchemaVersion
    /// The graph run's id: the execution id of its graph-level events (each node run has its own, in its reports).
    public var executionID: String
    /// The run's outcome in one word.
    public var status: RunStatus
    /// Why the run ended: ``StopReason/completed``, ``StopReason/nodeFailed(node:)``,
    /// ``StopReason/policyViolation(violation:node:)`` naming the node, ``StopReason/timedOut(timeout:)`` (the
    /// run-level timeout), ``StopReason/cancelled`` or ``StopReason/shutdown``.
    public var stopReason: StopReason
    /// The final output: the designated output node's, or the sinks' by id; `nil` unless every node needed succeeded.
    public var finalOutput: TaskGraphFinalOutput<JSONValue>?
    /// One record per node, in declaration order.
    public var nodes: [NodeRecord]
    /// The executor's report: per-node status, attempts, timings, retry delays, errors, critical path taken.
    public var execution: TaskGraphReport<JSONValue>
    /// The run-level budget: limit beside use across all nodes, with `timeNanoseconds`.
    public var ledger: [BudgetLine]
    /// The head hash of the graph journal of a journaled run (absent otherwise): it pins the graph journal, whose
    /// `nodeAttemptFinished` entries pin each node journal's head.
    public var journalHeadHash: SHA256Digest?
    /// The node runs awaiting approval when the graph paused (status `awaitingApproval`), in declaration
    /// order; absent otherwise. Every node that could still run ran before the graph paused.
    public var pendingApprovals: [PendingApproval]?

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

extension AgentGraphReport {
    /// Reads a report from the JSON text that ``jsonText(prettyPrinted:)`` writes.
    ///
    /// The text is parsed and decoded with the library's own JSON parser and decoder (no Foundation), so the
    /// decoded report equals the one that was written and re-encodes to the same bytes.
    ///
    /// - Parameter jsonText: The report's JSON text.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/invalidReport`` when the text is not
    ///   JSON or does not match the schema (the message names the field), or
    ///   ``OrchestrationError/Code/unsupportedSchemaVersion`` when its `schemaVersion` is newer than
    ///   ``currentSchemaVersion``.
    public init(jsonText: String) throws(OrchestrationError) {
        self = try decodeReport(Self.self, named: "AgentGraphReport", fromJSONText: jsonText)
    }

    /// Decodes a report, refusing a `schemaVersion` newer than ``currentSchemaVersion``.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for a newer schema version; the errors of missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try SchemaVersion.decode("AgentGraphReport", from: container, forKey: .schemaVersion)
        executionID = try container.decode(String.self, forKey: .executionID)
        status = try container.decode(RunStatus.self, forKey: .status)
        stopReason = try container.decode(StopReason.self, forKey: .stopReason)
        finalOutput = try container.inferredIfPresent(.finalOutput)
        nodes = try container.decode([NodeRecord].self, forKey: .nodes)
        execution = try container.inferred(.execution)
        ledger = try container.decode([BudgetLine].self, forKey: .ledger)
        journalHeadHash = try container.decodeIfPresent(SHA256Digest.self, forKey: .journalHeadHash)
        pendingApprovals = try container.decodeIfPresent([PendingApproval].self, forKey: .pendingApprovals)
    }
}
