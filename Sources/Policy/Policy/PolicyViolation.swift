/// A governance limit that refused work or stopped a run: which limit, its value, what was attempted, and the tool.
///
/// A violation is terminal: the run that meets one stops at once with stop reason "policy violation", and it is
/// never retried. For counted limits (steps, tool calls, revisions, repeated calls) ``attempted`` is the count the
/// refused reservation would have reached (limit + 1); for quantities (tokens, cost) it is the total the refused
/// reservation, or the usage reported after the fact, would reach. Violations are `Codable` and appear in reports.
public struct PolicyViolation: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Which limit was met.
    ///
    /// The names match the ``StrictPolicy`` fields; each countable limit's code is the ``BudgetKind/limit`` of its
    /// ``BudgetKind``. Codes are a struct with static members rather than an enum, so new limits never break a
    /// client's `switch`.
    public struct Limit: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The limit's stable name.
        public let rawValue: String

        /// Creates a limit from its stable name.
        ///
        /// - Parameter rawValue: The limit's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// ``StrictPolicy/maxSteps``: agent steps.
        public static let maxSteps = Limit(rawValue: "maxSteps")
        /// ``StrictPolicy/maxTokens``: input plus output tokens.
        public static let maxTokens = Limit(rawValue: "maxTokens")
        /// ``StrictPolicy/maxInputTokens``.
        public static let maxInputTokens = Limit(rawValue: "maxInputTokens")
        /// ``StrictPolicy/maxOutputTokens``.
        public static let maxOutputTokens = Limit(rawValue: "maxOutputTokens")
        /// ``StrictPolicy/maxToolCalls``: tool calls of every tool together.
        public static let maxToolCalls = Limit(rawValue: "maxToolCalls")
        /// ``StrictPolicy/maxCallsPerTool``: calls of one tool.
        public static let maxCallsPerTool = Limit(rawValue: "maxCallsPerTool")
        /// ``StrictPolicy/maxRepeatedToolCalls``: identical calls (same tool, same arguments) in one run.
        public static let maxRepeatedToolCalls = Limit(rawValue: "maxRepeatedToolCalls")
        /// ``StrictPolicy/maxRefusedToolCalls``: calls refused for an unknown tool or invalid arguments
        /// (shareable between runs, like every limit that is not per run).
        public static let maxRefusedToolCalls = Limit(rawValue: "maxRefusedToolCalls")
        /// ``StrictPolicy/maxModelCalls``: governed model calls (each attempt counts).
        public static let maxModelCalls = Limit(rawValue: "maxModelCalls")
        /// ``StrictPolicy/maxHandoffs``: hand-offs of the conversation from one agent to another in a run.
        public static let maxHandoffs = Limit(rawValue: "maxHandoffs")
        /// ``StrictPolicy/maxOutputTokensPerModelCall``: the most output tokens one model call may ask for; met when
        /// it is zero, since a call is never sent with a maximum of zero.
        public static let maxOutputTokensPerModelCall = Limit(rawValue: "maxOutputTokensPerModelCall")
        /// ``StrictPolicy/allowedTools``: the tool matches no allow pattern.
        public static let toolNotAllowed = Limit(rawValue: "toolNotAllowed")
        /// ``StrictPolicy/deniedTools``: the tool matches a deny pattern.
        public static let toolDenied = Limit(rawValue: "toolDenied")
        /// ``StrictPolicy/maxCost``: cost in integer units.
        public static let maxCost = Limit(rawValue: "maxCost")
        /// ``StrictPolicy/timeout``: wall-clock time, in nanoseconds.
        public static let timeout = Limit(rawValue: "timeout")
        /// ``StrictPolicy/maxRevisions``: REVIEW sending the run back to PLAN.
        public static let maxRevisions = Limit(rawValue: "maxRevisions")

        /// The limit's stable name.
        public var description: String { rawValue }
    }

    /// Which limit was met.
    public var limit: Limit
    /// The limit's value (for ``Limit/timeout``, nanoseconds; for allow/deny refusals, 0).
    public var limitValue: Int64
    /// The value the refused work would have reached, or the actual figure reported after the fact.
    public var attempted: Int64
    /// The tool concerned, for tool limits.
    public var tool: String?
    /// What happened, in words.
    public var message: String

    /// Creates a violation.
    ///
    /// - Parameters:
    ///   - limit: Which limit was met.
    ///   - limitValue: The limit's value.
    ///   - attempted: The value the refused work would have reached.
    ///   - tool: The tool concerned, if any.
    ///   - message: What happened; a default is built from the other fields when `nil`.
    public init(limit: Limit, limitValue: Int64, attempted: Int64, tool: String? = nil, message: String? = nil) {
        self.limit = limit
        self.limitValue = limitValue
        self.attempted = attempted
        self.tool = tool
        self.message = message ?? Self.defaultMessage(limit, limitValue, attempted, tool)
    }

    /// A one-line summary.
    public var description: String { "PolicyViolation.\(limit): \(message)" }

    private static func defaultMessage(_ limit: Limit, _ value: Int64, _ attempted: Int64, _ tool: String?) -> String {
        let subject = tool.map { " (tool \"\($0)\")" } ?? ""
        switch limit {
        case .toolDenied: return "tool \"\(tool ?? "?")\" matches a pattern in deniedTools"
        case .toolNotAllowed: return "tool \"\(tool ?? "?")\" matches no pattern in allowedTools"
        case .timeout: return "the run's timeout of \(Nanoseconds(rawValue: value)) passed"
        case .maxRefusedToolCalls:
            return "\(attempted) tool calls were refused for an unknown tool or invalid arguments\(subject); "
                + "maxRefusedToolCalls is \(value)"
        default: return "\(limit) is \(value); this would reach \(attempted)\(subject)"
        }
    }
}
