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
    /// Governed model calls made, each attempt counted (refused calls are not: they were never made).
    public var modelCalls: Int = 0
}

extension RunTotals {
    private enum CodingKeys: String, CodingKey {
        case steps, completedSteps, toolCalls, refusedToolCalls, failedToolCalls, usage, revisions, modelCalls
    }

    /// Decodes totals; `modelCalls` is optional and defaults to zero (reports written before model calls existed).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The errors of missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        steps = try container.decode(Int.self, forKey: .steps)
        completedSteps = try container.decode(Int.self, forKey: .completedSteps)
        toolCalls = try container.decode(Int.self, forKey: .toolCalls)
        refusedToolCalls = try container.decode(Int.self, forKey: .refusedToolCalls)
        failedToolCalls = try container.decode(Int.self, forKey: .failedToolCalls)
        usage = try container.decode(ModelUsage.self, forKey: .usage)
        revisions = try container.decode(Int.self, forKey: .revisions)
        modelCalls = try container.decodeIfPresent(Int.self, forKey: .modelCalls) ?? 0
    }
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
    /// `modelCallStarted` events.
    public var modelCallStarted: Int = 0
    /// `modelCallFinished` events.
    public var modelCallFinished: Int = 0
    /// `modelCallRetrying` events.
    public var modelCallRetrying: Int = 0
    /// `modelDelta` events.
    public var modelDelta: Int = 0
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
        case .modelCallStarted: modelCallStarted += 1
        case .modelCallFinished: modelCallFinished += 1
        case .modelCallRetrying: modelCallRetrying += 1
        case .modelDelta: modelDelta += 1
        case .runFinished: runFinished += 1
        case .toolProgress:
            break  // counted in `emitted` only: a tool may report progress any number of times
        case .nodeStarted, .nodeRetrying, .nodeWaitingForSlot, .nodeFinished, .graphFinished:
            // Graph-level events belong to the graph run, never to one agent run's counts.
            break
        }
    }
}

extension EventCounts {
    private enum CodingKeys: String, CodingKey {
        case emitted, dropped, runStarted, stateEntered, stepStarted, stepFinished, toolCallStarted, toolCallFinished
        case toolCallRefused, usageRecorded, policyViolation, runFinished
        case modelCallStarted, modelCallFinished, modelCallRetrying, modelDelta
    }

    /// Decodes counts; every key is optional and defaults to zero, so reports written before a kind existed read.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The errors of mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        emitted = try count(.emitted)
        dropped = try count(.dropped)
        runStarted = try count(.runStarted)
        stateEntered = try count(.stateEntered)
        stepStarted = try count(.stepStarted)
        stepFinished = try count(.stepFinished)
        toolCallStarted = try count(.toolCallStarted)
        toolCallFinished = try count(.toolCallFinished)
        toolCallRefused = try count(.toolCallRefused)
        usageRecorded = try count(.usageRecorded)
        policyViolation = try count(.policyViolation)
        runFinished = try count(.runFinished)
        modelCallStarted = try count(.modelCallStarted)
        modelCallFinished = try count(.modelCallFinished)
        modelCallRetrying = try count(.modelCallRetrying)
        modelDelta = try count(.modelDelta)
    }
}
