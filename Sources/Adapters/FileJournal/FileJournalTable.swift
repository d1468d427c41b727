import AgentAdapters

/// The rules of a ``FileCheckpointStore``: which journals it holds open (descriptor, record offsets, end, lock),
/// when an append is refused, written or synced, and what closing releases.
///
/// A value type without I/O: its methods decide and return the effect to perform (a write, a sync, an open, the
/// descriptors to close); ``FileJournalCore`` performs it on the I/O thread outside the lock and reports back with
/// a `record…` method. Only the I/O thread changes the table, one job at a time, so a plan and its record never
/// interleave with another job's.
struct FileJournalTable: Sendable {
    /// A journal this store holds open for writing, with its `flock`.
    struct OpenJournal: Sendable, Equatable {
        /// The descriptor that holds the lock.
        var descriptor: Int32
        /// The file offset of each record's frame, by position.
        var frameOffsets: [Int64]
        /// The file's length: where the next record goes.
        var end: Int64
        /// Whether records were written since the last sync.
        var hasUnsyncedWrites = false
    }

    /// What an append does.
    enum AppendPlan: Equatable {
        /// The store is closed.
        case storeClosed
        /// The journal is not open here yet: open it (taking its lock), then plan again.
        case open
        /// Refuse the append.
        case refuse(CheckpointStoreError)
        /// Write the records' frames at `offset`, then sync if `sync`.
        case write(descriptor: Int32, offset: Int64, sync: Bool)
        /// Write nothing; sync the file (an `.immediate` append of no records with writes pending).
        case syncOnly(descriptor: Int32)
        /// Nothing to do.
        case nothing
    }

    /// What a read does.
    enum ReadPlan: Equatable {
        /// The store is closed.
        case storeClosed
        /// The journal is open here: read its records between `offset` and `end` from the descriptor.
        case readOpen(descriptor: Int32, offset: Int64, end: Int64, firstPosition: Int)
        /// The journal is not open here: read the file without a lock and without cutting anything.
        case readFile
    }

    /// When to sync.
    let durability: FileJournalDurability
    /// The journals open for writing.
    private(set) var open: [JournalID: OpenJournal] = [:]
    /// The recovery report of each journal opened for writing, clean or not.
    private(set) var reports: [JournalID: FileJournalRecovery] = [:]
    /// The reports that dropped bytes, in the order the journals were opened.
    private(set) var recoveries: [FileJournalRecovery] = []
    /// What the store has done.
    private(set) var statistics = FileJournalStatistics()
    /// Whether the directory has been made (or found).
    private(set) var hasDirectory = false
    /// Whether ``close()`` ran.
    private(set) var isClosed = false

    /// Creates a table with no journal open.
    ///
    /// - Parameter durability: When to sync.
    init(durability: FileJournalDurability) {
        self.durability = durability
    }

    /// Whether an append asked `asked` is synced before it returns, under `configured`.
    ///
    /// - Parameters:
    ///   - configured: The store's durability.
    ///   - asked: The append's durability.
    /// - Returns: `true` for every append under `.everyEntry`, and for `.immediate` appends under either.
    static func syncs(configured: FileJournalDurability, asked: JournalDurability) -> Bool {
        configured == .everyEntry || asked == .immediate
    }

    /// Plans an append.
    ///
    /// - Parameters:
    ///   - records: The records.
    ///   - journal: The journal.
    ///   - asked: The durability the caller asked for.
    /// - Returns: The effect to perform.
    func planAppend(_ records: [JournalRecord], to journal: JournalID, asked: JournalDurability) -> AppendPlan {
        guard !isClosed else { return .storeClosed }
        guard let state = open[journal] else { return .open }
        let count = state.frameOffsets.count
        for (index, record) in records.enumerated() where record.position != count + index {
            return .refuse(
                CheckpointStoreError(
                    code: .positionMismatch,
                    journal: journal,
                    message: "record at position \(record.position) appended to a journal of \(count + index) "
                        + "records: append records in order, each once"
                )
            )
        }
        if let record = records.first(where: { $0.bytes.count > FileJournalFormat.maximumPayloadLength }) {
            return .refuse(
                CheckpointStoreError(
                    code: .ioFailed,
                    journal: journal,
                    message: "record at position \(record.position) has \(record.bytes.count) bytes, more than a "
                        + "journal record holds (\(FileJournalFormat.maximumPayloadLength)): split the entry"
                )
            )
        }
        if records.isEmpty {
            return asked == .immediate && state.hasUnsyncedWrites ? .syncOnly(descriptor: state.descriptor) : .nothing
        }
        return .write(
            descriptor: state.descriptor,
            offset: state.end,
            sync: Self.syncs(configured: durability, asked: asked)
        )
    }

    /// Records written records.
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - frameOffsets: The offset of each written record's frame.
    ///   - end: The file's new length.
    ///   - synced: Whether the write was synced.
    mutating func recordWrite(to journal: JournalID, frameOffsets: [Int64], end: Int64, synced: Bool) {
        guard var state = open[journal] else { return }
        statistics.appends += 1
        statistics.recordsWritten += frameOffsets.count
        statistics.bytesWritten += end - state.end
        state.frameOffsets += frameOffsets
        state.end = end
        state.hasUnsyncedWrites = !synced
        open[journal] = state
    }

    /// Records a file sync (of a journal, or of a file being opened).
    ///
    /// - Parameter journal: The journal, if it is open; its writes are now synced.
    mutating func recordFileSync(of journal: JournalID?) {
        statistics.fileSyncs += 1
        if let journal { open[journal]?.hasUnsyncedWrites = false }
    }

    /// Records a directory sync.
    mutating func recordDirectorySync() { statistics.directorySyncs += 1 }

    /// Records a header written to a new (or headerless) file.
    ///
    /// - Parameter bytes: The header's length.
    mutating func recordHeaderWrite(bytes: Int) { statistics.bytesWritten += Int64(bytes) }

    /// Records that the directory exists.
    mutating func recordDirectory() { hasDirectory = true }

    /// Records a journal opened for writing, its lock held and its tail recovered.
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - state: Its descriptor, offsets and end.
    ///   - report: What the opening found and cut.
    mutating func recordOpen(_ journal: JournalID, state: OpenJournal, report: FileJournalRecovery) {
        open[journal] = state
        reports[journal] = report
        if report.droppedBytes > 0 {
            recoveries.append(report)
            statistics.recoveries += 1
        }
    }

    /// Forgets a journal whose descriptor the store closed after a failed write or sync: the next access opens
    /// (and recovers) it again.
    ///
    /// - Parameter journal: The journal.
    /// - Returns: Its descriptor, to close.
    mutating func discard(_ journal: JournalID) -> Int32? {
        open.removeValue(forKey: journal)?.descriptor
    }

    /// Plans a read.
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - position: The first position wanted.
    /// - Returns: The effect to perform.
    func planRead(of journal: JournalID, from position: Int) -> ReadPlan {
        guard !isClosed else { return .storeClosed }
        guard let state = open[journal] else { return .readFile }
        let first = max(0, position)
        let offset = first < state.frameOffsets.count ? state.frameOffsets[first] : state.end
        return .readOpen(descriptor: state.descriptor, offset: offset, end: state.end, firstPosition: first)
    }

    /// Closes the store: every journal is forgotten and no operation is planned again.
    ///
    /// - Returns: The open journals' descriptors, each with whether it has writes to sync before it is closed.
    mutating func close() -> [(journal: JournalID, descriptor: Int32, sync: Bool)] {
        guard !isClosed else { return [] }
        isClosed = true
        let closing = open.sorted { $0.key < $1.key }.map { ($0.key, $0.value.descriptor, $0.value.hasUnsyncedWrites) }
        open = [:]
        return closing
    }
}
