public import AgentAdapters
public import AgentPolicy

/// Everything a run did, returned for every outcome: success, failure, timeout, policy stop, cancellation.
///
/// ``Orchestrator/run(_:task:policy:sharedBudget:metadata:)`` never throws for agent, tool or policy outcomes;
/// it returns this report. Field names are stable; durations and times are integer nanoseconds measured on the
/// orchestrator's clock from the start of the run. With a `ManualClock` (from AgentTesting) and a seeded
/// ``ExecutionIDGenerator``, two identical runs give reports whose ``jsonText(prettyPrinted:)`` is byte-for-byte
/// the same.
///
/// ``jsonText(prettyPrinted:)`` writes the report and ``init(jsonText:)`` reads it back, both with the library's
/// own JSON text form, so a report survives the round trip exactly (integers stay integers, `2.0` stays a
/// number, a `null` output stays `null`) and re-encodes to the same bytes. <doc:ReportSchema> documents every field.
public struct ExecutionReport: Hashable, Codable, Sendable {
    /// The version of the report schema this library writes, and the newest it reads: 1.
    public static let currentSchemaVersion = reportSchemaVersion

    /// The report schema's version: ``currentSchemaVersion`` for reports this library makes.
    public var schemaVersion: Int = reportSchemaVersion
    /// The run's id, from the orchestrator's ``ExecutionIDGenerator``.
    public var executionID: String {
        get { storedExecutionID.text }
        set { storedExecutionID = ReportID(newValue) }
    }
    /// ``executionID``, a UUID text kept as its bits (inline) rather than as a 36-character string on the heap.
    var storedExecutionID: ReportID
    /// The agent's name.
    public var agentName: String
    /// The graph node the run belongs to, if any.
    public var nodeID: String?
    /// The task, as given.
    public var task: JSONValue
    /// Whether the agent's code had returned when the run ended (frozen then, so identical runs report the same).
    ///
    /// It is `true` when the run ended between agent calls: completed, rejected, a step or revision refused, the
    /// agent threw. It is `false` when the run ended while agent code was still running: at the deadline, on the
    /// caller's cancellation, or on a policy refusal raised inside one of the agent's context calls. The agent's
    /// task is cancelled then; a cooperative agent unwinds at once, one that ignores cancellation is abandoned and
    /// keeps running until its code returns, and is released then. Either way nothing it does later counts.
    public var agentStopped: Bool
    /// The outcome in one word.
    public var status: RunStatus
    /// The caller's metadata, as given.
    public var metadata: [String: JSONValue]
    /// Why the run ended.
    public var stopReason: StopReason {
        get { outOfLineStopReason?.value ?? .completed }
        set { outOfLineStopReason = Self.outOfLine(newValue) }
    }
    /// ``stopReason`` out of line, `nil` for ``StopReason/completed``: 8 bytes in the report instead of 88.
    var outOfLineStopReason: OutOfLine<StopReason>?

    /// `reason` as ``ExecutionReport`` stores it: `nil` for ``StopReason/completed``, else boxed.
    static func outOfLine(_ reason: StopReason) -> OutOfLine<StopReason>? {
        if case .completed = reason { return nil }
        return .value(reason)
    }
    /// The accepted output; `nil` unless the run completed.
    public var finalOutput: JSONValue?
    /// The outputs of the steps that completed, in order, over all revisions; kept whatever the outcome.
    public var stepOutputs: [JSONValue]
    /// One record per step started.
    public var steps: [StepRecord]
    /// Tool calls made outside any step (during PLAN or REVIEW).
    public var toolCallsOutsideSteps: [ToolCallRecord] {
        get { extras?.value.toolCallsOutsideSteps ?? [] }
        set { extras = ReportExtras.boxed(extras, setting: \.toolCallsOutsideSteps, to: newValue) }
    }
    /// Totals over the run.
    public var totals: RunTotals {
        get { sharedTotals.value }
        set { sharedTotals = .value(newValue) }
    }
    /// ``totals`` out of line (8 bytes instead of 80): a graph's node reports with the same totals share one.
    var sharedTotals: OutOfLine<RunTotals>
    /// The run's budgets, limit beside use, in `BudgetKind.allCases` order, then `timeNanoseconds` (timeout vs
    /// duration).
    ///
    /// A graph node's run (``nodeID`` set) lists only the lines that say more than the budget table: a kind with
    /// nothing used and its `BudgetKind.defaultLimit` is left out (`timeNanoseconds` is always listed), so a
    /// graph of many nodes does not keep a full table per node. ``ledgerLine(_:)`` reads any line, listed or left
    /// out. Reports that list every line decode as before.
    public var ledger: [BudgetLine] {
        get { ledgers.ledger }
        set { ledgers.ledger = newValue }
    }
    /// The shared budget's lines as they stood when the run ended, if the run drew on one; a graph node's run
    /// leaves out the same lines as in ``ledger`` (``sharedLedgerLine(_:)`` reads any line).
    public var sharedLedger: [BudgetLine]? {
        get { ledgers.sharedLedger }
        set { ledgers.sharedLedger = newValue }
    }
    /// ``ledger`` and ``sharedLedger``, stored as lines or as uses beside a table a graph's nodes share.
    var ledgers: ReportLedgers
    /// The phases entered, in order, with their times.
    public var history: [PhaseTransition]
    /// The policy violations met (at most one stops the run; it is listed here and in ``stopReason``).
    public var violations: [PolicyViolation] {
        get { extras?.value.violations ?? [] }
        set { extras = ReportExtras.boxed(extras, setting: \.violations, to: newValue) }
    }
    /// Counts of the events the run emitted, and of those dropped by slow subscribers.
    public var events: EventCounts {
        get { sharedEvents.value }
        set { sharedEvents = .value(newValue) }
    }
    /// ``events`` out of line (8 bytes instead of 128): a graph's node reports with the same counts share one.
    var sharedEvents: OutOfLine<EventCounts>
    /// The run's length on the orchestrator's clock.
    public var durationNanoseconds: Nanoseconds
    /// Governed model calls made outside any step (in PLAN or REVIEW), one record per attempt; left out of the
    /// JSON when empty.
    public var modelCallsOutsideSteps: [ModelCallRecord] {
        get { extras?.value.modelCallsOutsideSteps ?? [] }
        set { extras = ReportExtras.boxed(extras, setting: \.modelCallsOutsideSteps, to: newValue) }
    }
    /// The run's model transcript (`AgentContext.modelTranscript`), oldest first: empty, and left out of the
    /// JSON, when the run kept none.
    public var modelTranscript: [ModelMessage] {
        get { extras?.value.modelTranscript ?? [] }
        set { extras = ReportExtras.boxed(extras, setting: \.modelTranscript, to: newValue) }
    }
    /// The hash of the last entry of the run's journal when the report was made, so a stored report pins its
    /// journal (`JournalChain.verify(_:genesis:knownVersion:expectedCount:expectedHeadHash:)` checks it); `nil`, and
    /// left out of the JSON, for a run without a journal.
    public var journalHeadHash: SHA256Digest? {
        get { extras?.value.journalHeadHash ?? nil }
        set {
            // Set in place, not through the generic `boxed(_:setting:to:)`: a journaled run sets it on every report,
            // and that generic call (in another module) wrote through the key path at run time.
            var changed = extras?.value ?? ReportExtras()
            changed.journalHeadHash = newValue
            extras = changed.isUnset ? nil : .value(changed)
        }
    }
    /// The tool call a paused run waits on (status `RunStatus/awaitingApproval`); `nil`, and left out of the JSON,
    /// otherwise.
    public var pendingApproval: ApprovalRequest? {
        get { extras?.value.pendingApproval ?? nil }
        set { extras = ReportExtras.boxed(extras, setting: \.pendingApproval, to: newValue) }
    }
    /// ``toolCallsOutsideSteps``, ``violations``, ``modelCallsOutsideSteps``, ``modelTranscript``,
    /// ``journalHeadHash`` and ``pendingApproval`` out of line, `nil` when all are empty: 8 bytes in the report
    /// instead of 48, for the runs (most graph nodes) that have none of them.
    var extras: OutOfLine<ReportExtras>?

    /// Encodes the report as JSON text with sorted keys: byte-identical for identical reports.
    ///
    /// - Parameter prettyPrinted: Whether to indent the output.
    /// - Returns: The JSON text.
    public func jsonText(prettyPrinted: Bool = false) -> String {
        JSONValue.canonicalText(of: self, prettyPrinted: prettyPrinted)
    }
}

extension ExecutionReport {
    private enum CodingKeys: String, CodingKey {
        case schemaVersion, executionID, agentName, nodeID, task, metadata, status, stopReason, finalOutput
        case stepOutputs, steps, toolCallsOutsideSteps, totals, ledger, sharedLedger, history, violations, events
        case agentStopped, durationNanoseconds, modelCallsOutsideSteps, modelTranscript, journalHeadHash
        case pendingApproval
    }

    /// Reads a report from the JSON text that ``jsonText(prettyPrinted:)`` writes.
    ///
    /// The text is parsed and decoded with the library's own JSON parser and decoder (no Foundation), so the
    /// decoded report equals the one that was written and re-encodes to the same bytes.
    ///
    /// ```swift
    /// let saved = report.jsonText()
    /// let restored = try ExecutionReport(jsonText: saved)  // restored == report
    /// ```
    ///
    /// - Parameter jsonText: The report's JSON text.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/invalidReport`` when the text is not
    ///   JSON or does not match the schema (the message names the field), or
    ///   ``OrchestrationError/Code/unsupportedSchemaVersion`` when its `schemaVersion` is newer than
    ///   ``currentSchemaVersion``.
    public init(jsonText: String) throws(OrchestrationError) {
        self = try decodeReport(Self.self, named: "ExecutionReport", fromJSONText: jsonText)
    }

    /// Decodes a report, refusing a `schemaVersion` newer than ``currentSchemaVersion``.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for a newer schema version; the errors of missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try SchemaVersion.decode("ExecutionReport", from: container, forKey: .schemaVersion)
        storedExecutionID = ReportID(try container.decode(String.self, forKey: .executionID))
        agentName = try container.decode(String.self, forKey: .agentName)
        nodeID = try container.decodeIfPresent(String.self, forKey: .nodeID)
        task = try container.decode(JSONValue.self, forKey: .task)
        metadata = try container.decode([String: JSONValue].self, forKey: .metadata)
        status = try container.decode(RunStatus.self, forKey: .status)
        outOfLineStopReason = Self.outOfLine(try container.decode(StopReason.self, forKey: .stopReason))
        finalOutput = try container.decodeIfPresent(JSONValue.self, forKey: .finalOutput)
        stepOutputs = try container.decode([JSONValue].self, forKey: .stepOutputs)
        steps = try container.decode([StepRecord].self, forKey: .steps)
        let toolCallsOutsideSteps = try container.decode([ToolCallRecord].self, forKey: .toolCallsOutsideSteps)
        sharedTotals = .value(try container.decode(RunTotals.self, forKey: .totals))
        ledgers = ReportLedgers(
            ledger: try container.decode([BudgetLine].self, forKey: .ledger),
            sharedLedger: try container.decodeIfPresent([BudgetLine].self, forKey: .sharedLedger)
        )
        history = try container.decode([PhaseTransition].self, forKey: .history)
        let violations = try container.decode([PolicyViolation].self, forKey: .violations)
        sharedEvents = .value(try container.decode(EventCounts.self, forKey: .events))
        agentStopped = try container.decode(Bool.self, forKey: .agentStopped)
        durationNanoseconds = try container.decode(Nanoseconds.self, forKey: .durationNanoseconds)
        extras =
            ReportExtras(
                toolCallsOutsideSteps: toolCallsOutsideSteps,
                violations: violations,
                modelCallsOutsideSteps: try container.decodeIfPresent(
                    [ModelCallRecord].self,
                    forKey: .modelCallsOutsideSteps
                ) ?? [],
                modelTranscript: try container.decodeIfPresent([ModelMessage].self, forKey: .modelTranscript) ?? [],
                journalHeadHash: try container.decodeIfPresent(SHA256Digest.self, forKey: .journalHeadHash),
                pendingApproval: try container.decodeIfPresent(ApprovalRequest.self, forKey: .pendingApproval)
            ).boxed
    }

    /// Encodes the report; `modelCallsOutsideSteps` and `modelTranscript` only when not empty, so runs without
    /// model calls write what they always wrote.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(executionID, forKey: .executionID)
        try container.encode(agentName, forKey: .agentName)
        try container.encodeIfPresent(nodeID, forKey: .nodeID)
        try container.encode(task, forKey: .task)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(status, forKey: .status)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encodeIfPresent(finalOutput, forKey: .finalOutput)
        try container.encode(stepOutputs, forKey: .stepOutputs)
        try container.encode(steps, forKey: .steps)
        try container.encode(toolCallsOutsideSteps, forKey: .toolCallsOutsideSteps)
        try container.encode(totals, forKey: .totals)
        try container.encode(ledger, forKey: .ledger)
        try container.encodeIfPresent(sharedLedger, forKey: .sharedLedger)
        try container.encode(history, forKey: .history)
        try container.encode(violations, forKey: .violations)
        try container.encode(events, forKey: .events)
        try container.encode(agentStopped, forKey: .agentStopped)
        try container.encode(durationNanoseconds, forKey: .durationNanoseconds)
        if !modelCallsOutsideSteps.isEmpty {
            try container.encode(modelCallsOutsideSteps, forKey: .modelCallsOutsideSteps)
        }
        if !modelTranscript.isEmpty { try container.encode(modelTranscript, forKey: .modelTranscript) }
        try container.encodeIfPresent(journalHeadHash, forKey: .journalHeadHash)
        try container.encodeIfPresent(pendingApproval, forKey: .pendingApproval)
    }
}

extension ExecutionReport {
    /// The chain of agents that held the conversation, in order: the run's agent, then each agent a `ModelAgent`
    /// handed off to (read from the turn steps, whose input names the active agent after a hand-off). One name for
    /// a run without hand-offs; a name appears again when the conversation is handed back.
    public var agentChain: [String] {
        var chain = [agentName]
        for step in steps {
            guard case .string(let agent)? = step.input["agent"], agent != chain.last else { continue }
            chain.append(agent)
        }
        return chain
    }
}
