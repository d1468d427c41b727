extension JournalChain {
    /// The chain hash of a stored record computed from its bytes, when they are the entry's RFC 8785 form with the
    /// `hash` member in it; `nil` when they are not (the caller then re-serialises the parsed entry).
    ///
    /// A record this library wrote without doubles, integers beyond ±(2⁵³ − 1), `\u00xx` escapes or non-ASCII keys
    /// is exactly its canonical form plus the `hash` member (see ``CanonicalJSONWriter``), so its hash input is the
    /// previous hash and the record's bytes with that member cut out: no tree to walk, no keys to sort, no text to
    /// print. The scan accepts only what RFC 8785 would write itself (no whitespace; keys of ASCII without
    /// escapes, in strictly increasing order; integers without sign of zero, fraction or exponent within 2⁵³; the
    /// seven short escapes only), so a record reformatted in any way falls back to the full path and hashes the same
    /// as before. `bytes` must already have parsed as JSON (the scan checks canonical form, not JSON grammar).
    ///
    /// - Parameters:
    ///   - bytes: The record's bytes, valid JSON and UTF-8.
    ///   - previous: The hash of the entry before, or the chain's genesis.
    /// - Returns: The entry's hash, or `nil` when the bytes are not in canonical form.
    package static func canonicalRecordHash(
        _ bytes: UnsafeBufferPointer<UInt8>,
        after previous: SHA256Digest
    ) -> SHA256Digest? {
        var scanner = CanonicalRecordScanner(bytes: bytes)
        guard let cut = scanner.hashMember() else { return nil }
        var hasher = SHA256()
        previous.withUnsafeBytes { hasher.update($0) }
        hasher.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<cut.lowerBound])))
        hasher.update(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[cut.upperBound...])))
        return hasher.finalize()
    }
}

/// Checks that JSON text is in RFC 8785 form (within the subset ``JournalChain/canonicalRecordHash(_:after:)``
/// accepts) and finds the top-level `hash` member.
struct CanonicalRecordScanner {
    /// Nesting deeper than this is left to the full path.
    private static let maximumDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    /// The cursor: the offset of the next byte to scan.
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The byte at the cursor, or 0 past the end.
    var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// The bytes to cut for the canonical form without `hash`: the member and one comma beside it; `nil` when the
    /// text is not canonical or has no top-level `hash` member.
    mutating func hashMember() -> Range<Int>? {
        guard current == UInt8(ascii: "{") else { return nil }
        index += 1
        var previousKey: Range<Int>?
        var member: Range<Int>?
        guard current != UInt8(ascii: "}") else { return nil }
        while true {
            let start = index
            guard let key = scanKey(after: previousKey) else { return nil }
            previousKey = key
            guard scanValue(depth: 1) else { return nil }
            if isHash(key) { member = start..<index }
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard current == UInt8(ascii: "}") else { return nil }
            index += 1
            break
        }
        guard index == bytes.count, let member else { return nil }
        if bytes[member.upperBound] == UInt8(ascii: ",") { return member.lowerBound..<(member.upperBound + 1) }
        if bytes[member.lowerBound - 1] == UInt8(ascii: ",") { return (member.lowerBound - 1)..<member.upperBound }
        return member
    }

    /// Whether the key's bytes are `hash`.
    private func isHash(_ key: Range<Int>) -> Bool {
        key.count == 4 && bytes[key.lowerBound] == UInt8(ascii: "h") && bytes[key.lowerBound + 1] == UInt8(ascii: "a")
            && bytes[key.lowerBound + 2] == UInt8(ascii: "s") && bytes[key.lowerBound + 3] == UInt8(ascii: "h")
    }

    /// Scans `"key":`; the key must be ASCII without escapes and sort after `previous`. Returns the key's bytes.
    mutating func scanKey(after previous: Range<Int>?) -> Range<Int>? {
        guard current == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        let key = start..<index
        guard current == UInt8(ascii: "\"") else { return nil }
        index += 1
        guard current == UInt8(ascii: ":") else { return nil }
        index += 1
        if let previous, !precedes(previous, key) { return nil }
        return key
    }

    /// Whether the bytes of `lhs` sort strictly before those of `rhs` (ASCII: byte order is UTF-16 order).
    private func precedes(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        let common = min(lhs.count, rhs.count)
        for offset in 0..<common {
            let left = bytes[lhs.lowerBound + offset]
            let right = bytes[rhs.lowerBound + offset]
            if left != right { return left < right }
        }
        return lhs.count < rhs.count
    }

    /// Scans one value in canonical form.
    mutating func scanValue(depth: Int) -> Bool {
        switch current {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { return false }
            index += 1
            if current == UInt8(ascii: "}") {
                index += 1
                return true
            }
            var previousKey: Range<Int>?
            while true {
                guard let key = scanKey(after: previousKey), scanValue(depth: depth + 1) else { return false }
                previousKey = key
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "}") else { return false }
                index += 1
                return true
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { return false }
            index += 1
            if current == UInt8(ascii: "]") {
                index += 1
                return true
            }
            while true {
                guard scanValue(depth: depth + 1) else { return false }
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "]") else { return false }
                index += 1
                return true
            }
        case UInt8(ascii: "\""): return scanString()
        case UInt8(ascii: "t"): return scanLiteral("true")
        case UInt8(ascii: "f"): return scanLiteral("false")
        case UInt8(ascii: "n"): return scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return scanInteger()
        default: return false
        }
    }

    /// Scans a string whose escapes are the seven RFC 8785 writes (`\" \\ \b \f \n \r \t`).
    private mutating func scanString() -> Bool {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return true
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                switch current {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                    UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                    continue
                default: return false
                }
            }
            guard byte >= 0x20 else { return false }
            index += 1
        }
        return false
    }

    /// Scans `literal`.
    private mutating func scanLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// Scans an integer RFC 8785 writes as digits: no `-0`, no fraction or exponent, magnitude below 2⁵³.
    private mutating func scanInteger() -> Bool {
        var negative = false
        if current == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var magnitude: UInt64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            guard index - start < 16 else { return false }
            magnitude = magnitude * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > start, current != UInt8(ascii: "."), current != UInt8(ascii: "e"), current != UInt8(ascii: "E")
        else { return false }
        // A leading zero is canonical only as the whole number, and `-0` is written `0`.
        if bytes[start] == UInt8(ascii: "0"), index - start > 1 || negative { return false }
        return magnitude <= UInt64(JSONValue.largestCanonicalInteger)
    }
}

extension CanonicalRecordScanner {
    /// Scans one value in canonical form as ``scanValue(depth:)`` does and builds it in the same pass: the value
    /// `JSONTextParser` reads from the same text, or `nil` exactly where `scanValue` answers `false`.
    ///
    /// A reader that wants a member's value built (`JournalChain.scanCanonicalRecord(_:knownVersion:reading:)`) walks
    /// its bytes once, instead of scanning them and then parsing them again: an object's members go straight into
    /// its dictionary (the scan has checked that its keys increase, so each is new), with no parser stack and no
    /// list of members to convert.
    ///
    /// - Parameter depth: The value's nesting depth (the record's members are at 1).
    /// - Returns: The value, or `nil` when the text is not canonical.
    mutating func readValue(depth: Int) -> JSONValue? {
        switch current {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { return nil }
            index += 1
            if current == UInt8(ascii: "}") {
                index += 1
                return .object([:])
            }
            // Room for three members without growing (the nested objects of a run's entries rarely hold more).
            var members: [String: JSONValue] = Dictionary(minimumCapacity: 3)
            var previousKey: Range<Int>?
            while true {
                guard let key = scanKey(after: previousKey), let value = readValue(depth: depth + 1) else { return nil }
                previousKey = key
                members[String(decoding: UnsafeBufferPointer(rebasing: bytes[key]), as: UTF8.self)] = value
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "}") else { return nil }
                index += 1
                return .object(members)
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { return nil }
            index += 1
            if current == UInt8(ascii: "]") {
                index += 1
                return .array([])
            }
            var elements: [JSONValue] = []
            while true {
                guard let element = readValue(depth: depth + 1) else { return nil }
                elements.append(element)
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard current == UInt8(ascii: "]") else { return nil }
                index += 1
                return .array(elements)
            }
        case UInt8(ascii: "\""): return readString()
        case UInt8(ascii: "t"): return scanLiteral("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return scanLiteral("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return scanLiteral("null") ? .null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return readInteger()
        default: return nil
        }
    }

    /// ``scanString()``, building the string: its bytes as they are when it has no escape, else with the seven
    /// escapes RFC 8785 writes decoded (as the parser decodes them).
    private mutating func readString() -> JSONValue? {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return .string(text)
            }
            if byte == UInt8(ascii: "\\") {
                index = start
                return readEscapedString()
            }
            guard byte >= 0x20 else { return nil }
            index += 1
        }
        return nil
    }

    /// The rest of ``readString()`` for a string with an escape, from the byte after its opening quote.
    private mutating func readEscapedString() -> JSONValue? {
        var buffer: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return .string(String(decoding: buffer, as: UTF8.self))
            }
            if byte == UInt8(ascii: "\\") {
                index += 1
                switch current {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(current)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                default: return nil
                }
                index += 1
                continue
            }
            guard byte >= 0x20 else { return nil }
            buffer.append(byte)
            index += 1
        }
        return nil
    }

    /// ``scanInteger()``, building the integer.
    private mutating func readInteger() -> JSONValue? {
        let negative = current == UInt8(ascii: "-")
        let start = negative ? index + 1 : index
        guard scanInteger() else { return nil }
        var magnitude: Int64 = 0
        for byte in UnsafeBufferPointer(rebasing: bytes[start..<index]) {
            magnitude = magnitude * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return .integer(negative ? -magnitude : magnitude)
    }
}
