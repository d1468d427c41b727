extension JournalChain {
    /// Recomputes a journal's hash chain and reports the first bad entry, by position and kind.
    ///
    /// Entries are checked in order; for each: it must parse (``JournalFault/Kind/unparseable``), its version must
    /// be known (``JournalFault/Kind/unknownVersion``), its hash must match its content (``JournalFault/Kind/altered``),
    /// its `position` must be the next one (a later position is ``JournalFault/Kind/reordered`` when the missing
    /// position comes later in the journal, else ``JournalFault/Kind/removed``; an earlier or repeated one is
    /// ``JournalFault/Kind/inserted``), and its `previousHash` must be the hash of the entry before (else that entry
    /// was replaced and re-hashed: ``JournalFault/Kind/altered`` at the one before, or
    /// ``JournalFault/Kind/genesisMismatch`` for the first).
    ///
    /// A hash chain without a secret cannot tell a journal cut short, or extended, or rewritten from some entry on,
    /// from a genuine one: pin it with the count and head hash of an earlier `verified` result. With
    /// `expectedCount`, a shorter journal is ``JournalFault/Kind/removed`` and a longer one
    /// ``JournalFault/Kind/inserted`` at the pinned count; with `expectedHeadHash`, a different hash at the pinned
    /// head is ``JournalFault/Kind/altered`` there.
    ///
    /// The hash covers the entry's JSON data (RFC 8785), not its bytes: reformatting an entry without changing its
    /// data (whitespace, key order, escapes, `1` for `1.0`) is not reported.
    ///
    /// The records' own ``JournalRecord/position`` values are not trusted (a file can be renumbered); positions
    /// in the report are entries' positions in the journal, from 0.
    ///
    /// - Parameters:
    ///   - records: The journal's records from position 0, in stored order.
    ///   - genesis: The hash the first entry chains from (a journal chained from another's entry: that entry's hash).
    ///   - knownVersion: The highest entry format version the caller understands.
    ///   - expectedCount: The entry count of an earlier `verified` result, to catch entries removed or appended
    ///     at the end.
    ///   - expectedHeadHash: The head hash of an earlier `verified` result (at `expectedCount`, or at the end).
    /// - Returns: `verified` with the count and head hash, or the first fault.
    public static func verify(
        _ records: [JournalRecord],
        genesis: SHA256Digest = .zero,
        knownVersion: Int64 = JournalChain.formatVersion,
        expectedCount: Int? = nil,
        expectedHeadHash: SHA256Digest? = nil
    ) -> JournalVerification {
        walk(
            records,
            genesis: genesis,
            knownVersion: knownVersion,
            expectedCount: expectedCount,
            expectedHeadHash: expectedHeadHash,
            reading: .none
        ) { _ in }
    }

    /// Verifies `records` as ``verify(_:genesis:knownVersion:expectedCount:expectedHeadHash:)`` does and returns each
    /// entry's members without the ``envelopeFields`` from the same walk: a reader that goes on to use the entries
    /// parses each record once, and a record in canonical form in a single pass that also hashes it.
    ///
    /// - Parameters:
    ///   - records: The journal's records from position 0, in stored order.
    ///   - genesis: The hash the first entry chains from.
    ///   - knownVersion: The highest entry format version the caller understands.
    /// - Returns: The chain that continues the records, and each entry's members (envelope fields left out), in
    ///   order.
    /// - Throws: ``JournalFault`` naming the first bad entry.
    package static func read(
        _ records: [JournalRecord],
        genesis: SHA256Digest = .zero,
        knownVersion: Int64 = JournalChain.formatVersion
    ) throws(JournalFault) -> (chain: JournalChain, entries: [[String: JSONValue]]) {
        var entries: [[String: JSONValue]] = []
        entries.reserveCapacity(records.count)
        let chain = try walkEntries(records, genesis: genesis, knownVersion: knownVersion, reading: .all) { entry in
            var members = entry.members
            // Only a record read the full way still holds its envelope fields.
            if !entry.isSinglePass { for key in envelopeFieldNames { members[key] = nil } }
            entries.append(members)
        }
        return (chain, entries)
    }

    /// ``read(_:genesis:knownVersion:)`` for a reader of entries with a `kind` and an `at` (a run journal's), which
    /// makes its entries in the walk, while each record's members are fresh: a record read in one pass hands its
    /// `kind` (a string without escapes) and `at` (an integer) as values beside its members, not in them; any other
    /// record, and any other `kind` or `at`, is in the members as `read` returns them.
    ///
    /// `visit` is called for each entry in order, once its hash and position are checked, with the entry's
    /// position (a caller that cannot make its entry records why and throws once the walk is done: a fault of the
    /// chain, thrown here, comes first wherever it is).
    ///
    /// - Parameters:
    ///   - records: The journal's records from position 0, in stored order.
    ///   - genesis: The hash the first entry chains from.
    ///   - knownVersion: The highest entry format version the caller understands.
    ///   - visit: Takes an entry's members as ``EntryFields`` (envelope fields left out, and `kind` and `at` when
    ///     read apart; a record read in one pass hands them in stored order, without a dictionary) and its position.
    /// - Returns: The chain that continues the records.
    /// - Throws: ``JournalFault`` naming the first bad entry.
    package static func readEntries(
        _ records: [JournalRecord],
        genesis: SHA256Digest = .zero,
        knownVersion: Int64 = JournalChain.formatVersion,
        visiting visit: (ReadEntry, Int) -> Void
    ) throws(JournalFault) -> JournalChain {
        var position = 0
        return try walkEntries(records, genesis: genesis, knownVersion: knownVersion, reading: .kindAndAtApart) {
            entry in
            let read: ReadEntry
            if entry.isSinglePass {
                read = ReadEntry(members: entry.fields, kind: entry.kind, at: entry.at)
            } else {
                // Read the full way: a dictionary that still holds the envelope fields.
                var members = entry.members
                for key in envelopeFieldNames { members[key] = nil }
                read = ReadEntry(members: EntryFields(members), kind: entry.kind, at: entry.at)
            }
            visit(read, position)
            position += 1
        }
    }

    /// The walk behind ``read(_:genesis:knownVersion:)`` and ``readEntries(_:genesis:knownVersion:visiting:)``: each
    /// entry as `reading` asks (a record read the full way still holds its envelope fields), handed to `visit` in
    /// order once its hash and position are checked.
    private static func walkEntries(
        _ records: [JournalRecord],
        genesis: SHA256Digest,
        knownVersion: Int64,
        reading: MemberReading,
        visit: (Envelope) -> Void
    ) throws(JournalFault) -> JournalChain {
        let verification = walk(
            records,
            genesis: genesis,
            knownVersion: knownVersion,
            expectedCount: nil,
            expectedHeadHash: nil,
            reading: reading,
            visit: visit
        )
        switch verification {
        case .verified(let count, let headHash):
            return JournalChain(genesis: genesis, headHash: headHash, count: count)
        case .failed(let fault):
            throw fault
        }
    }

    /// An entry as ``readEntries(_:genesis:knownVersion:)`` returns it.
    package struct ReadEntry {
        /// The entry's members without the envelope fields, and without `kind` and `at` when those are set.
        package var members: EntryFields
        /// The entry's `kind`, when read apart from ``members``.
        package var kind: String?
        /// The entry's `at`, when read apart from ``members``.
        package var at: Int64?
    }

    /// The walk behind ``verify(_:genesis:knownVersion:expectedCount:expectedHeadHash:)``, handing each entry's
    /// members to `visit` once its hash and position are checked.
    ///
    /// Records in canonical form are read ahead in one pass and hashed four at a time (``JournalReadAhead``); the
    /// chain is then checked in order. Any other record is read the full way, which names its fault. A record read
    /// in one pass hands `visit` what `reading` asks for (an empty dictionary for `.none`: `verify()` discards them).
    private static func walk(
        _ records: [JournalRecord],
        genesis: SHA256Digest,
        knownVersion: Int64,
        expectedCount: Int?,
        expectedHeadHash: SHA256Digest?,
        reading: MemberReading,
        visit: (Envelope) -> Void
    ) -> JournalVerification {
        var walk = ChainWalk(records: records, knownVersion: knownVersion)
        var readAhead = JournalReadAhead(knownVersion: knownVersion, reading: reading)
        var hashes: [SHA256Digest] = []
        hashes.reserveCapacity(records.count)
        for index in records.indices {
            let entry: Envelope
            if let record = readAhead.record(at: index, of: records) {
                entry = Envelope(
                    members: record.members,
                    fields: record.fields,
                    position: record.position,
                    previousHash: record.previousHash,
                    hash: record.hash,
                    kind: record.kind,
                    at: record.at,
                    isSinglePass: true
                )
            } else {
                do throws(JournalFault) {
                    entry = try walk.envelope(at: index, reportedAs: index)
                } catch {
                    return .failed(error)
                }
            }
            if let fault = walk.positionFault(of: entry, at: index) { return .failed(fault) }
            let previous = index == 0 ? genesis : hashes[index - 1]
            if entry.previousHash != previous {
                if index == 0 {
                    return .failed(
                        JournalFault(
                            kind: .genesisMismatch,
                            position: 0,
                            message: "the first entry chains from \(entry.previousHash), not from the genesis "
                                + "\(genesis): verify a journal chained from another journal's entry with that entry's hash"
                        )
                    )
                }
                return .failed(
                    JournalFault(
                        kind: .altered,
                        position: index - 1,
                        message: "entry \(index) chains from \(entry.previousHash), but entry \(index - 1) hashes "
                            + "to \(previous): entry \(index - 1) was replaced"
                    )
                )
            }
            hashes.append(entry.hash)
            visit(entry)
        }
        let count = records.count
        if let expectedCount, count != expectedCount {
            if count < expectedCount {
                return .failed(
                    JournalFault(
                        kind: .removed,
                        position: count,
                        message: "the journal ends after \(count) entries; it had \(expectedCount)"
                    )
                )
            }
            if let expectedHeadHash, (expectedCount == 0 ? genesis : hashes[expectedCount - 1]) != expectedHeadHash {
                return .failed(headMismatch(at: expectedCount - 1, expected: expectedHeadHash))
            }
            return .failed(
                JournalFault(
                    kind: .inserted,
                    position: expectedCount,
                    message: "the journal goes on past its \(expectedCount) pinned entries to \(count)"
                )
            )
        }
        let head = count == 0 ? genesis : hashes[count - 1]
        if let expectedHeadHash, head != expectedHeadHash {
            return .failed(headMismatch(at: count - 1, expected: expectedHeadHash))
        }
        return .verified(count: count, headHash: head)
    }

    /// Parses one record as an entry and refuses a version newer than `knownVersion`, without checking the chain.
    ///
    /// For the layer that decodes entries: it reads the object (envelope fields included) and need not know the
    /// envelope's rules.
    ///
    /// - Parameters:
    ///   - record: The stored record.
    ///   - knownVersion: The highest entry format version the caller understands.
    /// - Returns: The entry's members, envelope fields included.
    /// - Throws: ``JournalFault`` of kind ``JournalFault/Kind/unparseable`` or ``JournalFault/Kind/unknownVersion``
    ///   at the record's position.
    public static func readEntry(
        _ record: JournalRecord,
        knownVersion: Int64 = JournalChain.formatVersion
    ) throws(JournalFault) -> [String: JSONValue] {
        var walk = ChainWalk(records: [record], knownVersion: knownVersion)
        return try walk.envelope(at: 0, reportedAs: record.position).members
    }

    private static func headMismatch(at position: Int, expected: SHA256Digest) -> JournalFault {
        if position < 0 {
            return JournalFault(
                kind: .genesisMismatch,
                position: 0,
                message: "the pinned head \(expected) is not the genesis of this empty journal"
            )
        }
        return JournalFault(
            kind: .altered,
            position: position,
            message: "entry \(position) does not hash to the pinned head \(expected): it was replaced"
        )
    }
}
