/// A ``BudgetLedger`` behind a lock, so concurrent runs can draw on one budget without overshoot.
///
/// Every reservation checks and debits in one critical section: 100 runs racing for a budget of 50 tool calls get
/// exactly 50, never more. A budget may have a parent: a reservation must then succeed in both, and a refusal in the
/// parent gives the child's debit back, so the child's counts only ever hold granted work. The orchestrator gives
/// each run its own budget (its policy's limits) whose parent is the shared budget you pass in, if any.
///
/// Loop detection (identical tool calls) is per run: a parent budget is never asked to check it.
///
/// `SharedBudget` is `Sendable`; its methods never suspend.
public final class SharedBudget: Sendable {
    private let state: LockedState<BudgetLedger>
    /// The budget that must also grant every reservation, if any.
    public let parent: SharedBudget?

    /// Creates a budget enforcing `limits`.
    ///
    /// - Parameters:
    ///   - limits: The limits to enforce; unlimited fields only count.
    ///   - parent: A budget that must also grant every reservation.
    public init(_ limits: BudgetLimits, parent: SharedBudget? = nil) {
        state = LockedState(BudgetLedger(limits: limits))
        self.parent = parent
    }

    /// A copy of the ledger as it is now.
    public var ledger: BudgetLedger { state.withLock { $0 } }

    /// What is left, tightened by every ancestor's remaining budget.
    public var remaining: RemainingBudget {
        let own = state.withLock { $0.remaining }
        guard let parent else { return own }
        return own.tightened(by: parent.remaining)
    }

    /// Reserves one agent step here and in every ancestor.
    ///
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    public func reserveStep() throws(PolicyViolation) {
        try state.withLock { (ledger) throws(PolicyViolation) in try ledger.reserveStep() }
        do { try parent?.reserveStep() } catch {
            state.withLock { $0.refundStep() }
            throw error
        }
    }

    /// Reserves one revision here and in every ancestor.
    ///
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    public func reserveRevision() throws(PolicyViolation) {
        try state.withLock { (ledger) throws(PolicyViolation) in try ledger.reserveRevision() }
        do { try parent?.reserveRevision() } catch {
            state.withLock { $0.refundRevision() }
            throw error
        }
    }

    /// Reserves one call of `tool` here and in every ancestor; loop detection runs only here.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: A canonical text of the arguments for loop detection, or `nil` to skip it.
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    public func reserveToolCall(_ tool: String, argumentsKey: String? = nil) throws(PolicyViolation) {
        try state.withLock { (ledger) throws(PolicyViolation) in
            try ledger.reserveToolCall(tool, argumentsKey: argumentsKey)
        }
        do { try parent?.reserveToolCall(tool, argumentsKey: nil) } catch {
            state.withLock { $0.refundToolCall(tool, argumentsKey: argumentsKey) }
            throw error
        }
    }

    /// Gives back a tool call reserved with ``reserveToolCall(_:argumentsKey:)`` whose body never ran (the run
    /// ended in between), here and in every ancestor.
    package func refundToolCall(_ tool: String, argumentsKey: String?) {
        state.withLock { $0.refundToolCall(tool, argumentsKey: argumentsKey) }
        parent?.refundToolCall(tool, argumentsKey: nil)
    }

    /// Reserves a model-usage estimate here and in every ancestor.
    ///
    /// - Parameter estimate: The most the work may use.
    /// - Returns: The reservation, to settle or release on this same budget.
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays reserved then.
    public func reserveUsage(_ estimate: ModelUsage) throws(PolicyViolation) -> UsageReservation {
        let reservation = try state.withLock { (ledger) throws(PolicyViolation) in
            try ledger.reserveUsage(estimate)
        }
        do { _ = try parent?.reserveUsage(estimate) } catch {
            state.withLock { $0.release(reservation) }
            throw error
        }
        return reservation
    }

    /// Replaces a reservation with the actual usage, here and in every ancestor.
    ///
    /// The usage is recorded everywhere even when it passes a limit.
    ///
    /// - Parameters:
    ///   - reservation: The reservation from ``reserveUsage(_:)``.
    ///   - actual: The usage the work reported.
    /// - Throws: The first ``PolicyViolation`` found, this budget's before its parent's.
    public func settle(_ reservation: UsageReservation, actual: ModelUsage) throws(PolicyViolation) {
        let local = state.withLock { ledger -> PolicyViolation? in
            do throws(PolicyViolation) { try ledger.settle(reservation, actual: actual) } catch { return error }
            return nil
        }
        var inherited: PolicyViolation?
        do { try parent?.settle(reservation, actual: actual) } catch { inherited = error }
        if let violation = local ?? inherited { throw violation }
    }

    /// Gives back a reservation whose work did not happen, here and in every ancestor.
    ///
    /// - Parameter reservation: The reservation from ``reserveUsage(_:)``.
    public func release(_ reservation: UsageReservation) {
        state.withLock { $0.release(reservation) }
        parent?.release(reservation)
    }

    /// Records usage that was not reserved, here and in every ancestor.
    ///
    /// - Parameter actual: The usage the work reported.
    /// - Throws: The first ``PolicyViolation`` found; the usage is recorded everywhere all the same.
    public func recordUsage(_ actual: ModelUsage) throws(PolicyViolation) {
        let local = state.withLock { ledger -> PolicyViolation? in
            do throws(PolicyViolation) { try ledger.recordUsage(actual) } catch { return error }
            return nil
        }
        var inherited: PolicyViolation?
        do { try parent?.recordUsage(actual) } catch { inherited = error }
        if let violation = local ?? inherited { throw violation }
    }
}
