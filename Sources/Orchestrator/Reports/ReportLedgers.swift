import AgentPolicy

/// A report's two ledgers (``ExecutionReport/ledger`` and ``ExecutionReport/sharedLedger``), stored as lines or,
/// for a graph's node reports, as uses beside a table of budget names and limits shared by every node with the
/// same table.
///
/// A graph's nodes usually run under one policy, so their ledgers differ only in what was used: a node keeps its
/// uses (8 bytes a line) and one reference to the shared table instead of two arrays of 40-byte lines (about 380
/// bytes a node at 100,000 nodes, W9 of the benchmark). Either form reads back the same lines, compares, hashes and
/// encodes the same: the storage is not part of what a reader sees.
struct ReportLedgers: Hashable, Sendable {
    private enum Storage: Sendable {
        case lines([BudgetLine], shared: [BudgetLine]?)
        case table(LedgerTable, used: [Int64])
    }

    private var storage: Storage

    /// Ledgers stored as the lines given.
    init(ledger: [BudgetLine], sharedLedger: [BudgetLine]?) {
        storage = .lines(ledger, shared: sharedLedger)
    }

    /// The run's own lines.
    var ledger: [BudgetLine] {
        get {
            switch storage {
            case .lines(let ledger, _): ledger
            case .table(let table, let used): table.lines(table.ledger, used: used)
            }
        }
        set { storage = .lines(newValue, shared: sharedLedger) }
    }

    /// The shared budget's lines, if the run drew on one.
    var sharedLedger: [BudgetLine]? {
        get {
            switch storage {
            case .lines(_, let shared): shared
            case .table(let table, let used): table.shared.map { table.lines($0, used: used) }
            }
        }
        set { storage = .lines(ledger, shared: newValue) }
    }

    /// Whether the ledgers are stored as uses beside a shared table.
    var isTabled: Bool {
        if case .table = storage { return true }
        return false
    }

    /// Stores the ledgers as uses beside `table` when its names and limits are the ledgers', and says whether it
    /// did.
    mutating func share(_ table: LedgerTable) -> Bool {
        guard case .lines(let ledger, let shared) = storage, table.describes(ledger, shared) else { return false }
        var used: [Int64] = []
        used.reserveCapacity(ledger.count + (shared?.count ?? 0))
        for line in ledger { used.append(line.used) }
        for line in shared ?? [] { used.append(line.used) }
        storage = .table(table, used: used)
        return true
    }

    /// The ledgers' table of names and limits, for other reports to share.
    var table: LedgerTable {
        switch storage {
        case .lines(let ledger, let shared): LedgerTable(ledger, shared)
        case .table(let table, _): table
        }
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        if case .table(let left, let leftUsed) = lhs.storage, case .table(let right, let rightUsed) = rhs.storage,
            left === right
        {
            return leftUsed == rightUsed
        }
        return lhs.ledger == rhs.ledger && lhs.sharedLedger == rhs.sharedLedger
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(ledger)
        hasher.combine(sharedLedger)
    }
}

/// The names and limits of a report's ledger lines, then of its shared ledger's: what node reports of one graph
/// have in common. Immutable, shared by reference.
final class LedgerTable: Sendable {
    /// The range of the run's own lines in `budgets`, `limits` and a report's uses.
    let ledger: Range<Int>
    /// The range of the shared budget's lines, or `nil` when the runs drew on none.
    let shared: Range<Int>?
    /// Each line's name.
    let budgets: [String]
    /// Each line's limit.
    let limits: [Int64?]

    init(_ ledger: [BudgetLine], _ shared: [BudgetLine]?) {
        let lines = ledger + (shared ?? [])
        self.ledger = 0..<ledger.count
        self.shared = shared.map { ledger.count..<(ledger.count + $0.count) }
        budgets = lines.map(\.budget)
        limits = lines.map(\.limit)
    }

    /// Whether `ledger` and `shared` have exactly this table's names and limits, in order.
    func describes(_ ledger: [BudgetLine], _ shared: [BudgetLine]?) -> Bool {
        guard ledger.count == self.ledger.count, shared?.count == self.shared?.count else { return false }
        return matches(ledger, from: 0) && matches(shared ?? [], from: ledger.count)
    }

    private func matches(_ lines: [BudgetLine], from start: Int) -> Bool {
        for (offset, line) in lines.enumerated() {
            guard line.budget == budgets[start + offset], line.limit == limits[start + offset] else { return false }
        }
        return true
    }

    /// The lines in `range`, with their uses from `used`.
    func lines(_ range: Range<Int>, used: [Int64]) -> [BudgetLine] {
        range.map { BudgetLine(budget: budgets[$0], limit: limits[$0], used: used[$0]) }
    }
}

/// The ledger tables a graph's node reports share: a node report's ledgers are stored against a table already
/// seen when one matches, or against a new one while fewer than ``capacity`` are known (a graph's nodes run under
/// few distinct policies); past that they stay as lines.
struct LedgerTables: Sendable {
    /// How many distinct tables are kept.
    static let capacity = 8

    private var tables: [LedgerTable] = []

    /// Stores `ledgers` against a shared table if one fits, adding one if there is room.
    mutating func share(_ ledgers: inout ReportLedgers) {
        guard !ledgers.isTabled else { return }
        for table in tables {
            if ledgers.share(table) { return }
        }
        guard tables.count < Self.capacity else { return }
        let table = ledgers.table
        tables.append(table)
        _ = ledgers.share(table)
    }
}
