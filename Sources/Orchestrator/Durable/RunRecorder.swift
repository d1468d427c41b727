import AgentAdapters
@_spi(Internals) import AgentPolicy

/// A journaled run's link to its journal: the entries to feed back (resume, replay) and the hash chain that seals
/// new ones.
///
/// Feeding is driven by the run's one driver task (the agent's code), so its cursor has a lock of its own, never
/// taken while the run's lock is held; sealing and storing happen in ``RunRuntime/flushJournal()``, by one
/// appender at a time, into the chain the run's ``JournalOutbox`` hands it (the recorder keeps only the chain the
/// journal held when the run started). A new run (``startsLive``) has nothing to feed: its transitions are live
/// without the cursor's lock.
final class RunRecorder: Sendable {
    /// What feeding the next entry gave.
    enum Fed {
        /// The journal holds no more: the run continues live and records.
        case live
        /// The journal's entry for this transition.
        case entry(RunJournalEntry)
        /// A journaled termination came first (and was applied): the transition does not happen.
        case ended
    }

    struct Feed {
        var entries: [RunJournalEntry]
        var cursor = 0
        var failure: DurableRunError?
    }

    let journal: RunJournal
    let isReplay: Bool
    /// Whether every transition is live: a new run (no entries to feed, not a replay), for which ``next(_:apply:)``
    /// answers ``Fed/live`` whatever the probe, so the run asks it nothing.
    let startsLive: Bool
    /// The chain of the journal as the run found it: the run's outbox continues it.
    let chain: JournalChain
    let policyHash: SHA256Digest
    let decision: ApprovalDecision?
    /// The policy's canonical rendering, copied into the `runStarted` entry when that entry holds the very value.
    let policyRendering: CanonicalRendering?
    private let feed: LockedState<Feed>

    init(
        journal: RunJournal,
        entries: [RunJournalEntry],
        chain: JournalChain,
        isReplay: Bool,
        policyHash: SHA256Digest,
        decision: ApprovalDecision?,
        policyRendering: CanonicalRendering? = nil
    ) {
        self.journal = journal
        self.policyRendering = policyRendering
        self.isReplay = isReplay
        self.startsLive = entries.isEmpty && !isReplay
        self.chain = chain
        self.policyHash = policyHash
        self.decision = decision
        self.feed = LockedState(Feed(entries: entries))
    }

    /// The first failure (divergence, store error), if any.
    var failure: DurableRunError? { feed.withLock { $0.failure } }

    /// Records the first failure.
    func fail(_ error: DurableRunError) { feed.withLock { if $0.failure == nil { $0.failure = error } } }

    /// Replaces a divergence with `error`: a shared budget refused work the journal holds.
    func replaceDivergence(with error: DurableRunError) {
        feed.withLock { if $0.failure?.code == .divergence { $0.failure = error } }
    }

    /// Whether entries remain to be fed.
    var isFeeding: Bool { feed.withLock { $0.cursor < $0.entries.count } }

    /// The entries not fed yet.
    var remaining: [RunJournalEntry] { feed.withLock { Array($0.entries[$0.cursor...]) } }

    /// The next entry for `probe`: its kind and every field of `probe` must match; passive entries before it
    /// (progress, asynchronous terminations) are handed to `apply` first, in order.
    func next(_ probe: RunJournalEntry, apply: (RunJournalEntry) -> Void) throws(DurableRunError) -> Fed {
        try next(
            probe.kind,
            probe: { probe },
            matches: { entry in
                probe.fields.allSatisfy { entry.fields[$0.key] == $0.value } || Self.isDeadlineRace(probe, entry)
            },
            apply: apply
        )
    }

    /// ``next(_:apply:)`` for a probe of `kind` that is built only when needed (for a divergence's message), with
    /// `matches` answering for a journaled entry of that kind whether it matches the probe: what comparing the
    /// probe's fields with the entry's answers, without building them.
    func next(
        _ kind: RunJournalEntry.Kind,
        probe: () -> RunJournalEntry,
        matches: (RunJournalEntry) -> Bool,
        apply: (RunJournalEntry) -> Void
    ) throws(DurableRunError) -> Fed {
        while true {
            // One lock section looks at the next entry and takes it when it matches or is passive.
            let (entry, position, matched) = feed.withLock { feed -> (RunJournalEntry?, Int, Bool) in
                let position = feed.cursor
                guard position < feed.entries.count else {
                    return (nil, position, feed.entries.last?.kind == .terminated)
                }
                let entry = feed.entries[position]
                let matched = entry.kind == kind && matches(entry)
                if matched || entry.kind == .toolProgress || (entry.kind == .terminated && kind != .terminated) {
                    feed.cursor += 1
                }
                return (entry, position, matched)
            }
            guard let entry else {
                // `matched` says here whether the journal ends with the run's end: in a replay, a termination asked for after
                // it (one that raced the fed one and lost, seen before that one was applied) does not happen.
                if isReplay, kind == .terminated, matched { return .ended }
                if isReplay {
                    throw divergence(at: position, expected: "the end of the journal", got: probe().summary)
                }
                return .live
            }
            if matched { return .entry(entry) }
            switch entry.kind {
            case .toolProgress:
                apply(entry)
            case .terminated where kind != .terminated:
                if skipsPause(entry) { continue }
                apply(entry)
                return .ended
            default:
                throw divergence(at: position, expected: entry.summary, got: probe().summary)
            }
        }
    }

    /// The stop reasons that come from outside the agent's code at a moment the code does not choose: the run's
    /// deadline and a cancellation (the caller's, or a graph's executor at the graph's deadline).
    static let racingReasons: Set<JSONValue> = ["timedOut", "cancelled"]

    /// Whether `probe`, a live termination from outside the agent's code, is the termination `entry` journals
    /// though with the other reason: when a deadline and a cancellation fire at one instant (a graph's deadline
    /// cancelling a node whose run reaches the same deadline), which ends the run first is a race; the journal
    /// holds the recorded outcome, and feeding it keeps a replay or resume on it instead of racing again.
    static func isDeadlineRace(_ probe: RunJournalEntry, _ entry: RunJournalEntry) -> Bool {
        guard probe.kind == .terminated, entry.kind == .terminated,
            let live = probe.fields["reasonKind"], let journaled = entry.fields["reasonKind"]
        else { return false }
        return racingReasons.contains(live) && racingReasons.contains(journaled)
    }

    /// Whether a journaled pause is passed over: a decision follows it (a resume or a replay feeds it), or this
    /// resume brings one. A replay of a journal that ends at the pause stops there, as the paused run did.
    func skipsPause(_ entry: RunJournalEntry) -> Bool {
        guard entry.string("reasonKind") == "awaitingApproval" else { return false }
        let following = feed.withLock { $0.cursor < $0.entries.count ? $0.entries[$0.cursor] : nil }
        if let following { return following.kind == .approvalDecided }
        return decision != nil
    }

    /// The next entry to feed after the progress entries before it (handed to `apply`, in order), without
    /// taking it; `nil` when the journal holds no more.
    func peek(apply: (RunJournalEntry) -> Void) -> RunJournalEntry? {
        while true {
            let entry = feed.withLock { $0.cursor < $0.entries.count ? $0.entries[$0.cursor] : nil }
            guard let entry, entry.kind == .toolProgress else { return entry }
            advance()
            apply(entry)
        }
    }

    private func advance() { feed.withLock { $0.cursor += 1 } }

    private func divergence(at position: Int, expected: String, got: String) -> DurableRunError {
        DurableRunError(
            code: .divergence,
            journal: journal.id,
            position: position,
            expected: expected,
            got: got,
            message: "the agent code asked for \(got) where the journal holds \(expected) at entry \(position): "
                + "the code changed since the journal was written; fork the journal before this entry to continue "
                + "with the new code"
        )
    }

    /// Seals `entries` into `chain` and appends them to the store, in one append.
    ///
    /// The caller is the run's one appender (``JournalOutbox/take()``): it holds `chain` alone, so no lock is taken.
    func store(_ entries: [JournalOutbox.Queued], into chain: inout JournalChain) async throws(DurableRunError) {
        var records: [JournalRecord] = []
        records.reserveCapacity(entries.count)
        do throws(JournalChainError) {
            for queued in entries {
                let entry = queued.entry
                let rendered: (key: String, rendering: CanonicalRendering)? =
                    entry.kind == .runStarted ? policyRendering.map { ("policy", $0) } : nil
                records.append(
                    try chain.append(
                        entry.fields,
                        kind: entry.kind.rawValue,
                        at: entry.at.rawValue,
                        layout: entry.kind.layout,
                        rendered: rendered,
                        direct: queued.direct
                    )
                )
            }
        } catch {
            throw DurableRunError(code: .corruptJournal, journal: journal.id, message: "cannot seal an entry: \(error)")
        }
        let durability: JournalDurability = entries.contains { $0.durability == .immediate } ? .immediate : .deferred
        do {
            try await journal.store.append(records, to: journal.id, durability: durability)
        } catch {
            throw DurableRunError(
                code: .storeFailed,
                journal: journal.id,
                position: records.first?.position,
                message: "the store refused entries from \(records.first?.position ?? 0): \(error); the run stopped "
                    + "before anything else ran; resume it once the store works"
            )
        }
    }
}

extension RunRecorder {
    /// A violation while resuming with a shared budget made the run diverge from its journal: the run's own ledger
    /// is rebuilt in journal order and refuses nothing the original run was granted, so the shared budget refused.
    func sharedBudgetRefused(_ violation: PolicyViolation?) {
        guard !isReplay, let violation else { return }
        replaceDivergence(
            with: DurableRunError(
                code: .sharedBudgetExceeded,
                journal: journal.id,
                message: "the shared budget cannot take the run's journaled consumption (\(violation)): resume with "
                    + "a shared budget that has room for it; nothing stays reserved"
            )
        )
    }
}
