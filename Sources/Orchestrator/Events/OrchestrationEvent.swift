public import AgentAdapters
public import AgentPolicy
public import AgentTaskGraph

/// Something that happened in a run, delivered to every ``Orchestrator/events(bufferingNewest:)`` subscriber.
///
/// Events of one run carry consecutive ``sequence`` numbers from 1 in the order they were delivered, and an
/// ``atNanoseconds`` instant on the orchestrator's clock since the run started. ``Kind/runStarted(agent:task:)``
/// comes first and ``Kind/runFinished(_:)`` exactly once, last, carrying the report.
///
/// In JSON an event is one flat object: its own fields, then the ``Kind`` as `kind` with the kind's fields beside
/// it, for example `{"executionID": "run-1", "sequence": 3, "atNanoseconds": 0, "kind": "stepStarted", "index": 0,
/// "revision": 0}`. <doc:ReportSchema> lists every kind.
public struct OrchestrationEvent: Hashable, Sendable {
    /// What happened.
    ///
    /// Encoded flat: `kind` (the case's ``name``) with the payload's fields beside it. A `PolicyViolation` or a
    /// `ModelUsage` payload contributes its own fields; the report of ``runFinished(_:)`` sits under `report`.
    ///
    /// The cases carrying a report or a violation keep it in a box of its own (`indirect`), so that an event is a
    /// small value: without the boxes every event, a tool call's included, would be as large as a whole
    /// `ExecutionReport`, and each copy of it (into the run's queue, a subscriber's buffer, the reader) would move
    /// that many bytes.
    public enum Kind: Hashable, Sendable {
        /// The run started.
        case runStarted(agent: String, task: JSONValue)
        /// The run entered a phase.
        case stateEntered(LifecyclePhase)
        /// A step was reserved and started.
        case stepStarted(index: Int, revision: Int)
        /// A step ended.
        case stepFinished(index: Int, status: StepStatus)
        /// A tool's body started.
        case toolCallStarted(tool: String, arguments: JSONValue)
        /// A tool's body ended.
        case toolCallFinished(tool: String, status: ToolCallStatus)
        /// A tool call was refused before it ran.
        case toolCallRefused(tool: String, reason: String)
        /// A running tool reported progress (through `ToolInvocation`; an MCP server's `notifications/progress`).
        case toolProgress(tool: String, progress: Double, total: Double?, message: String?)
        /// Model usage was recorded.
        case usageRecorded(ModelUsage)
        /// A policy limit refused work or was passed.
        indirect case policyViolation(PolicyViolation)
        /// A governed model call was reserved and is being made: the model, the attempt (from 1) and the most output
        /// tokens it was asked for. JSON: `{"kind": "modelCallStarted", "model": …, "attempt": 1,
        /// "maximumOutputTokens": 512}`.
        case modelCallStarted(model: String, attempt: Int, maximumOutputTokens: Int64)
        /// A piece of a streamed model response. JSON: `{"kind": "modelDelta", "delta": {"kind": "response", …}}`.
        case modelDelta(ModelDelta)
        /// A governed model call ended (or was refused before it was made): how, and the usage it was billed.
        /// JSON: `{"kind": "modelCallFinished", "model": …, "attempt": 1, "status": "succeeded", "usage": {…}}`.
        case modelCallFinished(model: String, attempt: Int, status: ModelCallStatus, usage: ModelUsage)
        /// A model call failed with a transient error and will be tried again after the delay, on the run's clock.
        /// JSON: `{"kind": "modelCallRetrying", "model": …, "failedAttempt": 1, "delayNanoseconds": …}`.
        case modelCallRetrying(model: String, failedAttempt: Int, delayNanoseconds: Nanoseconds)
        /// The run ended; the report is complete.
        indirect case runFinished(ExecutionReport)
        /// A graph node's attempt started (graph runs; the event's ``OrchestrationEvent/nodeID`` names the node).
        case nodeStarted(attempt: Int)
        /// A graph node's attempt failed with a retryable error; the next attempt starts after the delay.
        case nodeRetrying(failedAttempt: Int, delayNanoseconds: Nanoseconds)
        /// A graph node is waiting for a free slot of `agent` (its concurrency limit is reached).
        case nodeWaitingForSlot(agent: String)
        /// A graph node reached its terminal status (`skipped` included: by failure or by a stop).
        case nodeFinished(status: NodeStatus)
        /// The graph run ended; the report is complete. The last event of a graph run.
        indirect case graphFinished(AgentGraphReport)

        /// Every kind's stable name, as ``name`` and the JSON `kind` give it.
        public static let allNames = [
            "runStarted", "stateEntered", "stepStarted", "stepFinished", "toolCallStarted", "toolCallFinished",
            "toolCallRefused", "toolProgress", "usageRecorded", "policyViolation", "runFinished", "nodeStarted",
            "nodeRetrying", "nodeWaitingForSlot", "nodeFinished", "graphFinished", "modelCallStarted", "modelDelta",
            "modelCallFinished", "modelCallRetrying",
        ]

        /// The kind's stable name, such as `toolCallStarted`: the JSON `kind`.
        public var name: String {
            switch self {
            case .runStarted: "runStarted"
            case .stateEntered: "stateEntered"
            case .stepStarted: "stepStarted"
            case .stepFinished: "stepFinished"
            case .toolCallStarted: "toolCallStarted"
            case .toolCallFinished: "toolCallFinished"
            case .toolCallRefused: "toolCallRefused"
            case .toolProgress: "toolProgress"
            case .usageRecorded: "usageRecorded"
            case .policyViolation: "policyViolation"
            case .runFinished: "runFinished"
            case .nodeStarted: "nodeStarted"
            case .nodeRetrying: "nodeRetrying"
            case .nodeWaitingForSlot: "nodeWaitingForSlot"
            case .nodeFinished: "nodeFinished"
            case .graphFinished: "graphFinished"
            case .modelCallStarted: "modelCallStarted"
            case .modelDelta: "modelDelta"
            case .modelCallFinished: "modelCallFinished"
            case .modelCallRetrying: "modelCallRetrying"
            }
        }
    }

    /// The run the event belongs to.
    public var executionID: String
    /// The graph node the run belongs to, if any.
    public var nodeID: String?
    /// The metadata the caller passed to the run, unchanged (a graph's node runs and graph events carry the graph
    /// run's); empty objects are left out of the JSON.
    public var metadata: [String: JSONValue]
    /// The event's position in its run, from 1.
    public var sequence: Int64
    /// When it happened, since the run started, on the orchestrator's clock.
    public var atNanoseconds: Nanoseconds
    /// What happened.
    public var kind: Kind

    /// Creates an event, for example to replay or test a subscriber.
    ///
    /// - Parameters:
    ///   - executionID: The run the event belongs to.
    ///   - nodeID: The graph node the run belongs to, if any.
    ///   - metadata: The run's metadata.
    ///   - sequence: The event's position in its run, from 1.
    ///   - atNanoseconds: When it happened, since the run started.
    ///   - kind: What happened.
    public init(
        executionID: String,
        nodeID: String?,
        metadata: [String: JSONValue] = [:],
        sequence: Int64,
        atNanoseconds: Nanoseconds,
        kind: Kind
    ) {
        self.executionID = executionID
        self.nodeID = nodeID
        self.metadata = metadata
        self.sequence = sequence
        self.atNanoseconds = atNanoseconds
        self.kind = kind
    }
}

extension OrchestrationEvent: Codable {
    private enum CodingKeys: String, CodingKey {
        case executionID, nodeID, metadata, sequence, atNanoseconds
    }

    /// Decodes a flat event: its fields, and the kind's beside them.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for an unknown `kind` (naming it) or a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        executionID = try container.decode(String.self, forKey: .executionID)
        nodeID = try container.decodeIfPresent(String.self, forKey: .nodeID)
        metadata = try container.decodeIfPresent([String: JSONValue].self, forKey: .metadata) ?? [:]
        sequence = try container.decode(Int64.self, forKey: .sequence)
        atNanoseconds = try container.decode(Nanoseconds.self, forKey: .atNanoseconds)
        kind = try Kind(from: decoder)
    }

    /// Encodes a flat event: its fields, and the kind's beside them.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(executionID, forKey: .executionID)
        try container.encodeIfPresent(nodeID, forKey: .nodeID)
        if !metadata.isEmpty { try container.encode(metadata, forKey: .metadata) }
        try container.encode(sequence, forKey: .sequence)
        try container.encode(atNanoseconds, forKey: .atNanoseconds)
        try kind.encode(to: encoder)
    }
}

extension OrchestrationEvent.Kind: Codable {
    /// Decodes a flat object: `kind` and the case's fields beside it.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for an unknown `kind` (the message names it), or the errors of
    ///   missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let (kind, container) = try FlatKind.decode(from: decoder)
        func field<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T {
            try container.decode(type, forKey: FlatKey(key))
        }
        switch kind {
        case "runStarted": self = .runStarted(agent: try field("agent"), task: try field("task"))
        case "stateEntered": self = .stateEntered(try field("phase"))
        case "stepStarted": self = .stepStarted(index: try field("index"), revision: try field("revision"))
        case "stepFinished": self = .stepFinished(index: try field("index"), status: try field("status"))
        case "toolCallStarted": self = .toolCallStarted(tool: try field("tool"), arguments: try field("arguments"))
        case "toolCallFinished": self = .toolCallFinished(tool: try field("tool"), status: try field("status"))
        case "toolCallRefused": self = .toolCallRefused(tool: try field("tool"), reason: try field("reason"))
        case "toolProgress":
            self = .toolProgress(
                tool: try field("tool"),
                progress: try field("progress"),
                total: try container.decodeIfPresent(Double.self, forKey: FlatKey("total")),
                message: try container.decodeIfPresent(String.self, forKey: FlatKey("message"))
            )
        case "usageRecorded": self = .usageRecorded(try ModelUsage(from: decoder))
        case "policyViolation": self = .policyViolation(try PolicyViolation(from: decoder))
        case "runFinished": self = .runFinished(try field("report"))
        case "nodeStarted": self = .nodeStarted(attempt: try field("attempt"))
        case "nodeRetrying":
            self = .nodeRetrying(
                failedAttempt: try field("failedAttempt"),
                delayNanoseconds: try field("delayNanoseconds")
            )
        case "nodeWaitingForSlot": self = .nodeWaitingForSlot(agent: try field("agent"))
        case "nodeFinished": self = .nodeFinished(status: try field("status"))
        case "graphFinished": self = .graphFinished(try field("report"))
        case "modelCallStarted":
            self = .modelCallStarted(
                model: try field("model"),
                attempt: try field("attempt"),
                maximumOutputTokens: try field("maximumOutputTokens")
            )
        case "modelDelta": self = .modelDelta(try field("delta"))
        case "modelCallFinished":
            self = .modelCallFinished(
                model: try field("model"),
                attempt: try field("attempt"),
                status: try field("status"),
                usage: try field("usage")
            )
        case "modelCallRetrying":
            self = .modelCallRetrying(
                model: try field("model"),
                failedAttempt: try field("failedAttempt"),
                delayNanoseconds: try field("delayNanoseconds")
            )
        default: throw FlatKind.unknown(kind, of: "OrchestrationEvent.Kind", known: Self.allNames, in: container)
        }
    }

    /// Encodes a flat object: `kind` and the case's fields beside it.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var container = try FlatKind.encode(name, to: encoder)
        func field(_ value: some Encodable, _ key: String) throws {
            try container.encode(value, forKey: FlatKey(key))
        }
        switch self {
        case .runStarted(let agent, let task):
            try field(agent, "agent")
            try field(task, "task")
        case .stateEntered(let phase): try field(phase, "phase")
        case .stepStarted(let index, let revision):
            try field(index, "index")
            try field(revision, "revision")
        case .stepFinished(let index, let status):
            try field(index, "index")
            try field(status, "status")
        case .toolCallStarted(let tool, let arguments):
            try field(tool, "tool")
            try field(arguments, "arguments")
        case .toolCallFinished(let tool, let status):
            try field(tool, "tool")
            try field(status, "status")
        case .toolCallRefused(let tool, let reason):
            try field(tool, "tool")
            try field(reason, "reason")
        case .toolProgress(let tool, let progress, let total, let message):
            try field(tool, "tool")
            try field(progress, "progress")
            try container.encodeIfPresent(total, forKey: FlatKey("total"))
            try container.encodeIfPresent(message, forKey: FlatKey("message"))
        case .usageRecorded(let usage): try usage.encode(to: encoder)
        case .policyViolation(let violation): try violation.encode(to: encoder)
        case .runFinished(let report): try field(report, "report")
        case .nodeStarted(let attempt): try field(attempt, "attempt")
        case .nodeRetrying(let failedAttempt, let delay):
            try field(failedAttempt, "failedAttempt")
            try field(delay, "delayNanoseconds")
        case .nodeWaitingForSlot(let agent): try field(agent, "agent")
        case .nodeFinished(let status): try field(status, "status")
        case .graphFinished(let report): try field(report, "report")
        case .modelCallStarted(let model, let attempt, let maximum):
            try field(model, "model")
            try field(attempt, "attempt")
            try field(maximum, "maximumOutputTokens")
        case .modelDelta(let delta): try field(delta, "delta")
        case .modelCallFinished(let model, let attempt, let status, let usage):
            try field(model, "model")
            try field(attempt, "attempt")
            try field(status, "status")
            try field(usage, "usage")
        case .modelCallRetrying(let model, let failedAttempt, let delay):
            try field(model, "model")
            try field(failedAttempt, "failedAttempt")
            try field(delay, "delayNanoseconds")
        }
    }
}
