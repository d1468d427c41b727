/// The countable limits a ``BudgetLedger`` enforces; `nil` means "not limited by this ledger".
///
/// A run's own ledger gets every limit from its ``StrictPolicy`` (all finite). A ``SharedBudget`` spread across
/// several runs names only the limits it shares; each run's own policy still applies inside it.
///
/// ```swift
/// let shared = SharedBudget(try BudgetLimits(maxToolCalls: 50))
/// ```
public struct BudgetLimits: Hashable, Codable, Sendable {
    /// Agent steps.
    public private(set) var maxSteps: Int64?
    /// Input plus output tokens.
    public private(set) var maxTokens: Int64?
    /// Input tokens.
    public private(set) var maxInputTokens: Int64?
    /// Output tokens.
    public private(set) var maxOutputTokens: Int64?
    /// Tool calls of every tool together.
    public private(set) var maxToolCalls: Int64?
    /// Calls per tool, by exact tool name.
    public private(set) var maxCallsPerTool: [String: Int64]
    /// Identical calls (same tool, same arguments); only checked where the caller passes an arguments key.
    public private(set) var maxRepeatedToolCalls: Int64?
    /// Cost in integer units.
    public private(set) var maxCost: Int64?
    /// REVIEW → PLAN revisions.
    public private(set) var maxRevisions: Int64?

    /// Creates limits, checking each one.
    ///
    /// - Parameters:
    ///   - maxSteps: Agent steps.
    ///   - maxTokens: Input plus output tokens.
    ///   - maxInputTokens: Input tokens.
    ///   - maxOutputTokens: Output tokens.
    ///   - maxToolCalls: Tool calls of every tool together.
    ///   - maxCallsPerTool: Calls per tool, by exact tool name.
    ///   - maxRepeatedToolCalls: Identical tool calls.
    ///   - maxCost: Cost in integer units.
    ///   - maxRevisions: REVIEW → PLAN revisions.
    /// - Throws: ``PolicyError`` naming the first negative limit or invalid tool name.
    public init(
        maxSteps: Int64? = nil,
        maxTokens: Int64? = nil,
        maxInputTokens: Int64? = nil,
        maxOutputTokens: Int64? = nil,
        maxToolCalls: Int64? = nil,
        maxCallsPerTool: [String: Int64] = [:],
        maxRepeatedToolCalls: Int64? = nil,
        maxCost: Int64? = nil,
        maxRevisions: Int64? = nil
    ) throws(PolicyError) {
        try PolicyError.check(maxSteps, "maxSteps")
        try PolicyError.check(maxTokens, "maxTokens")
        try PolicyError.check(maxInputTokens, "maxInputTokens")
        try PolicyError.check(maxOutputTokens, "maxOutputTokens")
        try PolicyError.check(maxToolCalls, "maxToolCalls")
        for (tool, limit) in maxCallsPerTool.sorted(by: { $0.key < $1.key }) {
            try ToolPattern.validateToolName(tool, field: "maxCallsPerTool")
            try PolicyError.check(limit, "maxCallsPerTool[\"\(tool)\"]")
        }
        try PolicyError.check(maxRepeatedToolCalls, "maxRepeatedToolCalls")
        try PolicyError.check(maxCost, "maxCost")
        try PolicyError.check(maxRevisions, "maxRevisions")
        self.maxSteps = maxSteps
        self.maxTokens = maxTokens
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.maxToolCalls = maxToolCalls
        self.maxCallsPerTool = maxCallsPerTool
        self.maxRepeatedToolCalls = maxRepeatedToolCalls
        self.maxCost = maxCost
        self.maxRevisions = maxRevisions
    }

    /// No limits at all: a ledger that only counts.
    public static let unlimited = BudgetLimits(unchecked: ())

    private init(unchecked: Void) { maxCallsPerTool = [:] }

    /// Decodes limits and checks them as the initialiser does.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: ``PolicyError`` for an invalid limit, or the decoder's error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            maxSteps: c.decodeIfPresent(Int64.self, forKey: .maxSteps),
            maxTokens: c.decodeIfPresent(Int64.self, forKey: .maxTokens),
            maxInputTokens: c.decodeIfPresent(Int64.self, forKey: .maxInputTokens),
            maxOutputTokens: c.decodeIfPresent(Int64.self, forKey: .maxOutputTokens),
            maxToolCalls: c.decodeIfPresent(Int64.self, forKey: .maxToolCalls),
            maxCallsPerTool: c.decodeIfPresent([String: Int64].self, forKey: .maxCallsPerTool) ?? [:],
            maxRepeatedToolCalls: c.decodeIfPresent(Int64.self, forKey: .maxRepeatedToolCalls),
            maxCost: c.decodeIfPresent(Int64.self, forKey: .maxCost),
            maxRevisions: c.decodeIfPresent(Int64.self, forKey: .maxRevisions)
        )
    }

    /// Returns limits that are the tighter of `self` and `other`, field by field.
    ///
    /// - Parameter other: The other limits.
    /// - Returns: The field-by-field minimum, where `nil` means unlimited.
    public func tightened(by other: BudgetLimits) -> BudgetLimits {
        func min(_ a: Int64?, _ b: Int64?) -> Int64? {
            switch (a, b) {
            case (nil, nil): nil
            case (let a?, nil): a
            case (nil, let b?): b
            case (let a?, let b?): Swift.min(a, b)
            }
        }
        var result = self
        result.maxSteps = min(maxSteps, other.maxSteps)
        result.maxTokens = min(maxTokens, other.maxTokens)
        result.maxInputTokens = min(maxInputTokens, other.maxInputTokens)
        result.maxOutputTokens = min(maxOutputTokens, other.maxOutputTokens)
        result.maxToolCalls = min(maxToolCalls, other.maxToolCalls)
        result.maxCallsPerTool = maxCallsPerTool.merging(other.maxCallsPerTool) { Swift.min($0, $1) }
        result.maxRepeatedToolCalls = min(maxRepeatedToolCalls, other.maxRepeatedToolCalls)
        result.maxCost = min(maxCost, other.maxCost)
        result.maxRevisions = min(maxRevisions, other.maxRevisions)
        return result
    }
}
