/// The first bad entry ``JournalChain/verify(_:genesis:knownVersion:expectedCount:expectedHeadHash:)`` found: where,
/// and what kind of damage.
///
/// A fault is also the typed error a reader throws when it refuses a journal (``JournalChain/readEntry(_:knownVersion:)``,
/// ``JournalChain/init(continuing:genesis:knownVersion:)``). Its `Codable` form is flat:
/// `{"kind": "removed", "position": 7, "message": "…"}`. Faults compare by all fields.
public struct JournalFault: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// The kind of damage; new kinds may be added without breaking clients.
    public struct Kind: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The kind's stable name.
        public let rawValue: String

        /// Creates a kind from its name.
        ///
        /// - Parameter rawValue: The kind's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The entry's content no longer matches its hash: it was edited, or it was replaced and re-hashed (then
        /// the next entry, or the pinned head hash, no longer chains from it).
        public static let altered = Kind(rawValue: "altered")
        /// The entry at this position is missing: the next one claims a later position, or the journal ends before
        /// the pinned count.
        public static let removed = Kind(rawValue: "removed")
        /// An extra entry: two entries claim this position, or the journal goes on past the pinned count.
        public static let inserted = Kind(rawValue: "inserted")
        /// Entries are out of order: the entry for this position comes later in the journal.
        public static let reordered = Kind(rawValue: "reordered")
        /// The record is not an entry: not UTF-8 JSON, not an object, or an envelope field missing or malformed.
        public static let unparseable = Kind(rawValue: "unparseable")
        /// The entry's format version is newer than the reader knows: upgrade the reader.
        public static let unknownVersion = Kind(rawValue: "unknownVersion")
        /// The first entry chains from another genesis than the one given: a journal chained from another
        /// journal's entry verified without that entry's hash, or a first entry replaced.
        public static let genesisMismatch = Kind(rawValue: "genesisMismatch")

        /// The kind's name.
        public var description: String { rawValue }
    }

    /// The kind of damage.
    public var kind: Kind
    /// The position of the bad entry (for ``Kind/removed``, of the missing one), from 0.
    public var position: Int
    /// What was found and what to do, in words.
    public var message: String

    /// Creates a fault.
    ///
    /// - Parameters:
    ///   - kind: The kind of damage.
    ///   - position: The position of the bad or missing entry.
    ///   - message: What was found and what to do.
    public init(kind: Kind, position: Int, message: String) {
        self.kind = kind
        self.position = position
        self.message = message
    }

    /// The kind, the position and the message.
    public var description: String { "journal entry \(position) \(kind.rawValue): \(message)" }
}
