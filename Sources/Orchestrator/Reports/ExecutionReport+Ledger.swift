public import AgentPolicy

extension BudgetKind {
    /// The default limit of the kind whose ledger line is named `budget`; `nil` for a per-tool line
    /// (`toolCalls[<tool>]`), `timeNanoseconds` or an unknown name.
    static func defaultLimit(ofLine budget: String) -> Int64? {
        for kind in allCases where kind.name == budget { return kind.defaultLimit }
        return nil
    }
}

extension ExecutionReport {
    /// The line of `budget` in ``ledger``, including a line a graph node's report leaves out.
    ///
    /// A graph node's report lists only the lines that say more than the budget table (see ``ledger``): a kind
    /// with nothing used and its `BudgetKind.defaultLimit` is left out. This returns the listed line, or for a
    /// kind left out, the line it stands for: its default limit, nothing used. A run outside a graph lists every
    /// line, so this is then the listed line.
    ///
    /// ```swift
    /// report.ledgerLine("revisions")  // BudgetLine(budget: "revisions", limit: 3, used: 0)
    /// ```
    ///
    /// - Parameter budget: The line's name: a `BudgetKind.name`, `toolCalls[<tool>]` or `timeNanoseconds`.
    /// - Returns: The line, or `nil` for a per-tool line or name the report does not have.
    public func ledgerLine(_ budget: String) -> BudgetLine? {
        Self.line(budget, in: ledger, listsPerRun: true)
    }

    /// The line of `budget` in ``sharedLedger``, including a line a graph node's report leaves out, as
    /// ``ledgerLine(_:)`` reads ``ledger``; a shared budget never lists a per-run kind (`BudgetKind.isPerRun`).
    ///
    /// - Parameter budget: The line's name: a `BudgetKind.name` or `toolCalls[<tool>]`.
    /// - Returns: The line, or `nil` when the run drew on no shared budget, for a per-run kind, or for a per-tool
    ///   line or name the report does not have.
    public func sharedLedgerLine(_ budget: String) -> BudgetLine? {
        sharedLedger.flatMap { Self.line(budget, in: $0, listsPerRun: false) }
    }

    private static func line(_ budget: String, in lines: [BudgetLine], listsPerRun: Bool) -> BudgetLine? {
        if let line = lines.first(where: { $0.budget == budget }) { return line }
        guard let kind = BudgetKind.allCases.first(where: { $0.name == budget }), listsPerRun || !kind.isPerRun
        else { return nil }
        return BudgetLine(budget: budget, limit: kind.defaultLimit, used: 0)
    }
}
