public import AgentPolicy

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
        case .toolProgress:
            break  // counted in `emitted` only: a tool may report progress any number of times
        case .nodeStarted, .nodeRetrying, .nodeWaitingForSlot, .nodeFinished, .graphFinished:
            // Graph-level events belong to the graph run, never to one agent run's counts.
            break
        }
    }
}
