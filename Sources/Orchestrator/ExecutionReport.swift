public import AgentAdapters
public import AgentPolicy

/// Everything a run did, returned for every outcome: success, failure, timeout, policy stop, cancellation.
///
/// ``Orchestrator/run(_:task:policy:sharedBudget:metadata:)`` never throws for agent, tool or policy outcomes;
/// it returns this report. Field names are stable; durations and times are integer nanoseconds measured on the
/// orchestrator's clock from the start of the run. With a `ManualClock` and a seeded ``ExecutionIDGenerator``,
/// two identical runs give reports whose ``jsonText(prettyPrinted:)`` is byte-for-byte the same.
public struct ExecutionReport: Hashable, Codable, Sendable {
    /// The run's id, from the orchestrator's ``ExecutionIDGenerator``.
    public var executionID: String
    /// The agent's name.
    public var agentName: String
    /// The graph node the run belongs to, if any.
    public var nodeID: String?
    /// The task, as given.
    public var task: JSONValue
    /// The caller's metadata, as given.
    public var metadata: [String: JSONValue]
    /// The outcome in one word.
    public var status: RunStatus
    /// Why the run ended.
    public var stopReason: StopReason
    /// The accepted output; `nil` unless the run completed.
    public var finalOutput: JSONValue?
    /// The outputs of the steps that completed, in order, over all revisions; kept whatever the outcome.
    public var stepOutputs: [JSONValue]
    /// One record per step started.
    public var steps: [StepRecord]
    /// Tool calls made outside any step (during PLAN or REVIEW).
    public var toolCallsOutsideSteps: [ToolCallRecord]
    /// Totals over the run.
    public var totals: RunTotals
    /// The run's budgets, limit beside use, then `refusedToolCalls` and `timeNanoseconds` (timeout vs duration).
    public var ledger: [BudgetLine]
    /// The shared budget's lines as they stood when the run ended, if the run drew on one.
    public var sharedLedger: [BudgetLine]?
    /// The phases entered, in order, with their times.
    public var history: [PhaseTransition]
    /// The policy violations met (at most one stops the run; it is listed here and in ``stopReason``).
    public var violations: [PolicyViolation]
    /// Counts of the events the run emitted, and of those dropped by slow subscribers.
    public var events: EventCounts
    /// Whether the agent's code had returned when the run ended (frozen then, so identical runs report the same).
    ///
    /// It is `true` when the run ended between agent calls: completed, rejected, a step or revision refused, the
    /// agent threw. It is `false` when the run ended while agent code was still running: at the deadline, on the
    /// caller's cancellation, or on a policy refusal raised inside one of the agent's context calls. The agent's
    /// task is cancelled then; a cooperative agent unwinds at once, one that ignores cancellation is abandoned and
    /// keeps running until its code returns, and is released then. Either way nothing it does later counts.
    public var agentStopped: Bool
    /// The run's length on the orchestrator's clock.
    public var durationNanoseconds: Nanoseconds

    /// Encodes the report as JSON text with sorted keys: byte-identical for identical reports.
    ///
    /// - Parameter prettyPrinted: Whether to indent the output.
    /// - Returns: The JSON text.
    public func jsonText(prettyPrinted: Bool = false) -> String {
        JSONValue.canonicalText(of: self, prettyPrinted: prettyPrinted)
    }
}

/// One step of a run: its input, output or error, timings, tool calls and model usage.
public struct StepRecord: Hashable, Codable, Sendable {
    /// How a step ended.
    public enum Status: String, Hashable, Codable, Sendable {
        /// The step returned an output.
        case completed
        /// The step threw.
        case failed
        /// The run ended (timeout, cancellation, policy stop) while the step ran.
        case interrupted
    }

    /// The step's position in the run, from 0.
    public var index: Int
    /// The plan revision it belongs to.
    public var revision: Int
    /// The step's label, if the plan gave one.
    public var label: String?
    /// The step's input.
    public var input: JSONValue
    /// How the step ended.
    public var status: Status
    /// The step's output, if it completed.
    public var output: JSONValue?
    /// The error, if it failed.
    public var error: ErrorRecord?
    /// When the step started, since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the step ended, since the run started.
    public var endNanoseconds: Nanoseconds
    /// The tool calls the step made, in the order they started.
    public var toolCalls: [ToolCallRecord]
    /// The model usage the step reported.
    public var usage: ModelUsage
}

/// One tool call: arguments, outcome and timings.
public struct ToolCallRecord: Hashable, Codable, Sendable {
    /// How a tool call ended.
    public enum Status: String, Hashable, Codable, Sendable {
        /// The tool returned.
        case succeeded
        /// The tool threw.
        case failed
        /// The call was refused before the tool ran: unknown tool, invalid arguments or a policy limit.
        case refused
        /// The run ended while the tool ran.
        case interrupted
    }

    /// The tool's name.
    public var tool: String
    /// The arguments passed.
    public var arguments: JSONValue
    /// How the call ended.
    public var status: Status
    /// The tool's output, if it succeeded.
    public var output: JSONValue?
    /// The error, if it failed or was refused.
    public var error: ErrorRecord?
    /// When the call started (or was refused), since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the call ended, since the run started.
    public var endNanoseconds: Nanoseconds
}

/// Totals over a run.
public struct RunTotals: Hashable, Codable, Sendable {
    /// Steps started.
    public var steps: Int
    /// Steps completed.
    public var completedSteps: Int
    /// Tool bodies run.
    public var toolCalls: Int
    /// Tool calls refused before running.
    public var refusedToolCalls: Int
    /// Tool calls that threw.
    public var failedToolCalls: Int
    /// Model usage reported.
    public var usage: ModelUsage
    /// REVIEW → PLAN revisions.
    public var revisions: Int
}

/// A phase entered, and when.
public struct PhaseTransition: Hashable, Codable, Sendable {
    /// The phase entered.
    public var phase: LifecyclePhase
    /// When, since the run started.
    public var atNanoseconds: Nanoseconds

    /// Creates a transition record.
    ///
    /// - Parameters:
    ///   - phase: The phase entered.
    ///   - atNanoseconds: When, since the run started.
    public init(phase: LifecyclePhase, atNanoseconds: Nanoseconds) {
        self.phase = phase
        self.atNanoseconds = atNanoseconds
    }
}

/// How many events a run emitted, by kind, and how many subscribers dropped.
public struct EventCounts: Hashable, Codable, Sendable {
    /// Events emitted, the final `runFinished` included.
    public var emitted: Int = 0
    /// Deliveries dropped because a subscriber's buffer was full (counted per subscriber), up to the report.
    public var dropped: Int = 0
    /// `runStarted` events.
    public var runStarted: Int = 0
    /// `stateEntered` events.
    public var stateEntered: Int = 0
    /// `stepStarted` events.
    public var stepStarted: Int = 0
    /// `stepFinished` events.
    public var stepFinished: Int = 0
    /// `toolCallStarted` events.
    public var toolCallStarted: Int = 0
    /// `toolCallFinished` events.
    public var toolCallFinished: Int = 0
    /// `toolCallRefused` events.
    public var toolCallRefused: Int = 0
    /// `usageRecorded` events.
    public var usageRecorded: Int = 0
    /// `policyViolation` events.
    public var policyViolation: Int = 0
    /// `runFinished` events: always 1.
    public var runFinished: Int = 0

    mutating func count(_ kind: OrchestrationEvent.Kind) {
        emitted += 1
        switch kind {
        case .runStarted: runStarted += 1
        case .stateEntered: stateEntered += 1
        case .stepStarted: stepStarted += 1
        case .stepFinished: stepFinished += 1
        case .toolCallStarted: toolCallStarted += 1
        case .toolCallFinished: toolCallFinished += 1
        case .toolCallRefused: toolCallRefused += 1
        case .usageRecorded: usageRecorded += 1
        case .policyViolation: policyViolation += 1
        case .runFinished: runFinished += 1
        }
    }
}

extension JSONValue {
    /// Canonical JSON text of an encodable value: sorted keys, so equal values give equal bytes.
    static func canonicalText(of value: some Encodable, prettyPrinted: Bool) -> String {
        do {
            return try JSONValueEncoder().encode(value).jsonText(prettyPrinted: prettyPrinted)
        } catch {
            // The library's report types encode only strings, integers, booleans, arrays and objects.
            preconditionFailure("report encoding failed: \(error)")
        }
    }
}
