import AgentAdapters
import AgentPolicy

/// The JSON keys of a definition and its states.
private struct WorkflowKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension WorkflowDefinition: Codable {
    /// Decodes a definition: `name`, `version`, `initialState`, `states` (an object of states by name) and an
    /// optional `maxVisitsPerState` (10 when absent).
    ///
    /// Decoding checks only the shape; ``validate(registry:tools:initialData:)`` checks the meaning.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The decoder's error naming a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: WorkflowKey.self)
        self.init(
            name: try c.decode(String.self, forKey: WorkflowKey("name")),
            version: try c.decode(String.self, forKey: WorkflowKey("version")),
            initialState: try c.decode(String.self, forKey: WorkflowKey("initialState")),
            states: try c.decode([String: WorkflowState].self, forKey: WorkflowKey("states")),
            maxVisitsPerState: try c.decodeIfPresent(Int.self, forKey: WorkflowKey("maxVisitsPerState"))
                ?? Self.defaultMaxVisitsPerState
        )
    }

    /// Encodes the definition with the keys ``init(from:)`` reads.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: WorkflowKey.self)
        try c.encode(name, forKey: WorkflowKey("name"))
        try c.encode(version, forKey: WorkflowKey("version"))
        try c.encode(initialState, forKey: WorkflowKey("initialState"))
        try c.encode(states, forKey: WorkflowKey("states"))
        try c.encode(maxVisitsPerState, forKey: WorkflowKey("maxVisitsPerState"))
    }

    /// Parses a definition from JSON text.
    ///
    /// - Parameter json: The definition's JSON text.
    /// - Returns: The definition (not yet validated).
    /// - Throws: `JSONParsingError` for text that is not JSON, or a `DecodingError` naming the field.
    public static func parse(_ json: String) throws -> WorkflowDefinition {
        try JSONValueDecoder().decode(WorkflowDefinition.self, from: try JSONValue(parsing: json))
    }
}

extension WorkflowPerformer {
    fileprivate static func decode(
        from c: KeyedDecodingContainer<WorkflowKey>
    ) throws -> WorkflowPerformer {
        let found: [WorkflowPerformer] = try [
            c.decodeIfPresent(String.self, forKey: WorkflowKey("agent")).map(WorkflowPerformer.agent),
            c.decodeIfPresent(String.self, forKey: WorkflowKey("tool")).map(WorkflowPerformer.tool),
            c.decodeIfPresent(String.self, forKey: WorkflowKey("workflow")).map(WorkflowPerformer.workflow),
            c.decodeIfPresent(String.self, forKey: WorkflowKey("graph")).map(WorkflowPerformer.graph),
        ].compactMap { $0 }
        guard found.count == 1, let performer = found.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: c.codingPath,
                    debugDescription: "a task or branch names exactly one of \"agent\", \"tool\", \"workflow\" or "
                        + "\"graph\"; "
                        + "found \(found.count)"
                )
            )
        }
        return performer
    }

    fileprivate func encode(to c: inout KeyedEncodingContainer<WorkflowKey>) throws {
        try c.encode(name, forKey: WorkflowKey(key))
    }
}

extension WorkflowParallelState.Branch: Codable {
    /// Decodes a branch: `name`, one of `agent`, `tool`, `workflow` or `graph`, and `input` (`$` when absent).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The decoder's error naming a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: WorkflowKey.self)
        self.init(
            try c.decode(String.self, forKey: WorkflowKey("name")),
            try WorkflowPerformer.decode(from: c),
            input: try c.decodeIfPresent(JSONPath.self, forKey: WorkflowKey("input")) ?? .root
        )
    }

    /// Encodes the branch with the keys ``init(from:)`` reads.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: WorkflowKey.self)
        try c.encode(name, forKey: WorkflowKey("name"))
        try performer.encode(to: &c)
        try c.encode(input, forKey: WorkflowKey("input"))
    }
}

extension WorkflowState: Codable {
    /// Decodes a state: a flat object whose `kind` is `task`, `decision`, `parallel`, `wait` or `end`.
    ///
    /// - `task`: one of `agent`, `tool`, `workflow`, `graph`; `input` (`$` when absent), `output`, `next`, `onFailure`.
    /// - `decision`: `choices` (each a `condition` and a `next`), `default`.
    /// - `parallel`: `branches`, `join` (`all` when absent, `any`, `firstSuccess`), `output`, `next`, `onFailure`.
    /// - `wait`: `signal` (a name) or `approval` (a prompt), `timeoutNanoseconds`, `output`, `next`, `onTimeout`,
    ///   `onDenied`.
    /// - `end`: `outcome` (`succeeded` or `failed`), `reason`.
    ///
    /// Every kind but `end` takes an optional `maxVisits`. Required transitions and the timeout decode as absent
    /// when missing, so that validation can name the state.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The decoder's error naming a missing or mistyped field, or an unknown kind.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: WorkflowKey.self)
        func key(_ name: String) -> WorkflowKey { WorkflowKey(name) }
        let kind = try c.decode(String.self, forKey: key("kind"))
        let maxVisits = try c.decodeIfPresent(Int.self, forKey: key("maxVisits"))
        switch kind {
        case "task":
            self = .task(
                WorkflowTaskState(
                    try WorkflowPerformer.decode(from: c),
                    input: try c.decodeIfPresent(JSONPath.self, forKey: key("input")) ?? .root,
                    output: try c.decode(JSONPath.self, forKey: key("output")),
                    next: try c.decode(String.self, forKey: key("next")),
                    onFailure: try c.decodeIfPresent(String.self, forKey: key("onFailure")),
                    maxVisits: maxVisits
                )
            )
        case "decision":
            self = .decision(
                WorkflowDecisionState(
                    try c.decode([WorkflowDecisionState.Choice].self, forKey: key("choices")),
                    default: try c.decodeIfPresent(String.self, forKey: key("default")),
                    maxVisits: maxVisits
                )
            )
        case "parallel":
            self = .parallel(
                WorkflowParallelState(
                    try c.decode([WorkflowParallelState.Branch].self, forKey: key("branches")),
                    join: try c.decodeIfPresent(WorkflowParallelState.Join.self, forKey: key("join")) ?? .all,
                    output: try c.decode(JSONPath.self, forKey: key("output")),
                    next: try c.decode(String.self, forKey: key("next")),
                    onFailure: try c.decodeIfPresent(String.self, forKey: key("onFailure")),
                    maxVisits: maxVisits
                )
            )
        case "wait":
            let awaited: WorkflowWaitState.Awaited
            if let signal = try c.decodeIfPresent(String.self, forKey: key("signal")) {
                awaited = .signal(signal)
            } else if let prompt = try c.decodeIfPresent(String.self, forKey: key("approval")) {
                awaited = .approval(prompt: prompt)
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: key("signal"),
                    in: c,
                    debugDescription: "a wait state names a \"signal\" or an \"approval\" prompt"
                )
            }
            self = .wait(
                WorkflowWaitState(
                    awaited,
                    timeout: try c.decodeIfPresent(Int64.self, forKey: key("timeoutNanoseconds"))
                        .map(Duration.nanoseconds),
                    output: try c.decodeIfPresent(JSONPath.self, forKey: key("output")),
                    next: try c.decode(String.self, forKey: key("next")),
                    onTimeout: try c.decodeIfPresent(String.self, forKey: key("onTimeout")),
                    onDenied: try c.decodeIfPresent(String.self, forKey: key("onDenied")),
                    maxVisits: maxVisits
                )
            )
        case "end":
            self = .end(
                WorkflowEndState(
                    try c.decode(WorkflowEndState.Outcome.self, forKey: key("outcome")),
                    reason: try c.decodeIfPresent(String.self, forKey: key("reason"))
                )
            )
        default:
            throw DecodingError.dataCorruptedError(
                forKey: key("kind"),
                in: c,
                debugDescription: "unknown state kind \"\(kind)\"; expected one of task, decision, parallel, wait, end"
            )
        }
    }

    /// Encodes the state with the keys ``init(from:)`` reads.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: WorkflowKey.self)
        func key(_ name: String) -> WorkflowKey { WorkflowKey(name) }
        try c.encode(kind, forKey: key("kind"))
        try c.encodeIfPresent(maxVisits, forKey: key("maxVisits"))
        switch self {
        case .task(let state):
            try state.performer.encode(to: &c)
            try c.encode(state.input, forKey: key("input"))
            try c.encode(state.output, forKey: key("output"))
            try c.encode(state.next, forKey: key("next"))
            try c.encodeIfPresent(state.onFailure, forKey: key("onFailure"))
        case .decision(let state):
            try c.encode(state.choices, forKey: key("choices"))
            try c.encodeIfPresent(state.defaultNext, forKey: key("default"))
        case .parallel(let state):
            try c.encode(state.branches, forKey: key("branches"))
            try c.encode(state.join, forKey: key("join"))
            try c.encode(state.output, forKey: key("output"))
            try c.encode(state.next, forKey: key("next"))
            try c.encodeIfPresent(state.onFailure, forKey: key("onFailure"))
        case .wait(let state):
            switch state.awaited {
            case .signal(let name): try c.encode(name, forKey: key("signal"))
            case .approval(let prompt): try c.encode(prompt, forKey: key("approval"))
            }
            try c.encodeIfPresent(state.timeout.map { Nanoseconds($0).rawValue }, forKey: key("timeoutNanoseconds"))
            try c.encodeIfPresent(state.output, forKey: key("output"))
            try c.encode(state.next, forKey: key("next"))
            try c.encodeIfPresent(state.onTimeout, forKey: key("onTimeout"))
            try c.encodeIfPresent(state.onDenied, forKey: key("onDenied"))
        case .end(let state):
            try c.encode(state.outcome, forKey: key("outcome"))
            try c.encodeIfPresent(state.reason, forKey: key("reason"))
        }
    }
}
