/// Records read ahead of a chain walk: each scanned in one pass (``JournalChain/scanCanonicalRecord(_:knownVersion:reading:)``)
/// and their hashes computed together, four at a time in SIMD lanes (``SHA256Batch``).
///
/// A stored record carries the hash it chains from, so its hash input is known without the record before; the walk
/// then checks the chain in order with comparisons only. A record is handed out only when it is canonical, of a known
/// version, and its hash input hashes to its own `hash`: exactly the records ``JournalChain/readCanonicalRecord(_:knownVersion:)``
/// accepts, with the same values. For any other the walk reads the record the full way, which names its fault.
///
/// Records are read in chunks of ``chunk``, and a chunk ends early once its hash inputs reach ``chunkBytes`` (each
/// input is copied into the batch, so large records do not pile up): a walk that stops at a fault has read at most
/// one chunk past it.
struct JournalReadAhead {
    /// How many records are scanned and hashed together, at most.
    static let chunk = 64
    /// The hash input bytes after which a chunk takes no further record.
    static let chunkBytes = 1 << 18

    /// The highest entry format version the walk accepts.
    let knownVersion: Int64
    /// What is built of the entries' members (nothing for `verify()`).
    let reading: MemberReading
    /// The index past the last record read ahead: a part of a parallel read stops at its part's end.
    let end: Int
    /// The position of the first record read ahead.
    private var start = 0
    /// The records from `start` on: the accepted ones, `nil` for one the full path must read.
    private var accepted: [SinglePassRecord?] = []
    /// The hash inputs of the records scanned.
    private var batch = SHA256Batch()
    /// For each message of `batch`, its record's offset from `start`.
    private var hashed: [Int] = []

    /// A read-ahead for a walk.
    ///
    /// - Parameters:
    ///   - knownVersion: The highest entry format version the walk accepts.
    ///   - reading: What is built of the entries' members.
    ///   - end: The index past the last record to read ahead (a part of a parallel read: its part's end).
    init(knownVersion: Int64, reading: MemberReading, end: Int = .max) {
        self.knownVersion = knownVersion
        self.reading = reading
        self.end = end
    }

    /// Record `index` of `records` read in one pass, or `nil` when the full path must read it.
    ///
    /// - Parameters:
    ///   - index: The record's position in `records`.
    ///   - records: The walk's records (the same array on every call).
    /// - Returns: The record, hash checked; `nil` for a record the single pass does not accept.
    mutating func record(at index: Int, of records: [JournalRecord]) -> SinglePassRecord? {
        if index < start || index >= start + accepted.count { readChunk(from: index, of: records) }
        // Moved out, not copied: the walk then holds the only reference to the record's members.
        return accepted[index - start].take()
    }

    /// Scans records `first…` (up to ``chunk`` of them, fewer past ``chunkBytes``), hashes the scanned ones together and keeps those whose
    /// hash matches.
    private mutating func readChunk(from first: Int, of records: [JournalRecord]) {
        start = first
        accepted.removeAll(keepingCapacity: true)
        hashed.removeAll(keepingCapacity: true)
        batch.removeAll()
        for index in first..<min(records.count, end, first + Self.chunk) {
            guard batch.byteCount < Self.chunkBytes else { break }
            let scanned: ScannedRecord? = records[index].bytes.withUnsafeBufferPointer { bytes in
                guard
                    let scanned = JournalChain.scanCanonicalRecord(
                        bytes,
                        knownVersion: knownVersion,
                        reading: reading
                    )
                else { return nil }
                JournalChain.appendHashInput(of: scanned, bytes, to: &batch)
                return scanned
            }
            if scanned != nil { hashed.append(index - first) }
            accepted.append(scanned?.record)
        }
        for (digest, offset) in zip(batch.digests(), hashed) where digest != accepted[offset]!.hash {
            accepted[offset] = nil
        }
    }
}
