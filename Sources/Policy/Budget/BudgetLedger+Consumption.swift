/// What a group of runs charged to a budget, without limits or reservations: the counted kinds, tool calls per tool
/// and settled model usage. A journaled workflow records one per finished task and charges them again on resume.
package struct BudgetConsumption: Hashable, Codable, Sendable {
    /// The counts of the counted kinds a ledger shared by runs tracks (no per-run kinds), zero counts left out.
    package var counts: [BudgetKind: Int64]
    /// Tool calls per tool.
    package var callsPerTool: [String: Int64]
    /// Settled model usage.
    package var usage: ModelUsage

    /// Creates a consumption.
    package init(counts: [BudgetKind: Int64] = [:], callsPerTool: [String: Int64] = [:], usage: ModelUsage = .zero) {
        self.counts = counts
        self.callsPerTool = callsPerTool
        self.usage = usage
    }

    /// Adds `other` to this consumption.
    package mutating func add(_ other: BudgetConsumption) {
        for (kind, count) in other.counts { counts[kind, default: 0] += count }
        for (tool, calls) in other.callsPerTool { callsPerTool[tool, default: 0] += calls }
        usage += other.usage
    }
}

extension BudgetLedger {
    /// What this ledger counted, as a consumption another ledger can take (``absorb(_:)``): the counted kinds a
    /// shared ledger tracks, tool calls per tool and settled usage.
    package var consumption: BudgetConsumption {
        var counts: [BudgetKind: Int64] = [:]
        for kind in BudgetKind.allCases where !kind.isPerRun && kind != .repeatedToolCalls {
            guard case .count = kind.measure else { continue }
            let used = used(kind)
            if used != 0 { counts[kind] = used }
        }
        return BudgetConsumption(counts: counts, callsPerTool: callsPerTool, usage: usage)
    }
}

extension SharedBudget {
    /// Counts `consumption` here (it happened: no limit refuses it) and reserves it again in every ancestor, which
    /// must have room for it.
    ///
    /// - Parameter consumption: What earlier runs charged to this budget.
    /// - Throws: ``PolicyViolation`` from the first ancestor it takes past a limit; the consumption stays counted
    ///   everywhere (give it back with ``giveBackToAncestors()``).
    package func absorb(_ consumption: BudgetConsumption) throws(PolicyViolation) {
        _ = withLedger { $0.absorb(consumption) }
        var current = parent
        var refusal: PolicyViolation?
        while let budget = current {
            if let violation = budget.withLedger({ $0.absorb(consumption) }), refusal == nil { refusal = violation }
            current = budget.parent
        }
        if let refusal { throw refusal }
    }
}
