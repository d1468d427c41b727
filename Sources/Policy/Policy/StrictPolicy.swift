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
///
/// The countable limits live in ``budgetLimits``, one per ``BudgetKind``; the named properties (``maxSteps``, …) and
/// initialiser labels are conveniences over it. A policy always limits every kind that has a
/// ``BudgetKind/defaultLimit``.
public struct StrictPolicy: Hashable, Sendable {
    /// The default limits: finite and deliberately modest, so a runaway agent stops on its own.
    ///
    /// The countable defaults are those of the ``BudgetKind`` table (``BudgetKind/defaultLimit``).
    public enum Defaults: Sendable {
        /// 25 agent steps.
        public static let maxSteps: Int64 = BudgetKind.steps.defaultLimit!
        /// 100,000 tokens, input and output together.
        public static let maxTokens: Int64 = BudgetKind.tokens.defaultLimit!
        /// 100 tool calls.
        public static let maxToolCalls: Int64 = BudgetKind.toolCalls.defaultLimit!
        /// 10 identical calls (same tool and arguments) per run.
        public static let maxRepeatedToolCalls: Int64 = BudgetKind.repeatedToolCalls.defaultLimit!
        /// 25 refused tool calls (unknown tool, arguments failing the schema).
        public static let maxRefusedToolCalls: Int64 = BudgetKind.refusedToolCalls.defaultLimit!
        /// 10,000,000 cost units (10 currency units, if a unit is a millionth).
        public static let maxCost: Int64 = BudgetKind.cost.defaultLimit!
        /// Five minutes of wall-clock time.
        public static let timeout: Duration = .seconds(300)
        /// Three REVIEW → PLAN revisions.
        public static let maxRevisions: Int64 = BudgetKind.revisions.defaultLimit!
        /// 50 governed model calls (each attempt counted).
        public static let maxModelCalls: Int64 = BudgetKind.modelCalls.defaultLimit!
        /// 5 hand-offs between agents.
        public static let maxHandoffs: Int64 = BudgetKind.handoffs.defaultLimit!
        /// 4,096 output tokens asked of the model in one call, so that one run cannot reserve a whole shared budget.
        public static let maxOutputTokensPerModelCall: Int64 = 4_096
        /// Tool calls beyond the budget in one model response go back to the model as readable refusals.
        public static let toolBatchOverflow: ToolBatchOverflow = .tellModel
        /// 100 state transitions in one workflow run.
        public static let maxWorkflowTransitions: Int64 = 100
    }

    /// The countable limits of this policy, for a run's own ledger: every kind with a default is limited.
    public private(set) var budgetLimits: BudgetLimits
    /// The patterns a tool must match to be called; an empty list allows every tool.
    public private(set) var allowedTools: [ToolPattern]
    /// The patterns a tool must not match; a deny match wins over an allow match.
    public private(set) var deniedTools: [ToolPattern]
    /// The wall-clock time a run may take, measured on the orchestrator's clock. For a workflow it bounds active
    /// time: the workflow's clock stands still while it waits (each wait has its own timeout) or is paused.
    public private(set) var timeout: Duration
    /// The most output tokens one governed model call may ask for; the call asks for less when the budget has less
    /// left. Not a ledger line: it caps each call, not the run.
    public private(set) var maxOutputTokensPerModelCall: Int64
    /// What happens to the tool calls of one model response beyond the tool-call budget.
    public private(set) var toolBatchOverflow: ToolBatchOverflow
    /// Patterns of the tools whose every call needs a person's approval: a journaled run pauses before such a
    /// call until it is resumed with an approval or a denial (a run without a journal refuses the call). Empty by
    /// default. Part of the policy, so an approval is bound to the policy it was given under.
    public private(set) var requiresApproval: [ToolPattern] = []
    /// The most state transitions one workflow run may take (a sub-workflow may take at most what is left when it
    /// starts, and its transitions are charged to its parent when it ends); the transition beyond it stops the workflow with
    /// a policy stop naming this limit. Bounds cycles together with each state's visit
    /// cap; single runs and graphs ignore it.
    public private(set) var maxWorkflowTransitions: Int64 = Defaults.maxWorkflowTransitions
    /// Further allow lists a tool must also match; set only by ``tightened(by:)``.
    private var additionalAllowLists: [[ToolPattern]] = []

    /// Creates a policy with the documented ``Defaults``.
    public init() {
        budgetLimits = .policyDefaults
        allowedTools = []
        deniedTools = []
        timeout = Defaults.timeout
        maxOutputTokensPerModelCall = Defaults.maxOutputTokensPerModelCall
        toolBatchOverflow = Defaults.toolBatchOverflow
    }

    /// Creates a policy from budget limits, checking every field.
    ///
    /// Kinds that `budget` leaves unlimited take their ``BudgetKind/defaultLimit``, so a policy stays finite.
    ///
    /// - Parameters:
    ///   - budget: The countable limits.
    ///   - allowedTools: Patterns (with `*` wildcards) of the tools that may be called; empty allows all.
    ///   - deniedTools: Patterns of tools that may not be called; deny wins over allow.
    ///   - timeout: The wall-clock time a run may take; must be positive.
    ///   - maxOutputTokensPerModelCall: The most output tokens one model call may ask for; not negative.
    ///   - toolBatchOverflow: What happens to a model response's tool calls beyond the tool-call budget.
    ///   - requiresApproval: Patterns of the tools whose calls need a person's approval.
    ///   - maxWorkflowTransitions: The most state transitions of one workflow run; not negative.
    /// - Throws: ``PolicyError`` naming the first invalid field.
    public init(
        budget: BudgetLimits,
        allowedTools: [String] = [],
        deniedTools: [String] = [],
        timeout: Duration = Defaults.timeout,
        maxOutputTokensPerModelCall: Int64 = Defaults.maxOutputTokensPerModelCall,
        toolBatchOverflow: ToolBatchOverflow = Defaults.toolBatchOverflow,
        requiresApproval: [String] = [],
        maxWorkflowTransitions: Int64 = Defaults.maxWorkflowTransitions
    ) throws(PolicyError) {
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
        var limits = budget
        for kind in BudgetKind.allCases where limits[kind] == nil {
            limits = try limits.setting(kind, to: kind.defaultLimit)
        }
        self.budgetLimits = limits
        self.allowedTools = allowed
        self.deniedTools = denied
        self.timeout = timeout
        try PolicyError.check(maxOutputTokensPerModelCall, "maxOutputTokensPerModelCall")
        self.maxOutputTokensPerModelCall = maxOutputTokensPerModelCall
        self.toolBatchOverflow = toolBatchOverflow
        for (index, text) in requiresApproval.enumerated() {
            self.requiresApproval.append(try ToolPattern(text, field: "requiresApproval[\(index)]"))
        }
        try PolicyError.check(maxWorkflowTransitions, "maxWorkflowTransitions")
        self.maxWorkflowTransitions = maxWorkflowTransitions
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
    ///   - maxRefusedToolCalls: The most calls refused for an unknown tool or invalid arguments.
    ///   - maxCost: The most cost, in integer units.
    ///   - timeout: The wall-clock time a run may take; must be positive.
    ///   - maxRevisions: The most REVIEW → PLAN revisions.
    ///   - maxModelCalls: The most governed model calls, each attempt counted.
    ///   - maxOutputTokensPerModelCall: The most output tokens one model call may ask for.
    ///   - toolBatchOverflow: What happens to a model response's tool calls beyond the tool-call budget.
    ///   - requiresApproval: Patterns of the tools whose calls need a person's approval.
    ///   - maxWorkflowTransitions: The most state transitions of one workflow run; not negative.
    /// - Throws: ``PolicyError`` naming the first invalid field: limits first, in the order of
    ///   ``BudgetKind/allCases``, then the timeout and the tool patterns, then the per-call output maximum.
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
        maxRevisions: Int64 = Defaults.maxRevisions,
        maxModelCalls: Int64 = Defaults.maxModelCalls,
        maxOutputTokensPerModelCall: Int64 = Defaults.maxOutputTokensPerModelCall,
        toolBatchOverflow: ToolBatchOverflow = Defaults.toolBatchOverflow,
        requiresApproval: [String] = [],
        maxWorkflowTransitions: Int64 = Defaults.maxWorkflowTransitions
    ) throws(PolicyError) {
        let budget = try BudgetLimits(
            maxSteps: maxSteps,
            maxTokens: maxTokens,
            maxInputTokens: maxInputTokens,
            maxOutputTokens: maxOutputTokens,
            maxToolCalls: maxToolCalls,
            maxCallsPerTool: maxCallsPerTool,
            maxRepeatedToolCalls: maxRepeatedToolCalls,
            maxRefusedToolCalls: maxRefusedToolCalls,
            maxCost: maxCost,
            maxRevisions: maxRevisions,
            maxModelCalls: maxModelCalls
        )
        try self.init(
            budget: budget,
            allowedTools: allowedTools,
            deniedTools: deniedTools,
            timeout: timeout,
            maxOutputTokensPerModelCall: maxOutputTokensPerModelCall,
            toolBatchOverflow: toolBatchOverflow,
            requiresApproval: requiresApproval,
            maxWorkflowTransitions: maxWorkflowTransitions
        )
    }

    /// The limit of `kind`, or `nil` where the policy sets none (only kinds without a default).
    ///
    /// - Parameter kind: The kind of limit.
    public subscript(kind: BudgetKind) -> Int64? { budgetLimits[kind] }

    private func finite(_ kind: BudgetKind) -> Int64 { budgetLimits[kind] ?? .max }

    /// The most agent steps (calls of `Agent.execute(_:context:)`) a run may make. Lifecycle phases are not steps.
    public var maxSteps: Int64 { finite(.steps) }
    /// The most tokens, input and output together.
    public var maxTokens: Int64 { finite(.tokens) }
    /// The most input tokens, if limited separately.
    public var maxInputTokens: Int64? { budgetLimits[.inputTokens] }
    /// The most output tokens, if limited separately.
    public var maxOutputTokens: Int64? { budgetLimits[.outputTokens] }
    /// The most tool calls, of every tool together.
    public var maxToolCalls: Int64 { finite(.toolCalls) }
    /// The most calls of individual tools, by exact tool name.
    public var maxCallsPerTool: [String: Int64] { budgetLimits.maxCallsPerTool }
    /// Loop detection: the most calls with the same tool and the same arguments in one run.
    ///
    /// An identical call after a call that failed with a retryable error is not a repeat (retrying is not a loop);
    /// an identical call after a success, or after a non-retryable failure, is.
    public var maxRepeatedToolCalls: Int64 { finite(.repeatedToolCalls) }
    /// The most tool calls refused for an unknown tool or invalid arguments. Such calls run nothing and are not
    /// billed, so without this bound an agent looping on them would only stop at the timeout.
    public var maxRefusedToolCalls: Int64 { finite(.refusedToolCalls) }
    /// The most cost, in integer units.
    public var maxCost: Int64 { finite(.cost) }
    /// The most times REVIEW may send the run back to PLAN.
    public var maxRevisions: Int64 { finite(.revisions) }
    /// The most governed model calls; each attempt of a retried call counts.
    public var maxModelCalls: Int64 { finite(.modelCalls) }
    /// The most hand-offs from one agent to another in a run; set it with `StrictPolicy(budget:)` or the JSON
    /// field `maxHandoffs`.
    public var maxHandoffs: Int64 { finite(.handoffs) }

    /// Checks that the policy lets `tool` be called at all: not denied, and allowed if there is an allow list.
    ///
    /// - Parameter tool: The tool's name.
    /// - Throws: ``PolicyViolation`` with limit ``PolicyViolation/Limit/toolDenied`` or
    ///   ``PolicyViolation/Limit/toolNotAllowed``.
    public func checkPermission(toCall tool: String) throws(PolicyViolation) {
        if deniedTools.contains(where: { $0.matches(tool) }) {
            throw PolicyViolation(limit: .toolDenied, limitValue: 0, attempted: 1, tool: tool)
        }
        // The run's own list, then each merged one, without building an array of them on every call.
        if !allowedTools.isEmpty, !allowedTools.contains(where: { $0.matches(tool) }) {
            throw PolicyViolation(limit: .toolNotAllowed, limitValue: 0, attempted: 1, tool: tool)
        }
        for list in additionalAllowLists where !list.isEmpty {
            if !list.contains(where: { $0.matches(tool) }) {
                throw PolicyViolation(limit: .toolNotAllowed, limitValue: 0, attempted: 1, tool: tool)
            }
        }
    }

    /// Whether a call of `tool` needs a person's approval under this policy (a tool may also declare it itself).
    ///
    /// - Parameter tool: The tool's name.
    /// - Returns: Whether a pattern of ``requiresApproval`` matches it.
    public func requiresApproval(toCall tool: String) -> Bool {
        requiresApproval.contains { $0.matches(tool) }
    }

    /// Returns a policy at least as strict as both `self` and `other`: the smaller of every limit and timeout,
    /// both deny lists, and both allow lists (a tool must then match each of them); the smaller per-call output
    /// maximum, and ``ToolBatchOverflow/stopRun`` if either stops the run on a batch overflow.
    ///
    /// Use it to let a part of a run (a graph node, say) carry its own policy that can only tighten the run's.
    ///
    /// - Parameter other: The other policy.
    /// - Returns: The tighter policy.
    public func tightened(by other: StrictPolicy) -> StrictPolicy {
        var result = self
        result.budgetLimits = budgetLimits.tightened(by: other.budgetLimits)
        result.timeout = min(timeout, other.timeout)
        result.maxOutputTokensPerModelCall = min(maxOutputTokensPerModelCall, other.maxOutputTokensPerModelCall)
        result.maxWorkflowTransitions = min(maxWorkflowTransitions, other.maxWorkflowTransitions)
        if other.toolBatchOverflow == .stopRun { result.toolBatchOverflow = .stopRun }
        result.deniedTools = deniedTools + other.deniedTools.filter { !deniedTools.contains($0) }
        result.requiresApproval =
            requiresApproval + other.requiresApproval.filter { !requiresApproval.contains($0) }
        let lists = ([allowedTools] + additionalAllowLists + [other.allowedTools] + other.additionalAllowLists)
            .filter { !$0.isEmpty }
        var unique: [[ToolPattern]] = []
        for list in lists where !unique.contains(list) { unique.append(list) }
        result.allowedTools = unique.first ?? []
        result.additionalAllowLists = Array(unique.dropFirst())
        return result
    }
}

extension StrictPolicy: Codable {
    private static let allowedToolsKey = BudgetLimits.FieldKey("allowedTools")
    private static let additionalAllowListsKey = BudgetLimits.FieldKey("additionalAllowLists")
    private static let deniedToolsKey = BudgetLimits.FieldKey("deniedTools")
    private static let timeoutKey = BudgetLimits.FieldKey("timeoutNanoseconds")
    private static let perCallOutputKey = BudgetLimits.FieldKey("maxOutputTokensPerModelCall")
    private static let batchOverflowKey = BudgetLimits.FieldKey("toolBatchOverflow")
    private static let requiresApprovalKey = BudgetLimits.FieldKey("requiresApproval")
    private static let workflowTransitionsKey = BudgetLimits.FieldKey("maxWorkflowTransitions")

    /// Decodes a policy and checks it as the initialiser does.
    ///
    /// Every key is optional: a missing key (or `null`) takes the initialiser's default. Limits use their policy
    /// field names (`maxSteps`, …, `maxCallsPerTool`); the timeout is read from integer `timeoutNanoseconds`;
    /// `maxOutputTokensPerModelCall` is an integer and `toolBatchOverflow` is `"tellModel"` or `"stopRun"`. An
    /// invalid value throws the same ``PolicyError`` as the initialiser, naming the field: `{"maxSteps": -3}` throws
    /// ``PolicyError/Code/negativeLimit`` for `maxSteps`.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: ``PolicyError`` naming an invalid field, or the decoder's error for a value of the wrong type.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: BudgetLimits.FieldKey.self)
        let budget = try BudgetLimits(from: c, fallback: .policyDefaults)
        let timeout = try c.decodeIfPresent(Int64.self, forKey: Self.timeoutKey).map(Duration.nanoseconds)
        try self.init(
            budget: budget,
            allowedTools: c.decodeIfPresent([String].self, forKey: Self.allowedToolsKey) ?? [],
            deniedTools: c.decodeIfPresent([String].self, forKey: Self.deniedToolsKey) ?? [],
            timeout: timeout ?? Defaults.timeout,
            maxOutputTokensPerModelCall: c.decodeIfPresent(Int64.self, forKey: Self.perCallOutputKey)
                ?? Defaults.maxOutputTokensPerModelCall,
            toolBatchOverflow: c.decodeIfPresent(ToolBatchOverflow.self, forKey: Self.batchOverflowKey)
                ?? Defaults.toolBatchOverflow,
            requiresApproval: c.decodeIfPresent([String].self, forKey: Self.requiresApprovalKey) ?? [],
            maxWorkflowTransitions: c.decodeIfPresent(Int64.self, forKey: Self.workflowTransitionsKey)
                ?? Defaults.maxWorkflowTransitions
        )
        additionalAllowLists = try c.decodeIfPresent([[ToolPattern]].self, forKey: Self.additionalAllowListsKey) ?? []
    }

    /// Encodes the policy with stable field names; the timeout is written as integer `timeoutNanoseconds`.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: BudgetLimits.FieldKey.self)
        try budgetLimits.encode(to: &c)
        try c.encode(allowedTools, forKey: Self.allowedToolsKey)
        if !additionalAllowLists.isEmpty { try c.encode(additionalAllowLists, forKey: Self.additionalAllowListsKey) }
        try c.encode(deniedTools, forKey: Self.deniedToolsKey)
        try c.encode(Nanoseconds(timeout).rawValue, forKey: Self.timeoutKey)
        try c.encode(maxOutputTokensPerModelCall, forKey: Self.perCallOutputKey)
        try c.encode(toolBatchOverflow, forKey: Self.batchOverflowKey)
        if !requiresApproval.isEmpty { try c.encode(requiresApproval, forKey: Self.requiresApprovalKey) }
        // Written only when not the default, so the canonical bytes (and hashes) of existing policies stay the same.
        if maxWorkflowTransitions != Defaults.maxWorkflowTransitions {
            try c.encode(maxWorkflowTransitions, forKey: Self.workflowTransitionsKey)
        }
    }
}
