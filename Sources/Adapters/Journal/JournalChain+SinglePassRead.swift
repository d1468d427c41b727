/// A record read in one pass over its bytes: its envelope as values, its other members as the entry.
package struct SinglePassRecord {
    /// The entry's members without the four envelope fields (none when the scan read them as ``fields``).
    package var members: [String: JSONValue]
    /// The entry's members without the envelope fields, `kind` and `at`, in stored order, when the scan read them as
    /// a list (``MemberReading/kindAndAtApart``); empty otherwise.
    package var fields = EntryFields()
    /// The position the record claims.
    package var position: Int
    /// The hash the record chains from.
    package var previousHash: SHA256Digest
    /// The record's own hash, recomputed from its bytes and equal to the stored one.
    package var hash: SHA256Digest
    /// The entry's `kind`, when the scan read it apart from ``members`` (``MemberReading/kindAndAtApart``, a string
    /// without escapes); `nil` otherwise, and then any `kind` member is in ``members``.
    package var kind: String? = nil
    /// The entry's `at`, when the scan read it apart from ``members`` (``MemberReading/kindAndAtApart``, an
    /// integer); `nil` otherwise, and then any `at` member is in ``members``.
    package var at: Int64? = nil
}

/// What a single-pass scan builds of a record's members besides the envelope.
enum MemberReading {
    /// Nothing: the values are scanned (their canonical form checked) but not built, as `verify()` wants.
    case none
    /// Every member but the envelope fields, in the dictionary.
    case all
    /// Every member but the envelope fields as ``EntryFields`` (a list, in stored order, no dictionary), except
    /// `kind` when it is a string without escapes and `at` when it is an integer: those are read as values beside
    /// the list (a run journal's reader takes them out of it again otherwise).
    case kindAndAtApart
}

/// A record scanned in one pass, its hash not yet checked: ``SinglePassRecord`` and the bytes its hash input leaves
/// out.
struct ScannedRecord {
    /// The record's envelope and members (none when they were not asked for).
    var record: SinglePassRecord
    /// The `hash` member and one comma beside it.
    var cut: Range<Int>
}

extension JournalChain {
    /// Reads a record in canonical form in one pass: checks the canonical form member by member (as
    /// ``canonicalRecordHash(_:after:)`` does), parses the envelope fields straight into values (versions and
    /// positions as integers, hashes as hex bytes, no `String` and no dictionary slot for either), parses every
    /// other member's value into the entry's dictionary, and hashes the bytes without the `hash` member.
    ///
    /// Returns `nil` for anything but a well-formed, canonical, intact record of a known version: invalid UTF-8, text
    /// that is not canonical or not JSON, an envelope field missing or of the wrong type, a version above
    /// `knownVersion`, or a hash that does not match. The caller then reads the record the full way, which finds the
    /// same fault it always has: this path only ever accepts records that one would accept, with the same values.
    ///
    /// - Parameters:
    ///   - bytes: The record's bytes.
    ///   - knownVersion: The highest entry format version the caller understands.
    /// - Returns: The record, or `nil` when the full path must read it.
    package static func readCanonicalRecord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        knownVersion: Int64
    ) -> SinglePassRecord? {
        guard let scanned = scanCanonicalRecord(bytes, knownVersion: knownVersion, reading: .all) else {
            return nil
        }
        var hasher = SHA256()
        scanned.record.previousHash.withUnsafeBytes { hasher.update($0) }
        hasher.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<scanned.cut.lowerBound])))
        hasher.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[scanned.cut.upperBound...])))
        guard hasher.finalize() == scanned.record.hash else { return nil }
        return scanned.record
    }

    /// ``readCanonicalRecord(_:knownVersion:)`` without the hash: the record's envelope, its members (as `reading`
    /// asks: none, all, or all but `kind` and `at`, read as values) and the bytes its hash input leaves out.
    ///
    /// The record is accepted only when its hash input, hashed, equals `record.hash`; a caller that hashes many
    /// records at once (``SHA256Batch``) appends that input with ``appendHashInput(of:_:to:)``.
    ///
    /// - Parameters:
    ///   - bytes: The record's bytes.
    ///   - knownVersion: The highest entry format version the caller understands.
    ///   - reading: What to build of the entry's members.
    /// - Returns: The scanned record, or `nil` when the full path must read it.
    static func scanCanonicalRecord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        knownVersion: Int64,
        reading: MemberReading
    ) -> ScannedRecord? {
        guard isValidUTF8(bytes) else { return nil }
        var scanner = CanonicalRecordScanner(bytes: bytes)
        guard scanner.current == UInt8(ascii: "{") else { return nil }
        scanner.index = 1
        var previousKey: Range<Int>?
        // Room for six members without growing (a run entry's fields rarely hold more); `init(minimumCapacity:)`
        // is specialised here, where `reserveCapacity` was a generic call that looked up metadata per record.
        var members: [String: JSONValue] = reading == .all ? Dictionary(minimumCapacity: 6) : [:]
        var fields = EntryFields()
        if reading == .kindAndAtApart { fields.reserveCapacity(6) }
        var kind: String?
        var at: Int64?
        var version: Int64?
        var position: Int64?
        var previousHash: SHA256Digest?
        var hash: SHA256Digest?
        var hashMember: Range<Int>?
        while true {
            let memberStart = scanner.index
            guard let key = scanner.scanKey(after: previousKey) else { return nil }
            previousKey = key
            let keyBytes = UnsafeBufferPointer(rebasing: bytes[key])
            let valueStart = scanner.index
            if let envelopeKey = EnvelopeKey(keyBytes) {
                switch envelopeKey {
                case .hash, .previousHash:
                    // Read straight from its bytes, not scanned as a string first: a string of 64 lower-case hex
                    // digits is canonical, so this accepts exactly what scanning it and then reading it accepted.
                    guard let digest = digest(at: valueStart, in: bytes) else { return nil }
                    scanner.index = valueStart + 66
                    if envelopeKey == .hash {
                        hash = digest
                        hashMember = memberStart..<scanner.index
                    } else {
                        previousHash = digest
                    }
                case .version, .position:
                    guard scanner.scanValue(depth: 1),
                        let integer = integer(UnsafeBufferPointer(rebasing: bytes[valueStart..<scanner.index]))
                    else { return nil }
                    if envelopeKey == .version { version = integer } else { position = integer }
                }
            } else if reading == .none {
                // A value the scan accepts is canonical JSON: skipping it when the members are not wanted accepts
                // exactly the records that building them would.
                guard scanner.scanValue(depth: 1) else { return nil }
            } else {
                // Scanned and built in one pass: the value the parser reads from the same text.
                guard let parsed = scanner.readValue(depth: 1) else { return nil }
                if reading == .kindAndAtApart {
                    let value = UnsafeBufferPointer(rebasing: bytes[valueStart..<scanner.index])
                    if equal(keyBytes, "kind"), case .string(let text) = parsed, !value.contains(UInt8(ascii: "\\")) {
                        kind = text
                    } else if equal(keyBytes, "at"), case .integer(let integer) = parsed {
                        at = integer
                    } else {
                        // The scan has checked that keys increase: each is new.
                        fields.appendNew(String(decoding: keyBytes, as: UTF8.self), parsed)
                    }
                } else {
                    members[String(decoding: keyBytes, as: UTF8.self)] = parsed
                }
            }
            if scanner.current == UInt8(ascii: ",") {
                scanner.index += 1
                continue
            }
            guard scanner.current == UInt8(ascii: "}") else { return nil }
            scanner.index += 1
            break
        }
        guard scanner.index == bytes.count, let version, version >= 1, version <= knownVersion, let position,
            position >= 0, let previousHash, let hash, let hashMember
        else { return nil }
        // The hash input is the previous hash and the record without its `hash` member and one comma beside it.
        let cut: Range<Int>
        if bytes[hashMember.upperBound] == UInt8(ascii: ",") {
            cut = hashMember.lowerBound..<(hashMember.upperBound + 1)
        } else if bytes[hashMember.lowerBound - 1] == UInt8(ascii: ",") {
            cut = (hashMember.lowerBound - 1)..<hashMember.upperBound
        } else {
            cut = hashMember
        }
        return ScannedRecord(
            record: SinglePassRecord(
                members: members,
                fields: fields,
                position: Int(position),
                previousHash: previousHash,
                hash: hash,
                kind: kind,
                at: at
            ),
            cut: cut
        )
    }

    /// Appends a scanned record's hash input (its previous hash, then its bytes without the cut) to `batch` as one
    /// message.
    ///
    /// - Parameters:
    ///   - scanned: The record as ``scanCanonicalRecord(_:knownVersion:buildingMembers:)`` read it.
    ///   - bytes: The record's bytes.
    ///   - batch: The batch to append to.
    static func appendHashInput(
        of scanned: ScannedRecord,
        _ bytes: UnsafeBufferPointer<UInt8>,
        to batch: inout SHA256Batch
    ) {
        scanned.record.previousHash.withUnsafeBytes { batch.append($0) }
        batch.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<scanned.cut.lowerBound])))
        batch.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[scanned.cut.upperBound...])))
        batch.finishMessage()
    }

    /// Whether `bytes` are UTF-8: ASCII is checked eight bytes at a time; anything else by the standard library.
    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        var high: UInt64 = 0
        while offset + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < bytes.count {
            high |= UInt64(bytes[offset])
            offset += 1
        }
        if high & 0x8080_8080_8080_8080 == 0 { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// Whether `key` holds exactly `name`'s bytes.
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        let bytes = name.utf8Start
        for offset in 0..<key.count where key[offset] != bytes[offset] { return false }
        return true
    }

    /// A digest written as a JSON string of 64 lower-case hex digits from `start` (its opening quote) on, or `nil`.
    private static func digest(at start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> SHA256Digest? {
        guard start + 66 <= bytes.count, bytes[start] == UInt8(ascii: "\""), bytes[start + 65] == UInt8(ascii: "\"")
        else { return nil }
        return SHA256Digest.parseHex(UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(start + 65)]))
    }

    /// A canonical integer (the scanner has checked its form and range), or `nil` for any other value.
    private static func integer(_ value: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let first = value.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        var magnitude: Int64 = 0
        for byte in negative ? UnsafeBufferPointer(rebasing: value[1...]) : value {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            magnitude = magnitude * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return negative ? -magnitude : magnitude
    }
}

/// The four envelope fields, recognised from a key's bytes.
private enum EnvelopeKey {
    case version, position, previousHash, hash

    init?(_ key: UnsafeBufferPointer<UInt8>) {
        switch key.count {
        case 4 where Self.equal(key, "hash"): self = .hash
        case 7 where Self.equal(key, "version"): self = .version
        case 8 where Self.equal(key, "position"): self = .position
        case 12 where Self.equal(key, "previousHash"): self = .previousHash
        default: return nil
        }
    }

    /// Whether `key` holds `name`'s bytes (the caller has checked the count).
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        let bytes = name.utf8Start
        for offset in 0..<key.count where key[offset] != bytes[offset] { return false }
        return true
    }
}
