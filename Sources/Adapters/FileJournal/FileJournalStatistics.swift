/// Counts of what a ``FileCheckpointStore`` has done since it was created.
///
/// Every `fsync` (on Darwin, `fcntl(F_FULLFSYNC)`) the store issues goes through one function that counts it here,
/// so ``fileSyncs`` is the number of times the store asked the system to put a journal file on stable storage, and
/// ``directorySyncs`` the number of times it synced the directory (after creating a journal file). Tests use them to
/// check the durability rules; an application can export them as metrics.
public struct FileJournalStatistics: Hashable, Codable, Sendable {
    /// The version of this value's shape: 1.
    public var schemaVersion = 1
    /// Appends that wrote at least one record.
    public var appends = 0
    /// Records written.
    public var recordsWritten = 0
    /// Bytes written to journal files: record frames and headers.
    public var bytesWritten: Int64 = 0
    /// Journal files synced (`fsync`, or `fcntl(F_FULLFSYNC)` on Darwin).
    public var fileSyncs = 0
    /// Directory syncs, after a journal file was created.
    public var directorySyncs = 0
    /// Journal files cut back to their last whole record when opened.
    public var recoveries = 0

    /// Creates zero counts.
    public init() {}
}
