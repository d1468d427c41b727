public import AgentAdapters
@_spi(Internals) import AgentPolicy

/// A `CheckpointStore` that keeps each journal in a file of its own: append-only, every record length-prefixed and
/// checksummed, synced to disk as configured, its torn tail cut off when reopened, one writer per journal.
///
/// ```swift
/// let store = FileCheckpointStore(directory: "/var/lib/myapp/journals", durability: .stepBoundaries)
/// try await store.append([JournalRecord(position: 0, bytes: entry)], to: runID, durability: .immediate)
/// let records = try await store.records(of: runID, from: 0)
/// try await store.close()
/// ```
///
/// **Files.** Journal `run-1` lives in `<directory>/run-1.journal` (`JournalID` admits only letters, digits, `-`,
/// `_` and `.`, so every id is a valid file name). The directory is made (one level) on first use. The byte format
/// is documented field by field in `Docs/FileJournalFormat.md`.
///
/// **Durability.** Every append writes its records before it returns. An append asked
/// `JournalDurability.immediate` is also synced (`fsync`; `fcntl(F_FULLFSYNC)` on Darwin) before it returns; others
/// are synced per ``FileJournalDurability``. A new journal file is synced, then its directory.
///
/// **Recovery.** The first time the store opens a journal for writing (its first append, or ``open(_:)``) it scans
/// the file and cuts a torn or corrupt tail back to the last whole record; ``recoveries`` lists what was cut.
///
/// **One writer.** Opening a journal for writing takes `flock(LOCK_EX | LOCK_NB)` on its descriptor and holds it
/// until ``close()`` (or the store's deinitialisation, or the process's end: a SIGKILL releases it too). Another
/// store, in this process or another, then gets `CheckpointStoreError` with code `journalLocked`. Reads take no
/// lock: ``records(of:from:)`` of a journal this store does not hold reads the file as it is, whole records only.
///
/// **Threads.** All file I/O runs on a thread of the store's own (started when work arrives, ended when there is
/// none), never on a Swift concurrency thread: the calling task suspends until its operation is done. Operations run
/// one at a time in the order they were called. Cancelling a task does not interrupt its operation. The store is a
/// `Sendable` class; use it from any task. Retention and compaction are out of scope: delete a journal's file when
/// you no longer need it.
public final class FileCheckpointStore: CheckpointStore {
    /// The directory that holds the journal files.
    public let directory: String
    /// When the store syncs appends asked `.deferred`.
    public let durability: FileJournalDurability
    private let core: FileJournalCore

    /// Creates a store over a directory. Nothing is read or written until the first operation.
    ///
    /// - Parameters:
    ///   - directory: The directory of the journal files; made (one level) on first use if it does not exist.
    ///   - durability: When to sync appends asked `.deferred`; appends asked `.immediate` are always synced.
    public init(directory: String, durability: FileJournalDurability = .everyEntry) {
        self.directory = directory
        self.durability = durability
        self.core = FileJournalCore(directory: directory, durability: durability)
    }

    deinit {
        // Release the locks: the I/O thread syncs pending writes and closes the descriptors. If no thread can be
        // started, close them here (without syncing: the written bytes are with the system already).
        let core = core
        core.worker.submit(
            FileJournalWorkQueue.Job(
                run: { try? core.close(syncing: true) },
                refuse: { try? core.close(syncing: false) }
            )
        )
    }

    /// Appends records to a journal, creating its file and taking its lock on first use.
    ///
    /// An append of no records asked `.immediate` syncs the journal's writes not yet synced.
    ///
    /// - Parameters:
    ///   - records: The records; their positions must continue the journal.
    ///   - journal: The journal.
    ///   - durability: `.immediate`: on stable storage before this returns. `.deferred`: synced per
    ///     ``durability``.
    /// - Throws: `CheckpointStoreError` (`positionMismatch`, `journalLocked`, `corrupt`, `ioFailed`), or
    ///   ``FileJournalError`` (the directory failed, the store is closed).
    public func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) async throws {
        let core = core
        try await core.worker.perform(
            { try core.append(records, to: journal, asked: durability) },
            unavailable: unavailable
        )
    }

    /// The records of a journal from `position` on.
    ///
    /// A journal this store holds open is read through its descriptor. Any other is read from its file without a
    /// lock and without cutting anything: whole records only, a torn tail ignored (its writer may be mid-append).
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - position: The first position to return, from 0.
    /// - Returns: The records; empty when there are none from there or the journal does not exist.
    /// - Throws: `CheckpointStoreError` (`corrupt`, `ioFailed`), or ``FileJournalError`` (the store is closed).
    public func records(of journal: JournalID, from position: Int) async throws -> [JournalRecord] {
        let core = core
        return try await core.worker.perform(
            { try core.records(of: journal, from: position) },
            unavailable: unavailable
        )
    }

    /// The ids of the journals in the directory (the files named `<id>.journal`), sorted.
    ///
    /// - Returns: The ids; empty when the directory does not exist.
    /// - Throws: ``FileJournalError`` (the directory cannot be read, the store is closed).
    public func journals() async throws -> [JournalID] {
        let core = core
        return try await core.worker.perform({ try core.journals() }, unavailable: unavailable)
    }

    /// Opens a journal for writing now, rather than at its first append: takes its lock, recovers its tail, creates
    /// its file if needed.
    ///
    /// Call it at start-up to learn at once whether another process holds the journal and what a crash left.
    /// Opening a journal this store holds already returns the report of its first opening.
    ///
    /// - Parameter journal: The journal.
    /// - Returns: What the opening found: records kept, bytes dropped and why.
    /// - Throws: `CheckpointStoreError` (`journalLocked`, `corrupt`, `ioFailed`), or ``FileJournalError``.
    @discardableResult
    public func open(_ journal: JournalID) async throws -> FileJournalRecovery {
        let core = core
        return try await core.worker.perform({ try core.open(journal) }, unavailable: unavailable)
    }

    /// Syncs the journals with writes not yet synced, closes every file and releases every lock.
    ///
    /// Afterwards every operation throws ``FileJournalError`` with code ``FileJournalError/Code/storeClosed``.
    /// Closing twice does nothing. Deinitialising the store closes it too, in the background.
    ///
    /// - Throws: `CheckpointStoreError` with code `ioFailed` when a sync failed (the files are closed anyway).
    public func close() async throws {
        let core = core
        try await core.worker.perform({ try core.close(syncing: true) }, unavailable: unavailable)
    }

    /// The recoveries that dropped bytes, in the order the journals were opened.
    ///
    /// A journal appears once, when this store first opened it for writing; a clean journal does not appear.
    public var recoveries: [FileJournalRecovery] { core.table.withLock { $0.recoveries } }

    /// What the store has done so far: appends, records and bytes written, syncs, recoveries.
    public var statistics: FileJournalStatistics { core.table.withLock { $0.statistics } }

    /// The path of a journal's file: `<directory>/<id>.journal`.
    ///
    /// - Parameter journal: The journal.
    /// - Returns: The path.
    public func path(of journal: JournalID) -> String { core.path(of: journal) }

    /// The error of an operation that found no thread to run on.
    private var unavailable: @Sendable () -> any Error {
        let directory = directory
        return {
            FileJournalError(
                code: .threadUnavailable,
                path: directory,
                message: "the system refused to start the store's I/O thread: lower the process's thread count, "
                    + "then retry"
            )
        }
    }
}
