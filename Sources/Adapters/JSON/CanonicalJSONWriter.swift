/// Writes RFC 8785 bytes in one walk and, on request, what the library's exact text (`jsonText()`) would write
/// differently, as patches: the journal derives an entry's stored bytes from its hashed bytes without a second walk.
///
/// The two forms differ in exactly four places, and nowhere else (both are compact, sort keys, and escape `"`, `\`
/// and the control characters with `\b \f \n \r \t`):
/// 1. a ``JSONValue/number(_:)`` (`Double.description` against ECMAScript's text: `2.0` against `2`);
/// 2. an ``JSONValue/integer(_:)`` beyond ±``JSONValue/largestCanonicalInteger`` (bare digits against a string);
/// 3. a string holding a control character written `\u00xx` (upper-case hex against lower-case);
/// 4. an object whose keys sort differently by UTF-8 and by UTF-16: only when one key differs from another first at a
///    character in U+E000…U+FFFF and the other at one beyond U+FFFF.
///
/// Cases 1–3 become patches (a canonical byte range and its stored replacement); case 4 sets ``keyOrdersDiffer``,
/// and the caller writes the stored form with `JSONTextWriter` instead. An entry of strings, small integers, Booleans,
/// nulls, arrays and objects with ordinary keys has no patch: its stored form is its canonical form.
struct CanonicalJSONWriter {
    /// The output: whatever the caller put first, then the canonical text.
    var output: [UInt8]
    /// Whether to record ``patches`` for the stored form.
    let recordsPatches: Bool
    /// The stored form's replacements, in output order: `output[canonical]` is stored as `side[replacement]`.
    private(set) var patches: [(canonical: Range<Int>, replacement: Range<Int>)] = []
    /// The bytes of the replacements.
    private(set) var side: [UInt8] = []
    /// Whether some object's keys sort differently by UTF-8 and UTF-16 (see the type's discussion, case 4).
    private(set) var keyOrdersDiffer = false

    /// Creates a writer appending to `output`.
    ///
    /// - Parameters:
    ///   - output: The bytes to append to (the journal puts the previous hash first).
    ///   - recordsPatches: Whether to record the stored form's differences.
    init(output: [UInt8] = [], recordsPatches: Bool) {
        self.output = output
        self.recordsPatches = recordsPatches
    }

    /// Writes `value` in RFC 8785 form.
    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .integer(let integer): write(integer)
        case .number(let number): write(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                write(element)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            // None or one member: nothing to sort (and no order of keys to compare), so no sorted array.
            if members.count <= 1 {
                output.append(UInt8(ascii: "{"))
                if let (key, value) = members.first {
                    _ = writeKey(key)
                    write(value)
                }
                output.append(UInt8(ascii: "}"))
                return
            }
            // A small object is sorted in a temporary buffer on the stack, not in an array (one allocation fewer
            // per object: a plan's steps, a step's result).
            guard members.count <= Self.stackSortedMembers else {
                writeObject(CanonicalJSONWriter.sorted(members, without: nil))
                return
            }
            withUnsafeTemporaryAllocation(of: SortedMember.self, capacity: members.count) { buffer in
                var count = 0
                for (key, value) in members {
                    (buffer.baseAddress! + count).initialize(to: (Self.sortPrefix(key), key, value))
                    count += 1
                }
                let sorted = UnsafeMutableBufferPointer(rebasing: buffer[..<count])
                Self.insertionSort(sorted)
                writeObject(UnsafeBufferPointer(sorted))
                sorted.deinitialize()
            }
        }
    }

    /// The most members an object may have to be sorted on the stack.
    static var stackSortedMembers: Int { 16 }

    /// Writes an object from members in UTF-16 key order (see ``sorted(_:without:)``).
    mutating func writeObject(_ members: [SortedMember]) {
        members.withUnsafeBufferPointer { writeObject($0) }
    }

    /// ``writeObject(_:)`` for members in a buffer.
    mutating func writeObject(_ members: UnsafeBufferPointer<SortedMember>) {
        output.append(UInt8(ascii: "{"))
        var mayDiffer = false
        for index in members.indices {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            mayDiffer = writeKey(members[index].key) || mayDiffer
            write(members[index].value)
        }
        output.append(UInt8(ascii: "}"))
        if mayDiffer { checkKeyOrders(members) }
    }

    /// Writes `"key":`; returns whether the key holds a byte at or above `EE` (case 4 is then possible).
    mutating func writeKey(_ key: String) -> Bool {
        let high = writeString(key)
        output.append(UInt8(ascii: ":"))
        return high
    }

    /// Sets ``keyOrdersDiffer`` when members in UTF-16 order are not also in UTF-8 order.
    mutating func checkKeyOrders(_ members: [SortedMember]) {
        members.withUnsafeBufferPointer { checkKeyOrders($0) }
    }

    /// ``checkKeyOrders(_:)`` for members in a buffer.
    mutating func checkKeyOrders(_ members: UnsafeBufferPointer<SortedMember>) {
        for index in members.indices.dropFirst()
        where !JSONKeyOrder.utf8Precedes(members[index - 1].key, members[index].key) {
            keyOrdersDiffer = true
        }
    }

    /// Writes an integer: digits within ±2⁵³ − 1, else a string of digits, patched back to bare digits.
    mutating func write(_ integer: Int64) {
        let start = output.count
        let large = integer.magnitude > UInt64(JSONValue.largestCanonicalInteger)
        if large { output.append(UInt8(ascii: "\"")) }
        if integer < 0 { output.append(UInt8(ascii: "-")) }
        ECMAScriptNumberFormatter.appendDecimal(integer.magnitude, to: &output)
        guard large else { return }
        output.append(UInt8(ascii: "\""))
        if recordsPatches {
            let replacement = side.count
            side.append(contentsOf: output[(start + 1)..<(output.count - 1)])
            patches.append((start..<output.count, replacement..<side.count))
        }
    }

    /// Writes a number as ECMAScript does, patched to `Double.description` for the stored form.
    mutating func write(_ number: Double) {
        guard number.isFinite else { return append("null") }
        let start = output.count
        ECMAScriptNumberFormatter.append(number, to: &output)
        if recordsPatches {
            let replacement = side.count
            side.append(contentsOf: number.description.utf8)
            patches.append((start..<output.count, replacement..<side.count))
        }
    }

    /// Writes a string literal; returns whether it holds a byte at or above `EE`.
    @discardableResult
    mutating func writeString(_ string: String) -> Bool {
        let start = output.count
        let flags =
            string.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
            ?? Array(string.utf8).withUnsafeBufferPointer { appendEscaped($0) }
        if flags.hexEscape && recordsPatches {
            let replacement = side.count
            JSONStringEscaper.append(string, to: &side, upperCaseHex: true)
            patches.append((start..<output.count, replacement..<side.count))
        }
        return flags.high
    }

    /// Appends `bytes` quoted and escaped (RFC 8785: lower-case hex); reports `\u00xx` escapes and bytes ≥ `EE`.
    ///
    /// Eight bytes at a time are passed over when all are plain (``isPlain(_:)``), as most of a journal's strings
    /// are; the others are looked at one by one.
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) -> (hexEscape: Bool, high: Bool) {
        output.append(UInt8(ascii: "\""))
        var hexEscape = false
        var high = false
        var runStart = 0
        var index = 0
        while index < bytes.count {
            if bytes.count - index >= 8,
                Self.isPlain(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
            {
                index += 8
                continue
            }
            let byte = bytes[index]
            index += 1
            if byte >= 0xEE { high = true }
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            let at = index - 1
            if runStart < at { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<at])) }
            runStart = index
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                hexEscape = true
                let low = byte & 0x0F
                output += "u00".utf8
                output.append(UInt8(ascii: "0") + (byte >> 4))
                output.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
            }
        }
        if runStart < bytes.count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
        return (hexEscape, high)
    }

    /// Whether eight bytes (in either byte order) are all printable ASCII other than `"` and `\`: nothing to
    /// escape and no byte at or above `EE`.
    static func isPlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte at or above 0x80 (UTF-8 beyond ASCII): looked at one by one.
        guard word & highs == 0 else { return false }
        // With no high bit in `x`, `(x − n·ones) & highs` is non-zero exactly when some byte of `x` is below `n`
        // (a byte at or above `n` borrows only from a lower byte below it); a byte equal to `c` is a byte of
        // `x ^ c·ones` below 1, which has no high bit either.
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        return ((word &- ones &* 0x20) | (quotes &- ones) | (backslashes &- ones)) & highs == 0
    }

    /// Appends `text`'s bytes as they are (punctuation, or a key that needs no escape).
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }
}

extension CanonicalJSONWriter {
    /// An object member with its sort key: the first 8 UTF-8 bytes, big-endian, re-weighted for UTF-16 order.
    typealias SortedMember = (prefix: UInt64, key: String, value: JSONValue)

    /// The members in RFC 8785 order (UTF-16 code units), without the member named `excluded`.
    ///
    /// Sorting compares 8-byte prefixes and falls back to the full comparison only on a tie, so a typical object
    /// sorts without touching its strings again.
    static func sorted(_ members: [String: JSONValue], without excluded: String?) -> [SortedMember] {
        var sorted: [SortedMember] = []
        sorted.reserveCapacity(members.count)
        for (key, value) in members where key != excluded { sorted.append((sortPrefix(key), key, value)) }
        sort(&sorted)
        return sorted
    }

    /// The members and `extra` in RFC 8785 order, as one object in which `extra`'s members replace same-named ones:
    /// the object `members` with `extra` set in it, without building that dictionary.
    static func sorted(_ members: [String: JSONValue], adding extra: [(key: String, value: JSONValue)])
        -> [SortedMember]
    {
        var sorted: [SortedMember] = []
        sorted.reserveCapacity(members.count + extra.count)
        for (key, value) in members where !extra.contains(where: { $0.key == key }) {
            sorted.append((sortPrefix(key), key, value))
        }
        for (key, value) in extra { sorted.append((sortPrefix(key), key, value)) }
        sort(&sorted)
        return sorted
    }

    /// Sorts `members` by ``precedes(_:_:)`` in place: the caller's array, uniquely held, is sorted without a copy
    /// (a copy would retain every key and value once more).
    private static func sort(_ members: inout [SortedMember]) {
        guard members.count > 1 else { return }
        if members.count > 16 {
            members.sort(by: precedes)
            return
        }
        members.withUnsafeMutableBufferPointer { insertionSort($0) }
    }

    /// Sorts a few members by ``precedes(_:_:)`` in place: insertion sort by swaps (objects are small, and swapping
    /// moves members without retaining them).
    static func insertionSort(_ buffer: UnsafeMutableBufferPointer<SortedMember>) {
        guard buffer.count > 1 else { return }
        for end in 1..<buffer.count {
            var index = end
            while index > 0, precedes(buffer[index], buffer[index - 1]) {
                buffer.swapAt(index, index - 1)
                index -= 1
            }
        }
    }

    /// Whether `lhs` sorts before `rhs` by UTF-16 code units.
    @inline(__always)
    static func precedes(_ lhs: SortedMember, _ rhs: SortedMember) -> Bool {
        if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
        return JSONKeyOrder.utf16Precedes(lhs.key, rhs.key)
    }

    /// The first 8 UTF-8 bytes of `key`, big-endian, zero-padded, with `EE`/`EF` lifted above `F0`…`F4`.
    ///
    /// Lifting `EE` to `FE` and `EF` to `FF` (bytes UTF-8 never uses) keeps byte order equal to UTF-16 order, as
    /// ``JSONKeyOrder`` explains; equal prefixes need the full comparison.
    static func sortPrefix(_ key: String) -> UInt64 {
        func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var result: UInt64 = 0
            for index in 0..<8 {
                var byte = index < bytes.count ? bytes[index] : 0
                if byte == 0xEE || byte == 0xEF { byte |= 0x10 }
                result = result << 8 | UInt64(byte)
            }
            return result
        }
        return key.utf8.withContiguousStorageIfAvailable(prefix) ?? Array(key.utf8).withUnsafeBufferPointer(prefix)
    }
}
