/// What is left of each budget; `nil` where no limit applies.
///
/// A model adapter can read this from the agent's context to cap its request ("N tool calls remaining"):
///
/// ```swift
/// let remaining = context.remainingBudget
/// let maxOutput = remaining[.outputTokens] ?? remaining[.tokens] ?? 4_096
/// let searches = remaining.toolCalls(for: "search_web")
/// ```
///
/// It has an entry for every limited ``BudgetKind`` its ledger tracks, so a new kind appears here with no code.
public struct RemainingBudget: Hashable, Codable, Sendable {
    private var values: [BudgetKind: Int64]
    /// Calls left for the tools that have their own limit.
    public private(set) var toolCallsPerTool: [String: Int64]

    /// Creates a record of what is left.
    ///
    /// - Parameters:
    ///   - values: What is left of each limited kind; kinds left out are unlimited.
    ///   - toolCallsPerTool: Calls left per limited tool.
    public init(_ values: [BudgetKind: Int64] = [:], toolCallsPerTool: [String: Int64] = [:]) {
        self.values = values
        self.toolCallsPerTool = toolCallsPerTool
    }

    /// What is left of `kind`, or `nil` where no limit applies. Tokens and cost count outstanding reservations as
    /// used.
    ///
    /// - Parameter kind: The kind of limit.
    public subscript(kind: BudgetKind) -> Int64? { values[kind] }

    /// The tighter of two records, kind by kind and tool by tool.
    ///
    /// - Parameter other: The other record.
    /// - Returns: The minimum of both, a missing entry meaning unlimited.
    public func tightened(by other: RemainingBudget) -> RemainingBudget {
        RemainingBudget(
            values.merging(other.values) { Swift.min($0, $1) },
            toolCallsPerTool: toolCallsPerTool.merging(other.toolCallsPerTool) { Swift.min($0, $1) }
        )
    }

    /// Calls left for `tool`: the smaller of its own limit and the total, or `nil` if neither applies.
    ///
    /// - Parameter tool: The tool's name.
    /// - Returns: The calls left.
    public func toolCalls(for tool: String) -> Int64? {
        switch (values[.toolCalls], toolCallsPerTool[tool]) {
        case (nil, nil): nil
        case (let total?, nil): total
        case (nil, let own?): own
        case (let total?, let own?): Swift.min(total, own)
        }
    }
}
