import AgentAdapters
import AgentPolicy

extension RunRuntime {
    /// A clock property of the agent's context, as a `clockRead` entry names it.
    enum ClockProperty: String, Sendable {
        /// `AgentContext.elapsed`: the reading is the entry's `at`.
        case elapsed
        /// `AgentContext.timeRemaining`: the reading is the entry's `remaining`.
        case timeRemaining
    }

    /// ``timeRemaining`` or ``elapsed`` for a journaled run: each read is an input, journaled as a `clockRead` entry
    /// and, on resume and replay, fed back from it (the same value, whatever the clock reads now).
    ///
    /// A read the journal does not hold where the code makes it (or one it holds where the code makes none) is a
    /// divergence naming the entry, as for any other input. After the run has ended a read records nothing and reads
    /// the live clock, as it does when a journaled termination is fed back before it. Readings are whole
    /// nanoseconds, live as fed, so a report that shows one is the same either way.
    func journaledClockRead(_ property: ClockProperty) -> Duration {
        let now = time.now()
        let at = Nanoseconds(now - start)
        let live = property == .elapsed ? at.duration : Nanoseconds(max(.zero, deadline - now)).duration
        let probe = RunJournalEntry(.clockRead, at: .zero, fields: ["property": .string(property.rawValue)])
        return journaled(probe, at: at, ended: live) { _, _, fed, _ in
            guard let fed else {
                let fields: EntryFields =
                    property == .elapsed ? [:] : ["remaining": .integer(Nanoseconds(live).rawValue)]
                return (live, RunEffects(), fields)
            }
            switch property {
            case .elapsed:
                return (fed.at.duration, RunEffects(), nil)
            case .timeRemaining:
                // `remaining` is required (`RunJournal.entryKinds` refuses an entry without it); were it missing,
                // the policy's timeout less `at` is what a run without an outer deadline would have read.
                let remaining = fed.integer("remaining").map { Duration.nanoseconds($0) }
                return (remaining ?? max(.zero, policy.timeout - fed.at.duration), RunEffects(), nil)
            }
        }.0
    }
}
