import AgentAdapters
public import AgentPolicy

/// Why a run ended: the typed reason every report carries, for runs of one agent and graphs of agents alike.
///
/// An ``ExecutionReport`` ends with ``completed``, ``rejected(reason:)``, ``policyViolation(violation:node:)``,
/// ``timedOut(timeout:)``, ``cancelled``, ``agentFailed(error:)``, ``toolFailed(error:)``, ``shutdown`` or
/// ``invalidPolicy(error:)``; an ``AgentGraphReport`` with ``completed``, ``nodeFailed(node:)``,
/// ``policyViolation(violation:node:)`` (naming the node), ``timedOut(timeout:)``, ``cancelled`` or ``shutdown``.
///
/// In JSON a reason is one flat object: a `kind` (the case name, also ``code``) with the payload's fields beside it,
/// for example `{"kind": "completed"}`, `{"kind": "timedOut", "timeoutNanoseconds": 100000000}` or
/// `{"kind": "policyViolation", "limit": "maxToolCalls", "limitValue": 3, "attempted": 4, "message": "…"}`.
/// Decoding rejects an unknown `kind` with a `DecodingError` that names it. <doc:ReportSchema> lists every kind.
public enum StopReason: Hashable, Sendable, CustomStringConvertible {
    /// REVIEW accepted the outputs; for a graph, every node succeeded.
    case completed
    /// REVIEW rejected the outputs, for `reason`.
    case rejected(reason: String)
    /// A governance limit refused work or was passed; the run stopped at once.
    ///
    /// In a graph report `node` names the node whose run met the limit; in a single run's report it is `nil`
    /// (the run's own ``ExecutionReport/nodeID`` says which node a node's run belongs to).
    case policyViolation(violation: PolicyViolation, node: String? = nil)
    /// The run's timeout passed; in-flight work was cancelled.
    case timedOut(timeout: Nanoseconds)
    /// The caller cancelled the run.
    case cancelled
    /// The agent threw an error (not a tool error).
    case agentFailed(error: ErrorRecord)
    /// The agent let a tool's error escape from a step.
    case toolFailed(error: ErrorRecord)
    /// A graph node failed: its agent or a tool failed, its review rejected, or it timed out on its own.
    case nodeFailed(node: String)
    /// The orchestrator was shutting down: the run was refused before any agent code ran, or cancelled.
    case shutdown
    /// The policy names a tool that is not registered (an exact name in its allow or deny list or per-tool caps);
    /// found before any agent code ran.
    case invalidPolicy(error: ErrorRecord)
    /// A journaled run paused before a tool call that needs a person's approval: the report's
    /// ``ExecutionReport/pendingApproval`` names the call; continue with `Orchestrator.resume(_:journal:approving:sharedBudget:)`
    /// or `Orchestrator.resume(_:journal:denying:reason:sharedBudget:)`.
    case awaitingApproval(tool: String, callID: String)
    /// A journaled run stopped because its journal could not be written or did not match the run; `error` names
    /// the journal and the problem.
    case journalFailed(error: ErrorRecord)

    /// Every reason's stable name, as ``code`` and the JSON `kind` give it.
    public static let allCodes = [
        "completed", "rejected", "policyViolation", "timedOut", "cancelled", "agentFailed", "toolFailed",
        "nodeFailed", "shutdown", "invalidPolicy", "awaitingApproval", "journalFailed",
    ]

    /// The reason's stable name, the same as its JSON `kind`: `completed`, `rejected`, `policyViolation`,
    /// `timedOut`, `cancelled`, `agentFailed`, `toolFailed`, `nodeFailed`, `shutdown`, `invalidPolicy`,
    /// `awaitingApproval` or `journalFailed` (``allCodes``).
    public var code: String {
        switch self {
        case .completed: "completed"
        case .rejected: "rejected"
        case .policyViolation: "policyViolation"
        case .timedOut: "timedOut"
        case .cancelled: "cancelled"
        case .agentFailed: "agentFailed"
        case .toolFailed: "toolFailed"
        case .nodeFailed: "nodeFailed"
        case .shutdown: "shutdown"
        case .invalidPolicy: "invalidPolicy"
        case .awaitingApproval: "awaitingApproval"
        case .journalFailed: "journalFailed"
        }
    }

    /// The run status this reason gives.
    public var status: RunStatus {
        switch self {
        case .completed: .succeeded
        case .rejected, .policyViolation, .agentFailed, .toolFailed, .nodeFailed, .invalidPolicy, .journalFailed:
            .failed
        case .awaitingApproval: .awaitingApproval
        case .timedOut: .timedOut
        case .cancelled, .shutdown: .cancelled
        }
    }

    /// The policy violation that stopped the run, if one did.
    public var violation: PolicyViolation? {
        if case .policyViolation(let violation, _) = self { return violation }
        return nil
    }

    /// The reason in words.
    public var description: String {
        switch self {
        case .completed: "completed"
        case .rejected(let reason): "rejected by review: \(reason)"
        case .policyViolation(let violation, nil): "policy violation: \(violation.message)"
        case .policyViolation(let violation, let node?): "policy violation in node \(node): \(violation.message)"
        case .timedOut(let timeout): "timed out after \(timeout)"
        case .cancelled: "cancelled by the caller"
        case .agentFailed(let error): "agent failed: \(error.message)"
        case .toolFailed(let error): "tool failed: \(error.message)"
        case .nodeFailed(let node): "node \(node) failed"
        case .shutdown: "the orchestrator was shutting down"
        case .invalidPolicy(let error): "invalid policy: \(error.message)"
        case .awaitingApproval(let tool, let callID): "awaiting approval of tool \(tool) (call \(callID))"
        case .journalFailed(let error): "journal failed: \(error.message)"
        }
    }
}

extension StopReason: Codable {
    /// Decodes a flat object: `kind` and the case's fields beside it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for an unknown `kind` (the message names it), or the errors of
    ///   missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let (kind, container) = try FlatKind.decode(from: decoder)
        switch kind {
        case "completed": self = .completed
        case "rejected": self = .rejected(reason: try container.decode(String.self, forKey: FlatKey("reason")))
        case "policyViolation":
            self = .policyViolation(
                violation: try PolicyViolation(from: decoder),
                node: try container.decodeIfPresent(String.self, forKey: FlatKey("node"))
            )
        case "timedOut":
            self = .timedOut(timeout: try container.decode(Nanoseconds.self, forKey: FlatKey("timeoutNanoseconds")))
        case "cancelled": self = .cancelled
        case "agentFailed": self = .agentFailed(error: try ErrorRecord(from: decoder))
        case "toolFailed": self = .toolFailed(error: try ErrorRecord(from: decoder))
        case "nodeFailed": self = .nodeFailed(node: try container.decode(String.self, forKey: FlatKey("node")))
        case "shutdown": self = .shutdown
        case "invalidPolicy": self = .invalidPolicy(error: try ErrorRecord(from: decoder))
        case "awaitingApproval":
            self = .awaitingApproval(
                tool: try container.decode(String.self, forKey: FlatKey("tool")),
                callID: try container.decode(String.self, forKey: FlatKey("callID"))
            )
        case "journalFailed": self = .journalFailed(error: try ErrorRecord(from: decoder))
        default: throw FlatKind.unknown(kind, of: "StopReason", known: Self.allCodes, in: container)
        }
    }

    /// Encodes a flat object: `kind` and the case's fields beside it.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var container = try FlatKind.encode(code, to: encoder)
        switch self {
        case .completed, .cancelled, .shutdown: break
        case .rejected(let reason): try container.encode(reason, forKey: FlatKey("reason"))
        case .policyViolation(let violation, let node):
            try violation.encode(to: encoder)
            try container.encodeIfPresent(node, forKey: FlatKey("node"))
        case .timedOut(let timeout): try container.encode(timeout, forKey: FlatKey("timeoutNanoseconds"))
        case .agentFailed(let error), .toolFailed(let error), .invalidPolicy(let error), .journalFailed(let error):
            try error.encode(to: encoder)
        case .awaitingApproval(let tool, let callID):
            try container.encode(tool, forKey: FlatKey("tool"))
            try container.encode(callID, forKey: FlatKey("callID"))
        case .nodeFailed(let node): try container.encode(node, forKey: FlatKey("node"))
        }
    }
}
