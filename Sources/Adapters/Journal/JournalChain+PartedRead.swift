extension JournalChain {
    /// The fewest records a part of a parted read holds: a journal of fewer than twice this is read in one walk.
    package static let recordsPerPart = 512
    /// The most parts a read is split into.
    package static let maximumParts = 8

    /// ``readEntries(_:genesis:knownVersion:visiting:)`` for a long journal, in parts read at the same time by child
    /// tasks: the common case of a journal whose every record is canonical and sound, read on as many CPUs as the
    /// concurrency runtime gives the parts.
    ///
    /// Each part checks its records as the one walk would (the single pass's hash check, the position, the link to
    /// the record before within the part) and makes their entries; then the parts' boundaries are linked in order.
    /// A journal that the one walk verifies has no record another walk would read differently, so the entries and
    /// the chain are the ones that walk returns. At the first thing a part does not accept (a record the single pass
    /// does not read, a position or link that is off, an entry `makeEntry` cannot make) the parted read gives up and
    /// returns `nil`: the caller reads the journal in one walk, which names the first fault exactly as it always did.
    ///
    /// - Parameters:
    ///   - records: The journal's records from position 0, in stored order.
    ///   - genesis: The hash the first entry chains from.
    ///   - knownVersion: The highest entry format version the caller understands.
    ///   - partSize: The fewest records a part holds (tests pass fewer than ``recordsPerPart``).
    ///   - makeEntry: Makes an entry of a record's members (as ``readEntries(_:genesis:knownVersion:visiting:)``
    ///     hands them) and its position, or returns `nil` when it cannot.
    /// - Returns: The chain that continues the records, and the entries in order; `nil` when the journal is too
    ///   short to part (fewer than twice `partSize` records), or when any part found something to refuse.
    package static func readEntriesInParts<Entry: Sendable>(
        _ records: [JournalRecord],
        genesis: SHA256Digest = .zero,
        knownVersion: Int64 = JournalChain.formatVersion,
        partSize: Int = recordsPerPart,
        making makeEntry: @escaping @Sendable (ReadEntry, Int) -> Entry?
    ) async -> (chain: JournalChain, entries: [Entry])? {
        let parts = min(maximumParts, records.count / max(1, partSize))
        guard parts >= 2 else { return nil }
        let bounds = (0...parts).map { records.count * $0 / parts }
        let read = await withTaskGroup(of: (part: Int, read: ReadPart<Entry>?).self) { group in
            // Every part a child, the first too: a part that gives up cancels all the others, wherever it is.
            for part in 0..<parts {
                group.addTask {
                    let range = bounds[part]..<bounds[part + 1]
                    return (part, readPart(range, of: records, knownVersion: knownVersion, making: makeEntry))
                }
            }
            var read = [ReadPart<Entry>?](repeating: nil, count: parts)
            for await (part, result) in group {
                if result == nil { group.cancelAll() }
                read[part] = result
            }
            return read
        }
        var entries: [Entry] = []
        entries.reserveCapacity(records.count)
        var previous = genesis
        for part in read {
            guard let part, part.previousHash == previous else { return nil }
            entries.append(contentsOf: part.entries)
            previous = part.lastHash
        }
        return (JournalChain(genesis: genesis, headHash: previous, count: records.count), entries)
    }

    /// Reads records `range` of `records` as one part of ``readEntriesInParts(_:genesis:knownVersion:partSize:making:)``:
    /// `nil` at the first record the single pass does not accept, a position other than the record's index, a
    /// link that does not match the record before in the part, an entry `makeEntry` cannot make, or cancellation
    /// (another part gave up).
    private static func readPart<Entry>(
        _ range: Range<Int>,
        of records: [JournalRecord],
        knownVersion: Int64,
        making makeEntry: (ReadEntry, Int) -> Entry?
    ) -> ReadPart<Entry>? {
        var readAhead = JournalReadAhead(knownVersion: knownVersion, reading: .kindAndAtApart, end: range.upperBound)
        var entries: [Entry] = []
        entries.reserveCapacity(range.count)
        var first: SHA256Digest?
        var last = SHA256Digest.zero
        for index in range {
            if index % JournalReadAhead.chunk == 0, Task.isCancelled { return nil }
            guard let record = readAhead.record(at: index, of: records), record.position == index else { return nil }
            if first == nil {
                first = record.previousHash
            } else if record.previousHash != last {
                return nil
            }
            last = record.hash
            let read = ReadEntry(members: record.fields, kind: record.kind, at: record.at)
            guard let entry = makeEntry(read, index) else { return nil }
            entries.append(entry)
        }
        guard let first else { return nil }
        return ReadPart(entries: entries, previousHash: first, lastHash: last)
    }
}

/// One part of a parted read: its entries, the hash its first record chains from, and its last record's hash.
private struct ReadPart<Entry: Sendable>: Sendable {
    var entries: [Entry]
    var previousHash: SHA256Digest
    var lastHash: SHA256Digest
}
