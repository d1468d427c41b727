public import AgentAdapters

/// The records in the bytes of a journal file, read without a store: for tools that inspect, copy or verify journal
/// files, and for replaying a journal read from elsewhere.
///
/// Reads the bytes as ``FileCheckpointStore`` does when it recovers a journal (`Docs/FileJournalFormat.md`): every
/// whole record up to the first one that is not whole, and what damaged the rest. It cuts nothing (the bytes are a
/// value). Writing ``wholeLength`` bytes back gives the file a store's recovery would leave.
///
/// ```swift
/// let contents = try FileJournalContents(decoding: bytes, of: JournalID(rawValue: "run-42")!)
/// let store = InMemoryCheckpointStore()
/// try store.append(contents.records, to: contents.journal, durability: .deferred)
/// ```
public struct FileJournalContents: Hashable, Sendable {
    /// The journal the bytes belong to (named in errors).
    public var journal: JournalID
    /// The whole records, positions from 0.
    public var records: [JournalRecord]
    /// The length of the header and the whole records; 0 when the header is not whole (the file holds no records).
    public var wholeLength: Int
    /// What damaged the bytes after ``wholeLength``; `nil` when there are none.
    public var damage: FileJournalRecovery.Damage?

    /// Reads the bytes of a journal file.
    ///
    /// - Parameters:
    ///   - bytes: The file's bytes, from its first.
    ///   - journal: The journal they belong to.
    /// - Throws: `CheckpointStoreError` with code `corrupt` when the bytes are not a journal file of a version this
    ///   module reads, or when a damaged record is followed by whole ones (damage a crash cannot cause).
    public init(decoding bytes: [UInt8], of journal: JournalID) throws(CheckpointStoreError) {
        let scan: FileJournalScan
        do throws(FileJournalScan.Failure) {
            scan = try FileJournalScan.scan(bytes)
        } catch {
            throw FileJournalCore.corruptError(error, journal, path: "the journal file of \(journal)")
        }
        self.journal = journal
        self.records = scan.payloads.enumerated().map {
            JournalRecord(position: $0.offset, bytes: Array(bytes[$0.element]))
        }
        self.wholeLength = scan.validLength
        self.damage = scan.damage
    }

    /// The bytes of a journal file holding `records`: the header, then each record's frame.
    ///
    /// - Parameter records: The records, in position order (their positions are not stored).
    /// - Returns: The file's bytes.
    public static func encode(_ records: [JournalRecord]) -> [UInt8] {
        var bytes = FileJournalFormat.header
        for record in records { FileJournalFormat.appendFrame(record.bytes, to: &bytes) }
        return bytes
    }
}
