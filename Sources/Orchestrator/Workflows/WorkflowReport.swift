public import AgentAdapters
public import AgentPolicy

/// Why a workflow run ended: a flat value with a ``Kind`` and, depending on it, the state, the reason and the limit.
public struct WorkflowStopReason: Hashable, Codable, Sendable, CustomStringConvertible {
    /// How the run ended.
    public enum Kind: String, Hashable, Codable, Sendable {
        /// It reached an end state with outcome `succeeded` (``WorkflowStopReason/state`` names it).
        case succeeded
        /// It reached an end state with outcome `failed` (``WorkflowStopReason/reason`` says why), or a decision's
        /// condition could not be evaluated.
        case failed
        /// A state was to be entered once more than its visit cap (``WorkflowStopReason/limit``) allows.
        case visitCapReached
        /// One more transition than the policy's `maxWorkflowTransitions` was to be taken.
        case transitionLimitReached
        /// The policy's timeout passed (``WorkflowStopReason/limit`` in nanoseconds).
        case timedOut
        /// The run was cancelled from outside.
        case cancelled
        /// The workflow's journal could not be opened or belongs to another definition; nothing ran.
        case invalid
        /// The workflow's journal could not be written; the input it could not record was not applied.
        case journalFailed
    }

    /// How the run ended.
    public var kind: Kind
    /// The state concerned: the end state, the state over its visit cap, the state a limit stopped.
    public var state: String?
    /// Why, in words.
    public var reason: String?
    /// The limit concerned: the visit cap, the transition limit, the timeout in nanoseconds.
    public var limit: Int64?

    /// Creates a stop reason.
    ///
    /// - Parameters:
    ///   - kind: How the run ended.
    ///   - state: The state concerned.
    ///   - reason: Why, in words.
    ///   - limit: The limit concerned.
    public init(_ kind: Kind, state: String? = nil, reason: String? = nil, limit: Int64? = nil) {
        self.kind = kind
        self.state = state
        self.reason = reason
        self.limit = limit
    }

    /// Whether the run succeeded.
    public var succeeded: Bool { kind == .succeeded }

    /// The kind, with the state, limit and reason when present.
    public var description: String {
        var text = kind.rawValue
        if let state { text += " at \(state)" }
        if let limit { text += " (limit \(limit))" }
        if let reason { text += ": \(reason)" }
        return text
    }
}

/// How one visit of a state ended.
public enum WorkflowStepOutcome: String, Hashable, Codable, Sendable {
    /// A task or parallel state succeeded.
    case succeeded
    /// A task or parallel state failed (the failure transition was taken), or a wait's payload or decision could not
    /// be written (a wait has no failure transition: the run ended `failed`).
    case failed
    /// A decision chose a transition.
    case chose
    /// A wait received its signal.
    case signalled
    /// A wait's approval was given.
    case approved
    /// A wait's approval was denied.
    case denied
    /// A wait timed out (the timeout transition was taken).
    case timedOut
    /// The visit was ended by the workflow's stop (cancel, deadline, a limit).
    case stopped
    /// An end state was reached.
    case ended
}

/// One governed run a state visit started: a task's, or a branch's.
public struct WorkflowTaskRun: Hashable, Codable, Sendable {
    /// The branch's name, for a parallel state.
    public var branch: String?
    /// The performer, as ``WorkflowPerformer/description`` writes it.
    public var performer: String
    /// The run's execution id (an agent or tool run's report id, a sub-workflow's report id).
    public var executionID: String?
    /// Whether it succeeded.
    public var succeeded: Bool
    /// The run's stop reason code (`completed`, `agentFailed`, …, or a sub-workflow's stop kind), why it did not
    /// run (`missingInput`), or `cancelled` for a run the workflow cancelled before its outcome came (a branch its
    /// join no longer needed, a run the workflow's stop ended; ``detail`` says which).
    public var stopReason: String
    /// The error or reason, when it failed.
    public var detail: String?
    /// The agents that held the conversation in order, when the task's agent handed it off (the task's agent, then
    /// each target; see `ExecutionReport.agentChain`); `nil` when no hand-off happened.
    public var agentChain: [String]?

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - branch: The branch's name, for a parallel state.
    ///   - performer: The performer.
    ///   - executionID: The run's execution id.
    ///   - succeeded: Whether it succeeded.
    ///   - stopReason: The run's stop reason code.
    ///   - detail: The error or reason.
    ///   - agentChain: The agents that held the conversation, when a hand-off happened.
    public init(
        branch: String?,
        performer: String,
        executionID: String?,
        succeeded: Bool,
        stopReason: String,
        detail: String?,
        agentChain: [String]? = nil
    ) {
        self.branch = branch
        self.performer = performer
        self.executionID = executionID
        self.succeeded = succeeded
        self.stopReason = stopReason
        self.detail = detail
        self.agentChain = agentChain
    }
}

/// One visit of one state, in the order the run took them.
public struct WorkflowPathEntry: Hashable, Codable, Sendable {
    /// The state's name.
    public var state: String
    /// The state's kind (`task`, `decision`, …).
    public var kind: String
    /// Which visit of the state this is, from 1.
    public var visit: Int
    /// When the state was entered: the workflow clock's reading (active time since the run started; it stands still
    /// while the workflow waits or is paused).
    public var enteredAt: Nanoseconds
    /// How the visit ended; `nil` while it is in progress.
    public var outcome: WorkflowStepOutcome?
    /// The label of the transition taken (`ok`, `failure`, a condition, `default`, `timeout`, …).
    public var transition: String?
    /// The state the transition led to.
    public var next: String?
    /// The governed runs the visit started.
    public var runs: [WorkflowTaskRun]
    /// Why the visit failed or stopped, when it did.
    public var detail: String?

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - state: The state's name.
    ///   - kind: The state's kind.
    ///   - visit: Which visit it is.
    ///   - enteredAt: When it was entered.
    public init(state: String, kind: String, visit: Int, enteredAt: Nanoseconds) {
        self.state = state
        self.kind = kind
        self.visit = visit
        self.enteredAt = enteredAt
        self.outcome = nil
        self.transition = nil
        self.next = nil
        self.runs = []
        self.detail = nil
    }
}

/// A state's visits in one run and how the last one ended.
public struct WorkflowStateSummary: Hashable, Codable, Sendable {
    /// How often the state was entered.
    public var visits: Int
    /// How its last visit ended.
    public var lastOutcome: WorkflowStepOutcome?

    /// Creates a summary.
    ///
    /// - Parameters:
    ///   - visits: How often the state was entered.
    ///   - lastOutcome: How its last visit ended.
    public init(visits: Int, lastOutcome: WorkflowStepOutcome?) {
        self.visits = visits
        self.lastOutcome = lastOutcome
    }
}

/// What a workflow run did: the path it took, each state's visits and outcome, the final data and why it stopped.
///
/// `Codable`, with a ``schemaVersion``; the definition's version and hash pin what ran.
public struct WorkflowReport: Hashable, Codable, Sendable {
    /// The schema version this library writes.
    public static let currentSchemaVersion = 1

    /// The report's schema version.
    public var schemaVersion: Int = Self.currentSchemaVersion
    /// The run's id.
    public var executionID: String
    /// The workflow's name.
    public var workflow: String
    /// The definition's version.
    public var version: String
    /// SHA-256 of the definition's canonical JSON.
    public var definitionHash: SHA256Digest
    /// Why the run ended.
    public var stopReason: WorkflowStopReason
    /// Every state visit, in order.
    public var path: [WorkflowPathEntry]
    /// Each visited state's visits and last outcome, by name.
    public var states: [String: WorkflowStateSummary]
    /// The workflow's data when it ended.
    public var finalData: JSONValue
    /// How many transitions it took, its sub-workflows' included (each charged when it ended).
    public var transitions: Int
    /// The workflow ledger: what all its governed runs consumed together, against the policy's limits.
    public var ledger: [BudgetLine]
    /// How long it ran: the workflow clock's active time, which stands still while it waits or is paused and across a
    /// restart.
    public var durationNanoseconds: Nanoseconds
    /// The workflow journal's head hash, for a journaled run.
    public var journalHeadHash: SHA256Digest?

    /// Whether the run succeeded.
    public var succeeded: Bool { stopReason.succeeded }

    /// The states visited, in order (a state visited twice appears twice).
    public var statesTaken: [String] { path.map(\.state) }

    /// The final data decoded as `T`: the typed view of the workflow's data.
    ///
    /// - Parameter type: The type to decode.
    /// - Returns: The decoded data.
    /// - Throws: The decoder's error naming the field that does not fit.
    public func data<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONValueDecoder().decode(T.self, from: finalData)
    }

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - executionID: The run's id.
    ///   - workflow: The workflow's name.
    ///   - version: The definition's version.
    ///   - definitionHash: The definition's hash.
    ///   - stopReason: Why the run ended.
    ///   - path: Every state visit, in order.
    ///   - states: Each state's summary.
    ///   - finalData: The final data.
    ///   - transitions: How many transitions it took.
    ///   - ledger: The workflow ledger.
    ///   - durationNanoseconds: How long it ran.
    public init(
        executionID: String,
        workflow: String,
        version: String,
        definitionHash: SHA256Digest,
        stopReason: WorkflowStopReason,
        path: [WorkflowPathEntry],
        states: [String: WorkflowStateSummary],
        finalData: JSONValue,
        transitions: Int,
        ledger: [BudgetLine],
        durationNanoseconds: Nanoseconds
    ) {
        self.executionID = executionID
        self.workflow = workflow
        self.version = version
        self.definitionHash = definitionHash
        self.stopReason = stopReason
        self.path = path
        self.states = states
        self.finalData = finalData
        self.transitions = transitions
        self.ledger = ledger
        self.durationNanoseconds = durationNanoseconds
    }
}
