/// The journal's hash chain: turns entries into stored records that each carry the hash of the one before.
///
/// An entry is a JSON object made by the layer that defines what a run records; the chain adds four envelope
/// fields and prints it in the library's exact form (``JSONValue/jsonText(prettyPrinted:)``, which keeps integers
/// and numbers apart) as the record's bytes:
/// - `version`: the entry format version (an integer, default ``formatVersion``);
/// - `position`: the entry's position in its journal, from 0;
/// - `previousHash`: the hash of the entry before, or the chain's ``genesis`` for the first entry;
/// - `hash`: SHA-256 over the 32 bytes of `previousHash` followed by the RFC 8785 canonical form
///   (``JSONValue/canonicalJSONBytes()``) of the entry **without** its `hash` field.
///
/// A journal starts from ``SHA256Digest/zero`` (the orchestrator's forks too: they name the parent's hash at the fork
/// point in their first entry); a journal chained from another journal's entry starts from that entry's hash.
/// ``verify(_:genesis:knownVersion:expectedCount:expectedHeadHash:)`` recomputes the chain and names the
/// first entry altered, removed, inserted or reordered. `Docs/JournalFormat.md` documents the format field by field,
/// and `Docs/verify_journal.py` checks a journal without this library.
///
/// ```swift
/// var chain = JournalChain()
/// let record = try chain.append(["kind": "toolCallStarted", "tool": "search"])
/// try await store.append([record], to: journal, durability: .immediate)
/// ```
///
/// The type is a `Sendable` value holding the head hash and the count; one writer owns it.
public struct JournalChain: Hashable, Sendable {
    /// The entry format version this library writes and reads: 1.
    public static let formatVersion: Int64 = 1

    /// The envelope fields the chain adds; an entry must not carry them itself.
    public static let envelopeFields: Set<String> = ["version", "position", "previousHash", "hash"]

    /// The envelope fields in a constant array, so that checking an entry allocates nothing.
    static let envelopeFieldNames = ["version", "position", "previousHash", "hash"]

    /// The hash the first entry chains from: ``SHA256Digest/zero``, or the hash of another journal's entry that this
    /// one is chained from.
    public let genesis: SHA256Digest
    /// The hash of the last entry appended, or ``genesis`` when there is none yet.
    public private(set) var headHash: SHA256Digest
    /// How many entries the chain holds: the position of the next one.
    public private(set) var count: Int

    /// Creates an empty chain.
    ///
    /// - Parameter genesis: The hash the first entry chains from: ``SHA256Digest/zero`` for a new journal (and for
    ///   the orchestrator's forks), another journal's entry hash for a journal chained from it.
    public init(genesis: SHA256Digest = .zero) {
        self.genesis = genesis
        headHash = genesis
        count = 0
    }

    /// Creates a chain at a head already verified.
    init(genesis: SHA256Digest, headHash: SHA256Digest, count: Int) {
        self.genesis = genesis
        self.headHash = headHash
        self.count = count
    }

    /// Creates a chain that continues stored records, after verifying them.
    ///
    /// - Parameters:
    ///   - records: The journal's records from position 0, in order.
    ///   - genesis: The hash the first entry chains from.
    ///   - knownVersion: The highest entry format version the caller understands.
    /// - Throws: ``JournalFault`` naming the first bad entry.
    public init(
        continuing records: [JournalRecord],
        genesis: SHA256Digest = .zero,
        knownVersion: Int64 = JournalChain.formatVersion
    ) throws(JournalFault) {
        switch JournalChain.verify(records, genesis: genesis, knownVersion: knownVersion) {
        case .verified(let count, let headHash):
            self.genesis = genesis
            self.headHash = headHash
            self.count = count
        case .failed(let fault):
            throw fault
        }
    }

    /// Seals an entry into the chain: adds the envelope fields and returns the record to store.
    ///
    /// - Parameters:
    ///   - entry: The entry, a JSON object without the ``envelopeFields``.
    ///   - version: The entry format version to write, at least 1.
    /// - Returns: The record: position ``count`` (before the call) and the entry's stored bytes.
    /// - Throws: ``JournalChainError`` when `entry` is not an object, carries an envelope field, or `version` is
    ///   below 1; the chain is then unchanged.
    public mutating func append(
        _ entry: JSONValue,
        version: Int64 = JournalChain.formatVersion
    ) throws(JournalChainError) -> JournalRecord {
        guard case .object(let members) = entry else {
            throw JournalChainError(
                code: .entryNotAnObject,
                field: nil,
                message: "a journal entry is a JSON object, got \(entry.kindName): wrap the value in an object"
            )
        }
        guard version >= 1 else {
            try JournalChain.refuseEnvelopeFields(in: members)
            throw JournalChainError(
                code: .invalidVersion,
                field: "version",
                message: "entry format version \(version) is below 1: pass 1 or more"
            )
        }
        // Sealing finds an envelope field on its way (its keys are sorted anyway) and returns nil.
        guard let (bytes, hash) = JournalChain.seal(members, version: version, position: count, after: headHash) else {
            try JournalChain.refuseEnvelopeFields(in: members)
            preconditionFailure("sealing refused an entry without envelope fields")
        }
        return advance(bytes, hash)
    }

    /// Seals the entry made of `members` with `extra` set in it, as ``append(_:version:)`` seals
    /// `.object(members)` after `members[key] = value` for each of `extra`, without building that dictionary (a run
    /// adds its entry's `kind` and `at` to the kind's fields this way).
    ///
    /// - Parameters:
    ///   - members: The entry's members, without the ``envelopeFields``.
    ///   - extra: Members to set in the entry, replacing any of the same name; their keys must differ.
    ///   - layout: The entry's members in RFC 8785 order, made once for its kind: an entry whose members all have
    ///     a place in it is written in that order without sorting (the bytes sealed are the same either way).
    ///   - rendered: A member whose value is written from a ``CanonicalRendering`` when it holds that very value
    ///     (the bytes sealed are the same either way).
    ///   - version: The entry format version to write, at least 1.
    /// - Returns: The record.
    /// - Throws: ``JournalChainError`` as ``append(_:version:)`` does; the chain is then unchanged.
    package mutating func append(
        _ members: [String: JSONValue],
        adding extra: [(key: String, value: JSONValue)],
        layout: JournalEntryLayout? = nil,
        rendered: (key: String, rendering: CanonicalRendering)? = nil,
        version: Int64 = JournalChain.formatVersion
    ) throws(JournalChainError) -> JournalRecord {
        if let layout, version >= 1,
            let (bytes, hash) = JournalChain.seal(
                members,
                adding: extra,
                layout: layout,
                rendered: rendered,
                version: version,
                position: count,
                after: headHash
            )
        {
            return advance(bytes, hash)
        }
        guard version >= 1,
            let (bytes, hash) = JournalChain.seal(
                members,
                adding: extra,
                rendered: rendered,
                version: version,
                position: count,
                after: headHash
            )
        else {
            var merged = members
            for (key, value) in extra { merged[key] = value }
            return try append(.object(merged), version: version)
        }
        return advance(bytes, hash)
    }

    /// Takes a sealed entry into the chain: its record at the next position, its hash the new head.
    private mutating func advance(_ bytes: [UInt8], _ hash: SHA256Digest) -> JournalRecord {
        let record = JournalRecord(position: count, bytes: bytes)
        headHash = hash
        count += 1
        return record
    }

    /// Seals a run's entry made of `fields` with `kind` and `at` set in it: exactly
    /// ``append(_:adding:layout:rendered:version:)`` with `adding: [("kind", .string(kind)), ("at", .integer(at))]`,
    /// without that array per entry when `layout` applies, each field found by a scan of the few fields, not by
    /// hashing. In the layout, the record's bytes are written in place and hashed where they lie (no buffer for the
    /// hash input apart from them).
    ///
    /// - Parameters:
    ///   - fields: The entry's fields, without the ``envelopeFields``.
    ///   - kind: The entry's `kind` member.
    ///   - at: The entry's `at` member.
    ///   - layout: The entry's members in RFC 8785 order (see ``append(_:adding:layout:rendered:version:)``).
    ///   - rendered: A member written from a ``CanonicalRendering`` when it holds that very value.
    ///   - direct: A member held as its value (a live entry's plan, step result or review decision), written
    ///     straight to canonical bytes; the same bytes as `fields` holding its ``DirectFieldValue/jsonValue``.
    ///   - version: The entry format version to write, at least 1.
    /// - Returns: The record.
    /// - Throws: ``JournalChainError`` as ``append(_:version:)`` does; the chain is then unchanged.
    package mutating func append(
        _ fields: EntryFields,
        kind: String,
        at: Int64,
        layout: JournalEntryLayout?,
        rendered: (key: String, rendering: CanonicalRendering)? = nil,
        direct: (key: String, value: DirectFieldValue)? = nil,
        version: Int64 = JournalChain.formatVersion
    ) throws(JournalChainError) -> JournalRecord {
        // The envelope's own members are written from `kind` and `at`; a direct member of either name would be
        // dropped by the layout seal and written twice by the general one.
        assert(direct.map { $0.key != "kind" && $0.key != "at" } ?? true, "a direct member named kind or at")
        if let layout, version >= 1,
            let (bytes, hash) = JournalChain.seal(
                fields,
                adding: KindAndTime(kind: kind, at: at, direct: direct),
                layout: layout,
                rendered: rendered,
                version: version,
                position: count,
                after: headHash
            )
        {
            return advance(bytes, hash)
        }
        // The layout does not apply: the general way, from a dictionary (a field outside the layout is rare), the
        // direct member as its JSON.
        var extra: [(key: String, value: JSONValue)] = [("kind", .string(kind)), ("at", .integer(at))]
        if let direct { extra.append((direct.key, direct.value.jsonValue)) }
        return try append(
            fields.dictionary,
            adding: extra,
            layout: nil,
            rendered: rendered,
            version: version
        )
    }

    /// ``append(_:adding:layout:rendered:version:)`` for an entry whose members are ``EntryFields``: the same record.
    ///
    /// - Parameters:
    ///   - fields: The entry's fields, without the ``envelopeFields``.
    ///   - extra: Members to set in the entry, replacing any of the same name; their keys must differ.
    ///   - layout: The entry's members in RFC 8785 order.
    ///   - rendered: A member written from a ``CanonicalRendering`` when it holds that very value.
    ///   - version: The entry format version to write, at least 1.
    /// - Returns: The record.
    /// - Throws: ``JournalChainError`` as ``append(_:version:)`` does; the chain is then unchanged.
    package mutating func append(
        _ fields: EntryFields,
        adding extra: [(key: String, value: JSONValue)],
        layout: JournalEntryLayout? = nil,
        rendered: (key: String, rendering: CanonicalRendering)? = nil,
        version: Int64 = JournalChain.formatVersion
    ) throws(JournalChainError) -> JournalRecord {
        try append(fields.dictionary, adding: extra, layout: layout, rendered: rendered, version: version)
    }

    /// Throws ``JournalChainError/Code/envelopeFieldInEntry`` for the first envelope field `members` carries.
    private static func refuseEnvelopeFields(in members: [String: JSONValue]) throws(JournalChainError) {
        for field in envelopeFieldNames where members[field] != nil {
            throw JournalChainError(
                code: .envelopeFieldInEntry,
                field: field,
                message: "the entry carries '\(field)', which the chain writes itself: rename the entry's field"
            )
        }
    }

    /// The chain hash of an entry: SHA-256 over `previous`'s 32 bytes, then the entry's RFC 8785 form without its
    /// `hash` member.
    ///
    /// - Parameters:
    ///   - members: The entry's members; a `hash` member, if present, is left out.
    ///   - previous: The hash of the entry before, or the chain's genesis.
    /// - Returns: The entry's hash.
    public static func hash(of members: [String: JSONValue], after previous: SHA256Digest) -> SHA256Digest {
        // Reserved through the writer, which holds the buffer's only reference (no copy at its first append).
        var writer = CanonicalJSONWriter(recordsPatches: false)
        writer.output.reserveCapacity(32 + 48 * members.count)
        previous.appendBytes(to: &writer.output)
        writer.writeObject(CanonicalJSONWriter.sorted(members, without: "hash"))
        return writer.output.withUnsafeBytes { SHA256.hash($0) }
    }
}
