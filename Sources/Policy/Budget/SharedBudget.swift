/// A ``BudgetLedger`` behind a lock, so concurrent runs can draw on one budget without overshoot.
///
/// Every reservation checks and debits in one critical section: 100 runs racing for a budget of 50 tool calls get
/// exactly 50, never more. A budget may have a parent: a reservation must then succeed in both, and a refusal in the
/// parent gives the child's debit back, so the child's counts only ever hold granted work. The orchestrator gives
/// each run its own budget (its policy's limits) whose parent is the shared budget you pass in, if any, and debits
/// them on the run's behalf; you create shared budgets, pass them to runs and read them.
///
/// A budget you create is shared between runs: per-run kinds (``BudgetKind/isPerRun``, loop detection) are neither
/// checked nor listed in it, and a parent budget is never asked to check them.
///
/// `SharedBudget` is `Sendable`; its methods never suspend.
public final class SharedBudget: Sendable {
    private struct State {
        var ledger: BudgetLedger
        /// The parent's reservation behind each of this budget's reservations, by this budget's reservation id.
        var parentReservations: [UInt64: UsageReservation] = [:]
    }

    private let state: LockedState<State>
    /// The budget that must also grant every reservation, if any.
    package let parent: SharedBudget?

    /// Creates a budget shared between runs, enforcing `limits`.
    ///
    /// - Parameters:
    ///   - limits: The limits to enforce; unlimited kinds only count, and per-run kinds are ignored.
    ///   - parent: A budget that must also grant every reservation.
    public convenience init(_ limits: BudgetLimits, parent: SharedBudget? = nil) {
        self.init(limits, parent: parent, coversOneRun: false)
    }

    /// Creates a budget for one run (it checks the per-run kinds), or one shared between runs.
    ///
    /// - Parameters:
    ///   - limits: The limits to enforce.
    ///   - parent: A budget that must also grant every reservation.
    ///   - coversOneRun: Whether the budget covers a single run.
    package init(_ limits: BudgetLimits, parent: SharedBudget?, coversOneRun: Bool) {
        state = LockedState(State(ledger: BudgetLedger(limits: limits, coversOneRun: coversOneRun)))
        self.parent = parent
    }

    /// A copy of the ledger as it is now.
    public var ledger: BudgetLedger { state.withLock { $0.ledger } }

    /// What is left, tightened by every ancestor's remaining budget.
    public var remaining: RemainingBudget {
        let own = state.withLock { $0.ledger.remaining }
        guard let parent else { return own }
        return own.tightened(by: parent.remaining)
    }

    /// What is left of one kind, tightened by every ancestor: one entry of ``remaining``, without building the
    /// table (the governed model call reads four kinds per call).
    ///
    /// - Parameter kind: The kind of limit.
    /// - Returns: What is left, or `nil` when no budget of the chain limits it.
    package func left(_ kind: BudgetKind) -> Int64? {
        let own = state.withLock { $0.ledger.left(kind) }
        guard let inherited = parent?.left(kind) else { return own }
        return own.map { min($0, inherited) } ?? inherited
    }

    /// Reserves one unit of a counted kind (a step, a revision, a refused tool call) here and in every ancestor.
    ///
    /// - Parameters:
    ///   - kind: The kind to reserve, as ``BudgetLedger/reserve(_:tool:)`` takes it.
    ///   - tool: The tool concerned, named in the violation.
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    package func reserve(_ kind: BudgetKind, tool: String? = nil) throws(PolicyViolation) {
        try state.withLock { (state) throws(PolicyViolation) in try state.ledger.reserve(kind, tool: tool) }
        do { try parent?.reserve(kind, tool: tool) } catch {
            state.withLock { $0.ledger.refund(kind) }
            throw error
        }
    }

    /// Gives back one unit reserved with ``reserve(_:tool:)`` whose work never happened, here and in every ancestor.
    ///
    /// - Parameter kind: The kind reserved.
    package func refund(_ kind: BudgetKind) {
        state.withLock { $0.ledger.refund(kind) }
        parent?.refund(kind)
    }

    /// Reserves one call of `tool` here and in every ancestor; loop detection runs only in a budget for one run.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: A canonical text of the arguments for loop detection, or `nil` to skip it.
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    package func reserveToolCall(_ tool: String, argumentsKey: String? = nil) throws(PolicyViolation) {
        try state.withLock { (state) throws(PolicyViolation) in
            try state.ledger.reserveToolCall(tool, argumentsKey: argumentsKey)
        }
        do { try parent?.reserveToolCall(tool, argumentsKey: nil) } catch {
            state.withLock { $0.ledger.refundToolCall(tool, argumentsKey: argumentsKey) }
            throw error
        }
    }

    /// Gives back a tool call reserved with ``reserveToolCall(_:argumentsKey:)`` whose body never ran (the run
    /// ended in between), here and in every ancestor.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: The arguments key passed to the reservation.
    package func refundToolCall(_ tool: String, argumentsKey: String?) {
        state.withLock { $0.ledger.refundToolCall(tool, argumentsKey: argumentsKey) }
        parent?.refundToolCall(tool, argumentsKey: nil)
    }

    /// Stops counting one identical call as a repeat because it failed with a retryable error (see
    /// ``BudgetLedger/forgiveRepeat(_:argumentsKey:)``); repeats are counted per run, so ancestors are not touched.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: The arguments key passed to the reservation.
    package func forgiveRepeat(_ tool: String, argumentsKey: String) {
        state.withLock { $0.ledger.forgiveRepeat(tool, argumentsKey: argumentsKey) }
    }

    /// Runs `body` on this budget's ledger under its lock.
    package func withLedger<T>(_ body: (inout BudgetLedger) -> T) -> T {
        state.withLock { body(&$0.ledger) }
    }

    /// Gives back to every ancestor what this budget counted (see ``BudgetLedger/giveBack(_:)``); this budget's
    /// own ledger is unchanged. Outstanding reservations are released separately (``releaseAll()``).
    package func giveBackToAncestors() {
        let own = ledger
        var current = parent
        while let budget = current {
            budget.state.withLock { $0.ledger.giveBack(own) }
            current = budget.parent
        }
    }

    /// Reserves a model-usage estimate here and in every ancestor.
    ///
    /// - Parameter estimate: The most the work may use.
    /// - Returns: The reservation, to settle or release on this same budget, once.
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays reserved then.
    package func reserveUsage(_ estimate: ModelUsage) throws(PolicyViolation) -> UsageReservation {
        let reservation = try state.withLock { (state) throws(PolicyViolation) in
            try state.ledger.reserveUsage(estimate)
        }
        guard let parent else { return reservation }
        do {
            let inherited = try parent.reserveUsage(estimate)
            state.withLock { $0.parentReservations[reservation.id] = inherited }
        } catch {
            state.withLock { $0.ledger.release(reservation) }
            throw error
        }
        return reservation
    }

    /// Replaces a reservation with the actual usage, here and in every ancestor.
    ///
    /// The usage is recorded everywhere even when it passes a limit. A reservation already settled or released
    /// gives nothing back again; the usage is still recorded.
    ///
    /// - Parameters:
    ///   - reservation: The reservation from ``reserveUsage(_:)``.
    ///   - actual: The usage the work reported.
    /// - Throws: The first ``PolicyViolation`` found, this budget's before its parent's.
    package func settle(_ reservation: UsageReservation, actual: ModelUsage) throws(PolicyViolation) {
        let (local, inheritedReservation) = state.withLock { state -> (PolicyViolation?, UsageReservation?) in
            let inherited = state.parentReservations.removeValue(forKey: reservation.id)
            do throws(PolicyViolation) { try state.ledger.settle(reservation, actual: actual) } catch {
                return (error, inherited)
            }
            return (nil, inherited)
        }
        var inherited: PolicyViolation?
        if let parent {
            do {
                if let inheritedReservation {
                    try parent.settle(inheritedReservation, actual: actual)
                } else {
                    try parent.recordUsage(actual)
                }
            } catch {
                inherited = error
            }
        }
        if let violation = local ?? inherited { throw violation }
    }

    /// Gives back a reservation whose work did not happen, here and in every ancestor; one already settled or
    /// released changes nothing.
    ///
    /// - Parameter reservation: The reservation from ``reserveUsage(_:)``.
    package func release(_ reservation: UsageReservation) {
        let inherited = state.withLock { state in
            state.ledger.release(reservation)
            return state.parentReservations.removeValue(forKey: reservation.id)
        }
        if let inherited { parent?.release(inherited) }
    }

    /// Gives back every reservation still outstanding here, and their counterparts in the ancestors: for a run
    /// that ended while model calls were in flight.
    package func releaseAll() {
        let inherited = state.withLock { state in
            state.ledger.releaseAll()
            defer { state.parentReservations = [:] }
            return Array(state.parentReservations.values)
        }
        for reservation in inherited { parent?.release(reservation) }
    }

    /// Records usage that was not reserved, here and in every ancestor.
    ///
    /// - Parameter actual: The usage the work reported.
    /// - Throws: The first ``PolicyViolation`` found; the usage is recorded everywhere all the same.
    package func recordUsage(_ actual: ModelUsage) throws(PolicyViolation) {
        let local = state.withLock { state -> PolicyViolation? in
            do throws(PolicyViolation) { try state.ledger.recordUsage(actual) } catch { return error }
            return nil
        }
        var inherited: PolicyViolation?
        do { try parent?.recordUsage(actual) } catch { inherited = error }
        if let violation = local ?? inherited { throw violation }
    }
}
