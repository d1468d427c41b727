/// The governance a run obeys: finite budgets for steps, tokens, tool calls, cost, time and revisions, tool allow
/// and deny lists, and loop detection.
///
/// A policy is an immutable value, checked when it is created: a negative limit, a zero or negative timeout, or a
/// malformed tool pattern throws a ``PolicyError`` naming the field. Agents never see the policy's mutable
/// counterpart: the orchestrator debits a ``BudgetLedger`` on their behalf, reserving before any work starts.
///
/// Every limit follows one rule: **a limit of N allows exactly N**; the (N+1)th step, tool call or revision is
/// refused before it runs, and a token or cost reservation that would take the total above N is refused. A limit
/// of zero allows nothing.
///
/// ```swift
/// let policy = try StrictPolicy(
///     maxSteps: 10,
///     maxToolCalls: 20,
///     maxCallsPerTool: ["search_web": 5],
///     allowedTools: ["search_*", "calculator"],
///     deniedTools: ["search_internal"],
///     timeout: .seconds(30)
/// )
/// ```
///
/// `StrictPolicy()` gives the documented, finite ``Defaults``.
public struct StrictPolicy: Hashable, Codable, Sendable {
    /// The default limits: finite and deliberately modest, so a runaway agent stops on its own.
    public enum Defaults: Sendable {
        /// 25 agent steps.
        public static let maxSteps: Int64 = 25
        /// 100,000 tokens, input and output together.
        public static let maxTokens: Int64 = 100_000
        /// 100 tool calls.
        public static let maxToolCalls: Int64 = 100
        /// 10 identical calls (same tool and arguments) per run.
        public static let maxRepeatedToolCalls: Int64 = 10
        /// 25 refused tool calls (unknown tool, arguments failing the schema) per run.
        public static let maxRefusedToolCalls: Int64 = 25
        /// 10,000,000 cost units (10 currency units, if a unit is a millionth).
        public static let maxCost: Int64 = 10_000_000
        /// Five minutes of wall-clock time.
        public static let timeout: Duration = .seconds(300)
        /// Three REVIEW → PLAN revisions.
        public static let maxRevisions: Int64 = 3
    }

    /// The most agent steps (calls of `Agent.execute(_:context:)`) a run may make. Lifecycle phases are not steps.
    public private(set) var maxSteps: Int64
    /// The most tokens, input and output together.
    public private(set) var maxTokens: Int64
    /// The most input tokens, if limited separately.
    public private(set) var maxInputTokens: Int64?
    /// The most output tokens, if limited separately.
    public private(set) var maxOutputTokens: Int64?
    /// The most tool calls, of every tool together.
    public private(set) var maxToolCalls: Int64
    /// The most calls of individual tools, by exact tool name.
    public private(set) var maxCallsPerTool: [String: Int64]
    /// The patterns a tool must match to be called; an empty list allows every tool.
    public private(set) var allowedTools: [ToolPattern]
    /// The patterns a tool must not match; a deny match wins over an allow match.
    public private(set) var deniedTools: [ToolPattern]
    /// Loop detection: the most calls with the same tool and the same arguments in one run.
    public private(set) var maxRepeatedToolCalls: Int64
    /// The most tool calls refused for an unknown tool or invalid arguments in one run. Such calls run nothing and
    /// are not billed, so without this bound an agent looping on them would only stop at the timeout.
    public private(set) var maxRefusedToolCalls: Int64
    /// The most cost, in integer units.
    public private(set) var maxCost: Int64
    /// The wall-clock time a run may take, measured on the orchestrator's clock.
    public private(set) var timeout: Duration
    /// The most times REVIEW may send the run back to PLAN.
    public private(set) var maxRevisions: Int64
    /// Further allow lists a tool must also match; set only by ``tightened(by:)``.
    private var additionalAllowLists: [[ToolPattern]] = []

    /// Creates a policy with the documented ``Defaults``.
    public init() {
        maxSteps = Defaults.maxSteps
        maxTokens = Defaults.maxTokens
        maxInputTokens = nil
        maxOutputTokens = nil
        maxToolCalls = Defaults.maxToolCalls
        maxCallsPerTool = [:]
        allowedTools = []
        deniedTools = []
        maxRepeatedToolCalls = Defaults.maxRepeatedToolCalls
        maxRefusedToolCalls = Defaults.maxRefusedToolCalls
        maxCost = Defaults.maxCost
        timeout = Defaults.timeout
        maxRevisions = Defaults.maxRevisions
    }

    /// Creates a policy, checking every field.
    ///
    /// - Parameters:
    ///   - maxSteps: The most agent steps.
    ///   - maxTokens: The most tokens, input and output together.
    ///   - maxInputTokens: The most input tokens, or `nil` for no separate limit.
    ///   - maxOutputTokens: The most output tokens, or `nil` for no separate limit.
    ///   - maxToolCalls: The most tool calls in all.
    ///   - maxCallsPerTool: The most calls per tool, by exact tool name.
    ///   - allowedTools: Patterns (with `*` wildcards) of the tools that may be called; empty allows all.
    ///   - deniedTools: Patterns of tools that may not be called; deny wins over allow.
    ///   - maxRepeatedToolCalls: The most identical calls (same tool, same arguments) in one run.
    ///   - maxRefusedToolCalls: The most calls refused for an unknown tool or invalid arguments in one run.
    ///   - maxCost: The most cost, in integer units.
    ///   - timeout: The wall-clock time a run may take; must be positive.
    ///   - maxRevisions: The most REVIEW → PLAN revisions.
    /// - Throws: ``PolicyError`` naming the first invalid field.
    public init(
        maxSteps: Int64 = Defaults.maxSteps,
        maxTokens: Int64 = Defaults.maxTokens,
        maxInputTokens: Int64? = nil,
        maxOutputTokens: Int64? = nil,
        maxToolCalls: Int64 = Defaults.maxToolCalls,
        maxCallsPerTool: [String: Int64] = [:],
        allowedTools: [String] = [],
        deniedTools: [String] = [],
        maxRepeatedToolCalls: Int64 = Defaults.maxRepeatedToolCalls,
        maxRefusedToolCalls: Int64 = Defaults.maxRefusedToolCalls,
        maxCost: Int64 = Defaults.maxCost,
        timeout: Duration = Defaults.timeout,
        maxRevisions: Int64 = Defaults.maxRevisions
    ) throws(PolicyError) {
        // Reuse the budget checks so both types name fields the same way.
        _ = try BudgetLimits(
            maxSteps: maxSteps,
            maxTokens: maxTokens,
            maxInputTokens: maxInputTokens,
            maxOutputTokens: maxOutputTokens,
            maxToolCalls: maxToolCalls,
            maxCallsPerTool: maxCallsPerTool,
            maxRepeatedToolCalls: maxRepeatedToolCalls,
            maxCost: maxCost,
            maxRevisions: maxRevisions
        )
        try PolicyError.check(maxRefusedToolCalls, "maxRefusedToolCalls")
        guard timeout > .zero else {
            throw PolicyError(
                code: .nonPositiveTimeout,
                field: "timeout",
                value: "\(timeout)",
                message: "timeout is \(timeout); it must be greater than zero"
            )
        }
        var allowed: [ToolPattern] = []
        for (index, text) in allowedTools.enumerated() {
            allowed.append(try ToolPattern(text, field: "allowedTools[\(index)]"))
        }
        var denied: [ToolPattern] = []
        for (index, text) in deniedTools.enumerated() {
            denied.append(try ToolPattern(text, field: "deniedTools[\(index)]"))
        }
        self.maxSteps = maxSteps
        self.maxTokens = maxTokens
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.maxToolCalls = maxToolCalls
        self.maxCallsPerTool = maxCallsPerTool
        self.allowedTools = allowed
        self.deniedTools = denied
        self.maxRepeatedToolCalls = maxRepeatedToolCalls
        self.maxRefusedToolCalls = maxRefusedToolCalls
        self.maxCost = maxCost
        self.timeout = timeout
        self.maxRevisions = maxRevisions
    }

    /// The countable limits of this policy, for a run's own ``BudgetLedger``.
    public var budgetLimits: BudgetLimits {
        // The policy's fields were checked when it was created, so this cannot fail.
        // swift-format-ignore: NeverUseForceTry
        try! BudgetLimits(
            maxSteps: maxSteps,
            maxTokens: maxTokens,
            maxInputTokens: maxInputTokens,
            maxOutputTokens: maxOutputTokens,
            maxToolCalls: maxToolCalls,
            maxCallsPerTool: maxCallsPerTool,
            maxRepeatedToolCalls: maxRepeatedToolCalls,
            maxCost: maxCost,
            maxRevisions: maxRevisions
        )
    }

    /// Checks that the policy lets `tool` be called at all: not denied, and allowed if there is an allow list.
    ///
    /// - Parameter tool: The tool's name.
    /// - Throws: ``PolicyViolation`` with limit ``PolicyViolation/Limit/toolDenied`` or
    ///   ``PolicyViolation/Limit/toolNotAllowed``.
    public func checkPermission(toCall tool: String) throws(PolicyViolation) {
        if deniedTools.contains(where: { $0.matches(tool) }) {
            throw PolicyViolation(limit: .toolDenied, limitValue: 0, attempted: 1, tool: tool)
        }
        for list in [allowedTools] + additionalAllowLists where !list.isEmpty {
            if !list.contains(where: { $0.matches(tool) }) {
                throw PolicyViolation(limit: .toolNotAllowed, limitValue: 0, attempted: 1, tool: tool)
            }
        }
    }

    /// Returns a policy at least as strict as both `self` and `other`: the smaller of every limit and timeout,
    /// both deny lists, and both allow lists (a tool must then match each of them).
    ///
    /// Use it to let a part of a run (a graph node, say) carry its own policy that can only tighten the run's.
    ///
    /// - Parameter other: The other policy.
    /// - Returns: The tighter policy.
    public func tightened(by other: StrictPolicy) -> StrictPolicy {
        let limits = budgetLimits.tightened(by: other.budgetLimits)
        var result = self
        result.maxSteps = limits.maxSteps ?? maxSteps
        result.maxTokens = limits.maxTokens ?? maxTokens
        result.maxInputTokens = limits.maxInputTokens
        result.maxOutputTokens = limits.maxOutputTokens
        result.maxToolCalls = limits.maxToolCalls ?? maxToolCalls
        result.maxCallsPerTool = limits.maxCallsPerTool
        result.maxRepeatedToolCalls = limits.maxRepeatedToolCalls ?? maxRepeatedToolCalls
        result.maxRefusedToolCalls = min(maxRefusedToolCalls, other.maxRefusedToolCalls)
        result.maxCost = limits.maxCost ?? maxCost
        result.maxRevisions = limits.maxRevisions ?? maxRevisions
        result.timeout = min(timeout, other.timeout)
        result.deniedTools = deniedTools + other.deniedTools.filter { !deniedTools.contains($0) }
        let lists = ([allowedTools] + additionalAllowLists + [other.allowedTools] + other.additionalAllowLists)
            .filter { !$0.isEmpty }
        var unique: [[ToolPattern]] = []
        for list in lists where !unique.contains(list) { unique.append(list) }
        result.allowedTools = unique.first ?? []
        result.additionalAllowLists = Array(unique.dropFirst())
        return result
    }

    private enum CodingKeys: String, CodingKey {
        case maxSteps, maxTokens, maxInputTokens, maxOutputTokens, maxToolCalls, maxCallsPerTool
        case allowedTools, additionalAllowLists, deniedTools, maxRepeatedToolCalls, maxRefusedToolCalls, maxCost
        case maxRevisions
        case timeoutNanoseconds
    }

    /// Decodes a policy and checks it as the initialiser does; the timeout is read from `timeoutNanoseconds`.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: ``PolicyError`` naming an invalid field, or the decoder's error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            maxSteps: c.decode(Int64.self, forKey: .maxSteps),
            maxTokens: c.decode(Int64.self, forKey: .maxTokens),
            maxInputTokens: c.decodeIfPresent(Int64.self, forKey: .maxInputTokens),
            maxOutputTokens: c.decodeIfPresent(Int64.self, forKey: .maxOutputTokens),
            maxToolCalls: c.decode(Int64.self, forKey: .maxToolCalls),
            maxCallsPerTool: c.decodeIfPresent([String: Int64].self, forKey: .maxCallsPerTool) ?? [:],
            allowedTools: c.decodeIfPresent([String].self, forKey: .allowedTools) ?? [],
            deniedTools: c.decodeIfPresent([String].self, forKey: .deniedTools) ?? [],
            maxRepeatedToolCalls: c.decode(Int64.self, forKey: .maxRepeatedToolCalls),
            maxRefusedToolCalls: c.decodeIfPresent(Int64.self, forKey: .maxRefusedToolCalls)
                ?? Defaults.maxRefusedToolCalls,
            maxCost: c.decode(Int64.self, forKey: .maxCost),
            timeout: .nanoseconds(c.decode(Int64.self, forKey: .timeoutNanoseconds)),
            maxRevisions: c.decode(Int64.self, forKey: .maxRevisions)
        )
        additionalAllowLists = try c.decodeIfPresent([[ToolPattern]].self, forKey: .additionalAllowLists) ?? []
    }

    /// Encodes the policy with stable field names; the timeout is written as integer `timeoutNanoseconds`.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(maxSteps, forKey: .maxSteps)
        try c.encode(maxTokens, forKey: .maxTokens)
        try c.encodeIfPresent(maxInputTokens, forKey: .maxInputTokens)
        try c.encodeIfPresent(maxOutputTokens, forKey: .maxOutputTokens)
        try c.encode(maxToolCalls, forKey: .maxToolCalls)
        try c.encode(maxCallsPerTool, forKey: .maxCallsPerTool)
        try c.encode(allowedTools, forKey: .allowedTools)
        if !additionalAllowLists.isEmpty { try c.encode(additionalAllowLists, forKey: .additionalAllowLists) }
        try c.encode(deniedTools, forKey: .deniedTools)
        try c.encode(maxRepeatedToolCalls, forKey: .maxRepeatedToolCalls)
        try c.encode(maxRefusedToolCalls, forKey: .maxRefusedToolCalls)
        try c.encode(maxCost, forKey: .maxCost)
        try c.encode(Nanoseconds(timeout).rawValue, forKey: .timeoutNanoseconds)
        try c.encode(maxRevisions, forKey: .maxRevisions)
    }
}
