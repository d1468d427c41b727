import AgentAdapters

/// A journaled run's entries waiting to be sealed and stored, in the order the state machine took them, with one
/// appender at a time (the shape of ``EventOutbox``).
///
/// Entries are queued under the run's lock, so their order is the machine's; they are sealed into the hash chain
/// and appended to the store after the lock is released, by whichever caller finds no appender at work. The chain
/// travels with the batch: ``take()`` hands it to the appender and ``finishAppend(_:)`` takes it back, so sealing
/// needs no lock of its own (one appender at a time holds it).
package struct JournalOutbox: Sendable {
    /// Whether the run keeps a journal at all.
    package var isEnabled = false
    /// The position the next entry gets: entries fed from the journal plus those queued.
    package private(set) var nextPosition = 0
    /// The tool call awaiting approval, if the run paused for one.
    package var pendingApproval: ApprovalRequest?
    /// The hash chain the entries are sealed into, while no appender holds it (see ``take()``).
    package private(set) var chain = JournalChain()
    private var queued: [Queued] = []
    private(set) var isAppending = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Queues an entry; returns its position.
    ///
    /// - Parameters:
    ///   - entry: The entry.
    ///   - direct: A field of the entry held as its value (not among `entry`'s fields), sealed straight to bytes.
    ///   - durability: The entry's durability.
    /// - Returns: The entry's position.
    @discardableResult
    package mutating func record(
        _ entry: RunJournalEntry,
        direct: (key: String, value: DirectFieldValue)? = nil,
        durability: JournalDurability = .deferred
    ) -> Int {
        // A W1 run queues six entries before its one flush: room for eight at once, not four regrowths.
        if queued.isEmpty { queued.reserveCapacity(8) }
        queued.append(Queued(entry: entry, direct: direct, durability: durability))
        defer { nextPosition += 1 }
        return nextPosition
    }

    /// Counts an entry fed back from the journal (it is stored already).
    package mutating func countFed() { nextPosition += 1 }

    /// The chain of a journal that already holds entries (a resumed run's): set before any entry is queued.
    package mutating func continueChain(_ chain: JournalChain) {
        precondition(!isAppending && queued.isEmpty && nextPosition == 0, "the chain is set before any entry")
        self.chain = chain
    }

    /// The queued entries and the chain to seal them into, if nobody is appending; the caller becomes the appender
    /// and gives the chain back with ``finishAppend(_:)``.
    mutating func take() -> (entries: [Queued], chain: JournalChain)? {
        guard !isAppending, !queued.isEmpty else { return nil }
        isAppending = true
        defer { queued = [] }
        return (queued, chain)
    }

    /// The appender finished, with the chain as sealing left it; returns the waiters to resume.
    mutating func finishAppend(_ chain: JournalChain) -> [CheckedContinuation<Void, Never>] {
        precondition(isAppending, "only the appender finishes an append")
        isAppending = false
        self.chain = chain
        defer { waiters = [] }
        return waiters
    }

    /// Waits for the appender at work, or returns `false` (caller resumes `waiter` at once) when there is none.
    mutating func wait(_ waiter: CheckedContinuation<Void, Never>) -> Bool {
        guard isAppending else { return false }
        waiters.append(waiter)
        return true
    }

    /// An entry waiting to be sealed, with its durability (a struct: an array of tuples is destroyed through the
    /// runtime's generic tuple witnesses).
    struct Queued: Sendable {
        var entry: RunJournalEntry
        /// A field held as its value (a plan, a step result, a review decision), sealed straight to bytes.
        var direct: (key: String, value: DirectFieldValue)?
        var durability: JournalDurability
    }

    /// Whether entries wait to be appended or an append is under way.
    var isIdle: Bool { !isAppending && queued.isEmpty }
}
