/// An entry's envelope fields, parsed and checked.
struct Envelope {
    /// The entry's members; without the envelope fields when the record was read in a single pass.
    var members: [String: JSONValue]
    /// The entry's members as a list when the single pass read them so (``MemberReading/kindAndAtApart``).
    var fields = EntryFields()
    var position: Int
    var previousHash: SHA256Digest
    var hash: SHA256Digest
    /// The entry's `kind` and `at` when the single pass read them apart from `members`.
    var kind: String? = nil
    var at: Int64? = nil
    /// Whether the single pass read the record (its members then hold no envelope field).
    var isSinglePass = false
}

/// The state of one verification: the records, and their claimed positions parsed once, on demand.
struct ChainWalk {
    let records: [JournalRecord]
    let knownVersion: Int64
    /// The `position` each record claims, `nil` while not yet read; `.some(nil)` when it has none.
    private var claims: [Int?]?

    init(records: [JournalRecord], knownVersion: Int64) {
        self.records = records
        self.knownVersion = knownVersion
    }

    /// Parses record `index` the full way, checks its version, envelope and own hash.
    mutating func envelope(at index: Int, reportedAs position: Int) throws(JournalFault) -> Envelope {
        func unparseable(_ message: String) -> JournalFault {
            JournalFault(kind: .unparseable, position: position, message: message)
        }
        // The walk reads a record here when the single pass does not take it (not canonical, or at fault): this
        // way reports the fault.
        guard let text = String(validating: records[index].bytes, as: UTF8.self) else {
            throw unparseable("the record is not UTF-8 text")
        }
        let value: JSONValue
        do throws(JSONParsingError) {
            value = try JSONValue(parsing: text)
        } catch {
            throw unparseable("the record is not JSON: \(error)")
        }
        guard case .object(let members) = value else {
            throw unparseable("the record is JSON \(value.kindName), not an entry object")
        }
        guard case .integer(let version)? = members["version"], version >= 1 else {
            throw unparseable("the entry has no integer 'version' of 1 or more")
        }
        guard version <= knownVersion else {
            throw JournalFault(
                kind: .unknownVersion,
                position: position,
                message: "the entry has format version \(version); this reader knows up to \(knownVersion): "
                    + "read the journal with a newer library"
            )
        }
        guard case .integer(let claimed)? = members["position"], claimed >= 0, claimed <= Int64(Int.max) else {
            throw unparseable("the entry has no integer 'position' of 0 or more")
        }
        guard case .string(let previousText)? = members["previousHash"],
            let previousHash = SHA256Digest(hex: previousText)
        else {
            throw unparseable("the entry's 'previousHash' is not 64 lower-case hexadecimal digits")
        }
        guard case .string(let hashText)? = members["hash"], let hash = SHA256Digest(hex: hashText) else {
            throw unparseable("the entry's 'hash' is not 64 lower-case hexadecimal digits")
        }
        // A record in canonical form (every record this library writes without doubles, integers beyond 2⁵³ or
        // `\u00xx` escapes) hashes straight from its bytes; any other is re-serialised from its parsed members.
        let computed =
            records[index].bytes.withUnsafeBufferPointer { JournalChain.canonicalRecordHash($0, after: previousHash) }
            ?? JournalChain.hash(of: members, after: previousHash)
        guard computed == hash else {
            throw JournalFault(
                kind: .altered,
                position: position,
                message: "the entry hashes to \(computed), not to its recorded hash \(hash): its content was changed"
            )
        }
        return Envelope(members: members, position: Int(claimed), previousHash: previousHash, hash: hash)
    }

    /// The fault when record `index`'s claimed position is not `index`, or `nil` when it is.
    mutating func positionFault(of entry: Envelope, at index: Int) -> JournalFault? {
        let claimed = entry.position
        if claimed == index { return nil }
        if claimed < index {
            return JournalFault(
                kind: .inserted,
                position: claimed,
                message: "two entries claim position \(claimed) (the second is record \(index)): one was inserted"
            )
        }
        let later = (index + 1)..<records.count
        if later.contains(where: { claim(at: $0) == index }) {
            return JournalFault(
                kind: .reordered,
                position: index,
                message: "entry \(index) comes later in the journal, after entry \(claimed): entries were reordered"
            )
        }
        if later.contains(where: { claim(at: $0) == claimed }) {
            return JournalFault(
                kind: .inserted,
                position: index,
                message: "record \(index) repeats entry \(claimed), which comes again later: a copy was inserted"
            )
        }
        return JournalFault(
            kind: .removed,
            position: index,
            message: "record \(index) claims position \(claimed): "
                + (claimed - 1 > index ? "entries \(index)…\(claimed - 1) were removed" : "entry \(index) was removed")
        )
    }

    /// The position record `index` claims, parsing it the first time, or `nil` when it has none.
    private mutating func claim(at index: Int) -> Int? {
        if claims == nil { claims = Array(repeating: nil, count: records.count) }
        if let known = claims![index] { return known }
        let text = String(decoding: records[index].bytes, as: UTF8.self)
        guard let value = try? JSONValue(parsing: text), case .integer(let claimed)? = value["position"],
            claimed >= 0, claimed <= Int64(Int.max)
        else { return nil }
        claims![index] = Int(claimed)
        return Int(claimed)
    }
}
