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
    private struct State {
        var ledger: BudgetLedger
        /// The parent's reservation behind each of this budget's reservations, by this budget's reservation id.
        var parentReservations: [UInt64: UsageReservation] = [:]
    }

    private let state: LockedState<State>
    /// The budget that must also grant every reservation, if any.
    public let parent: SharedBudget?

    /// Creates a budget enforcing `limits`.
    ///
    /// - Parameters:
    ///   - limits: The limits to enforce; unlimited fields only count.
    ///   - parent: A budget that must also grant every reservation.
    public init(_ limits: BudgetLimits, parent: SharedBudget? = nil) {
        state = LockedState(State(ledger: BudgetLedger(limits: limits)))
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

    /// Reserves one agent step here and in every ancestor.
    ///
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    public func reserveStep() throws(PolicyViolation) {
        try state.withLock { (state) throws(PolicyViolation) in try state.ledger.reserveStep() }
        do { try parent?.reserveStep() } catch {
            state.withLock { $0.ledger.refundStep() }
            throw error
        }
    }

    /// Reserves one revision here and in every ancestor.
    ///
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays debited then.
    public func reserveRevision() throws(PolicyViolation) {
        try state.withLock { (state) throws(PolicyViolation) in try state.ledger.reserveRevision() }
        do { try parent?.reserveRevision() } catch {
            state.withLock { $0.ledger.refundRevision() }
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
    package func refundToolCall(_ tool: String, argumentsKey: String?) {
        state.withLock { $0.ledger.refundToolCall(tool, argumentsKey: argumentsKey) }
        parent?.refundToolCall(tool, argumentsKey: nil)
    }

    /// Gives back a step reserved with ``reserveStep()`` that never ran, here and in every ancestor.
    package func refundStep() {
        state.withLock { $0.ledger.refundStep() }
        parent?.refundStep()
    }

    /// Gives back a revision reserved with ``reserveRevision()`` that never happened, here and in every ancestor.
    package func refundRevision() {
        state.withLock { $0.ledger.refundRevision() }
        parent?.refundRevision()
    }

    /// Reserves a model-usage estimate here and in every ancestor.
    ///
    /// - Parameter estimate: The most the work may use.
    /// - Returns: The reservation, to settle or release on this same budget, once.
    /// - Throws: ``PolicyViolation`` from the first budget that refuses; nothing stays reserved then.
    public func reserveUsage(_ estimate: ModelUsage) throws(PolicyViolation) -> UsageReservation {
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
    public func settle(_ reservation: UsageReservation, actual: ModelUsage) throws(PolicyViolation) {
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
    public func release(_ reservation: UsageReservation) {
        let inherited = state.withLock { state in
            state.ledger.release(reservation)
            return state.parentReservations.removeValue(forKey: reservation.id)
        }
        if let inherited { parent?.release(inherited) }
    }

    /// Gives back every reservation still outstanding here, and their counterparts in the ancestors: for a run
    /// that ended while model calls were in flight.
    public func releaseAll() {
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
    public func recordUsage(_ actual: ModelUsage) throws(PolicyViolation) {
        let local = state.withLock { state -> PolicyViolation? in
            do throws(PolicyViolation) { try state.ledger.recordUsage(actual) } catch { return error }
            return nil
        }
        var inherited: PolicyViolation?
        do { try parent?.recordUsage(actual) } catch { inherited = error }
        if let violation = local ?? inherited { throw violation }
    }
}
