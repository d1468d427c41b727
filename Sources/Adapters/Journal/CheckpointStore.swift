/// The one persistence seam: where a run's journal lives.
///
/// A journal is an append-only sequence of records, one per journal entry, in order. The library writes every input
/// its run state machine takes and every decision it makes as an entry; the same journal is the audit trail (each
/// entry carries the hash of the one before), the checkpoint (a run resumes from it) and the replay (a run's inputs
/// fed back). The store sees only bytes: the entry format, its version and its hash chain are the library's.
///
/// The library ships ``InMemoryCheckpointStore``; the optional `AgentFileJournal` product stores journals in files.
/// Retention and compaction are out of scope: a journal grows until its owner deletes it.
///
/// Stores must be safe to call from concurrent tasks; one journal has one writer at a time (a store may enforce it).
public protocol CheckpointStore: Sendable {
    /// Appends records to the end of a journal, creating it if it does not exist.
    ///
    /// - Parameters:
    ///   - records: The records, in order; their ``JournalRecord/position`` must continue the journal.
    ///   - journal: The journal's id.
    ///   - durability: Whether the records must be durable (on disk, for a file store) before this returns.
    /// - Throws: ``CheckpointStoreError`` (for example a position that does not continue the journal), or the
    ///   store's own I/O error.
    func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) async throws

    /// The records of a journal from `position` on, in order.
    ///
    /// - Parameters:
    ///   - journal: The journal's id.
    ///   - position: The first position to return, from 0.
    /// - Returns: The records; empty when the journal has none from there (or does not exist).
    /// - Throws: The store's own I/O error.
    func records(of journal: JournalID, from position: Int) async throws -> [JournalRecord]

    /// The ids of every journal in the store, sorted.
    ///
    /// - Returns: The ids.
    /// - Throws: The store's own I/O error.
    func journals() async throws -> [JournalID]
}

/// The id of a journal in a ``CheckpointStore``: letters, digits, `-`, `_` and `.`, not starting with `.`, at most
/// 200 bytes, so that a file store can use it as a file name.
public struct JournalID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The id's text.
    public let rawValue: String

    /// Creates an id, or `nil` when `rawValue` is not a valid id.
    ///
    /// - Parameter rawValue: The id's text.
    public init?(rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard !bytes.isEmpty, bytes.count <= 200, bytes[0] != UInt8(ascii: ".") else { return nil }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                continue
            default: return nil
            }
        }
        self.rawValue = rawValue
    }

    /// The id's text.
    public var description: String { rawValue }

    /// Orders ids by their text.
    ///
    /// - Parameters:
    ///   - lhs: An id.
    ///   - rhs: Another id.
    /// - Returns: Whether `lhs` sorts first.
    public static func < (lhs: JournalID, rhs: JournalID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One stored journal entry: its position in the journal and its bytes (the entry's JSON text, UTF-8).
public struct JournalRecord: Hashable, Sendable {
    /// The record's position in its journal, from 0.
    public var position: Int
    /// The entry's bytes.
    public var bytes: [UInt8]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - position: The record's position, from 0.
    ///   - bytes: The entry's bytes.
    public init(position: Int, bytes: [UInt8]) {
        self.position = position
        self.bytes = bytes
    }
}

/// How durable an append must be before it returns.
public enum JournalDurability: String, Hashable, Codable, Sendable {
    /// On stable storage before the append returns (`fsync` for a file store). The library asks for it before a
    /// tool call starts, so that a tool never runs without its intent on disk.
    case immediate
    /// Handed to the store; a file store syncs it at its configured points (every entry, or step boundaries).
    case deferred
}

/// A ``CheckpointStore`` refused an append or a read.
public struct CheckpointStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// An appended record's position does not continue the journal.
        case positionMismatch
        /// Another writer holds the journal.
        case journalLocked
        /// The stored bytes are damaged beyond the recoverable tail.
        case corrupt
        /// The store's storage failed.
        case ioFailed
    }

    /// What went wrong.
    public var code: Code
    /// The journal concerned.
    public var journal: JournalID
    /// What went wrong and what to do, in words.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - journal: The journal concerned.
    ///   - message: What went wrong and what to do.
    public init(code: Code, journal: JournalID, message: String) {
        self.code = code
        self.journal = journal
        self.message = message
    }

    /// The code, the journal and the message.
    public var description: String { "CheckpointStoreError.\(code.rawValue) (\(journal)): \(message)" }
}
