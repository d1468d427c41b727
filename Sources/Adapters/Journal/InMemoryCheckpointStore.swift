@_spi(Internals) import AgentPolicy

/// A ``CheckpointStore`` in memory: journals live as long as the store value's last copy.
///
/// For tests, for replays of journals read from elsewhere, and for runs that need checkpoints only within one
/// process (pause and resume, approvals). It is a `final class` over a lock; copies share the journals.
public final class InMemoryCheckpointStore: CheckpointStore {
    private let state = LockedState<[JournalID: [JournalRecord]]>([:])

    /// Creates an empty store.
    public init() {}

    /// Appends records, checking that their positions continue the journal.
    ///
    /// - Parameters:
    ///   - records: The records, in order.
    ///   - journal: The journal's id.
    ///   - durability: Ignored: memory is as durable as it gets here.
    /// - Throws: ``CheckpointStoreError`` with code ``CheckpointStoreError/Code/positionMismatch``.
    public func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) throws {
        try state.withLock { journals in
            // Positions are checked before anything is stored, so a refused batch leaves the journal unchanged; the
            // records are then appended in place through the subscript: no copy of the journal, O(records) per call.
            let count = journals[journal]?.count ?? 0
            for (offset, record) in records.enumerated() where record.position != count + offset {
                throw CheckpointStoreError(
                    code: .positionMismatch,
                    journal: journal,
                    message: "record at position \(record.position) appended to a journal of \(count + offset) "
                        + "records: append records in order, each once"
                )
            }
            if count == 0 {
                // A new journal takes the batch's array itself: no second array, no copy.
                journals[journal] = records
            } else {
                journals[journal, default: []].append(contentsOf: records)
            }
        }
    }

    /// The records of a journal from `position` on.
    ///
    /// - Parameters:
    ///   - journal: The journal's id.
    ///   - position: The first position to return.
    /// - Returns: The records.
    public func records(of journal: JournalID, from position: Int) -> [JournalRecord] {
        state.withLock { journals in
            let stored = journals[journal] ?? []
            return position < stored.count ? Array(stored[max(0, position)...]) : []
        }
    }

    /// The ids of every journal, sorted.
    ///
    /// - Returns: The ids.
    public func journals() -> [JournalID] { state.withLock { $0.keys.sorted() } }
}
