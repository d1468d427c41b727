import AgentAdapters
import AgentPolicy

extension RunRuntime {
    /// ``reserveUsage(_:)`` for a journaled run: the reservation is made again on resume (the ledger is rebuilt in
    /// journal order) and its entry checks that the agent asks for the same estimate.
    func journaledReserveUsage(_ estimate: ModelUsage) throws -> UsageReservation {
        if isTerminated { throw runEnded("model") }
        let reservation: UsageReservation
        do {
            reservation = try budget.reserveUsage(estimate)
        } catch {
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        let probe = RunJournalEntry(.usageReserved, at: .zero, fields: ["estimate": RunJournalEntry.encode(estimate)])
        let (recorded, _) = journaled(probe, ended: false) { _, _, _, _ in (true, RunEffects(), [:]) }
        guard recorded, !isTerminated else {
            budget.release(reservation)
            throw runEnded("model")
        }
        return reservation
    }

    /// ``reportUsage(_:for:)`` for a journaled run: billed to the budget, then journaled with the machine's
    /// transition, so a resumed run's ledger and records match.
    func journaledReportUsage(_ actual: ModelUsage, for reservation: UsageReservation?) throws {
        var violation: PolicyViolation?
        do {
            if let reservation {
                try budget.settle(reservation, actual: actual)
            } else {
                try budget.recordUsage(actual)
            }
        } catch {
            violation = error
        }
        if isTerminated { throw runEnded("model") }
        var fields: EntryFields = ["actual": RunJournalEntry.encode(actual)]
        if let reservation { fields["reserved"] = RunJournalEntry.encode(reservation.estimate) }
        let probe = RunJournalEntry(.usageReported, at: .zero, fields: fields)
        _ = journaled(probe, ended: ()) { machine, time, _, _ in ((), machine.usageReported(actual, at: time), [:]) }
        if let violation {
            terminate(.policyViolation(violation: violation), violation: violation)
            throw violation
        }
        if isTerminated { throw runEnded("model") }
    }

    /// ``releaseUsage(_:)`` for a journaled run: journaled while the run is running (the release itself is made
    /// by the caller first).
    func journaledReleaseUsage(_ reservation: UsageReservation) {
        guard !isTerminated else { return }
        let probe = RunJournalEntry(
            .usageReleased,
            at: .zero,
            fields: ["estimate": RunJournalEntry.encode(reservation.estimate)]
        )
        _ = journaled(probe, ended: ()) { _, _, _, _ in ((), RunEffects(), [:]) }
    }
}
