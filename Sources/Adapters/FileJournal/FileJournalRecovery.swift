public import AgentAdapters

/// What a ``FileCheckpointStore`` found when it opened a journal for writing, and what it cut off.
///
/// A process that dies while appending (a crash, a SIGKILL, a power cut) can leave the end of its journal file torn:
/// part of a record, or a record whose bytes do not match its checksum. When the store first opens a journal for
/// writing (its first append, or ``FileCheckpointStore/open(_:)``) it scans the file, keeps every whole record and
/// cuts the file back (`ftruncate`) to the end of the last one. This report says how many bytes were dropped and
/// why; ``FileCheckpointStore/recoveries`` lists every report with dropped bytes.
///
/// The dropped bytes never held an entry whose append had returned under `.immediate` durability: those are on disk
/// whole. They can hold entries appended `.deferred` that the system had not yet written when the machine went down.
public struct FileJournalRecovery: Hashable, Codable, Sendable {
    /// What damaged the end of a journal file.
    public enum Damage: String, Hashable, Codable, Sendable {
        /// The file ends inside its 16-byte header: it was created and the process died before the header was
        /// written whole. The store writes the header again.
        case shortHeader
        /// Fewer than the 8 bytes of a record's length and checksum follow the last whole record.
        case shortLengthPrefix
        /// The last record's payload runs past the end of the file.
        case shortRecord
        /// The last record's checksum does not match its length and payload.
        case checksumMismatch
    }

    /// The version of this report's shape: 1.
    public var schemaVersion: Int
    /// The journal.
    public var journal: JournalID
    /// The whole records the journal holds after the recovery.
    public var recordCount: Int
    /// The file's length after the recovery, header included.
    public var keptBytes: Int64
    /// The bytes cut off the end of the file: 0 when it was whole.
    public var droppedBytes: Int64
    /// What damaged the dropped bytes; `nil` when none were dropped.
    public var damage: Damage?

    /// The current ``schemaVersion``.
    public static let currentSchemaVersion = 1

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - recordCount: The whole records kept.
    ///   - keptBytes: The file's length after the recovery.
    ///   - droppedBytes: The bytes cut off.
    ///   - damage: What damaged the dropped bytes.
    public init(journal: JournalID, recordCount: Int, keptBytes: Int64, droppedBytes: Int64, damage: Damage?) {
        self.schemaVersion = Self.currentSchemaVersion
        self.journal = journal
        self.recordCount = recordCount
        self.keptBytes = keptBytes
        self.droppedBytes = droppedBytes
        self.damage = damage
    }
}
