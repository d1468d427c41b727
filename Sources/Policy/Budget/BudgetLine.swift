/// One line of a ledger table: a budget's limit beside what was used.
public struct BudgetLine: Hashable, Codable, Sendable {
    /// The budget's name: a ``BudgetKind/name`` (`steps`, `tokens`, `inputTokens`, `outputTokens`, `toolCalls`,
    /// `repeatedToolCalls`, `cost`, `revisions`, `refusedToolCalls`), `toolCalls[<tool>]` for a tool's own calls, or
    /// `timeNanoseconds` in reports.
    public var budget: String
    /// The limit, or `nil` if none applies.
    public var limit: Int64?
    /// What was used.
    public var used: Int64

    /// Creates a line.
    ///
    /// - Parameters:
    ///   - budget: The budget's name.
    ///   - limit: The limit, or `nil` if none applies.
    ///   - used: What was used.
    public init(budget: String, limit: Int64?, used: Int64) {
        self.budget = budget
        self.limit = limit
        self.used = used
    }
}
