public import AgentAdapters
public import AgentPolicy

/// One governed model call (one attempt): what was reserved before it, what it used, how it ended and when.
///
/// Every call made through `AgentContext.respond(using:to:retry:tokenCounter:)` has a record, in the step that
/// made it (``StepRecord/modelCalls``) or, outside steps, in ``ExecutionReport/modelCallsOutsideSteps``. A retried
/// call has one record per attempt, numbered from 1.
///
/// ``reservedUsage`` is what the call held against the budget while it ran: the input estimate, the most output
/// tokens it was allowed (``maximumOutputTokens``) and the cost of both. ``usage`` is what it was billed: the
/// provider's reported tokens priced with the model's `ModelDescriptor.pricing`, or, when the provider reported
/// none, the reservation itself (``usageEstimated`` is then `true`). A failed, cancelled or refused call is billed
/// nothing; its reservation was given back.
public struct ModelCallRecord: Hashable, Codable, Sendable {
    /// The model's name (`ModelDescriptor.name`).
    public var model: String
    /// The attempt number, from 1; retries of one call count up.
    public var attempt: Int
    /// How the call ended.
    public var status: ModelCallStatus
    /// The most output tokens the call asked for (`ModelOptions.maximumOutputTokens` as sent); `nil` when it was
    /// refused before a maximum was computed.
    public var maximumOutputTokens: Int64?
    /// What the call reserved before it was made: input estimate, maximum output and their cost.
    public var reservedUsage: ModelUsage
    /// What the call was billed: reported tokens priced from the descriptor, or the reservation when
    /// ``usageEstimated``; zero when it did not succeed.
    public var usage: ModelUsage
    /// Whether ``usage`` is the reservation because the provider reported no usage.
    public var usageEstimated: Bool
    /// Why the model stopped, when it answered.
    public var finishReason: FinishReason?
    /// The names of the tools the response asked to call, in order.
    public var requestedTools: [String]
    /// The error, when the call failed, was refused or was cancelled.
    public var error: ErrorRecord?
    /// When the call started (or was refused), since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the call ended, since the run started.
    public var endNanoseconds: Nanoseconds

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - model: The model's name.
    ///   - attempt: The attempt number, from 1.
    ///   - status: How the call ended.
    ///   - maximumOutputTokens: The most output tokens asked for.
    ///   - reservedUsage: What was reserved.
    ///   - usage: What was billed.
    ///   - usageEstimated: Whether the billed usage is the reservation.
    ///   - finishReason: Why the model stopped.
    ///   - requestedTools: The tools the response asked to call.
    ///   - error: The error, if any.
    ///   - startNanoseconds: When the call started.
    ///   - endNanoseconds: When it ended.
    public init(
        model: String,
        attempt: Int,
        status: ModelCallStatus,
        maximumOutputTokens: Int64?,
        reservedUsage: ModelUsage,
        usage: ModelUsage,
        usageEstimated: Bool,
        finishReason: FinishReason?,
        requestedTools: [String],
        error: ErrorRecord?,
        startNanoseconds: Nanoseconds,
        endNanoseconds: Nanoseconds
    ) {
        self.model = model
        self.attempt = attempt
        self.status = status
        self.maximumOutputTokens = maximumOutputTokens
        self.reservedUsage = reservedUsage
        self.usage = usage
        self.usageEstimated = usageEstimated
        self.finishReason = finishReason
        self.requestedTools = requestedTools
        self.error = error
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
    }
}

/// How a governed model call ended; encoded as its case name.
public enum ModelCallStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The model answered.
    case succeeded
    /// The model threw (a `ModelError`, retryable or not).
    case failed
    /// The call was refused before it was made: the context window, or no output token affordable.
    case refused
    /// The run ended, or the calling task was cancelled, while the model was answering.
    case cancelled

    /// The case name.
    public var description: String { rawValue }
}
