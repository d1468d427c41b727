/// The two key orders the library writes objects in, compared on UTF-8 bytes without allocating.
enum JSONKeyOrder {
    /// Whether `lhs` sorts before `rhs` by UTF-8 bytes (the order of ``JSONValue/jsonText(prettyPrinted:)``).
    ///
    /// - Parameters:
    ///   - lhs: A key.
    ///   - rhs: Another key.
    /// - Returns: Whether `lhs` comes first.
    static func utf8Precedes(_ lhs: String, _ rhs: String) -> Bool { compare(lhs, rhs, utf16: false) }

    /// Whether `lhs` sorts before `rhs` by UTF-16 code units (the order of RFC 8785), computed on UTF-8 bytes.
    ///
    /// UTF-8 byte order is code point order, which is UTF-16 order except that U+E000…U+FFFF (UTF-8 lead bytes
    /// `EE` and `EF`) sort after the supplementary planes (lead bytes `F0`…`F4`, surrogates in UTF-16). Lifting
    /// `EE` and `EF` above `F4` at the first differing byte repairs that; they never occur as continuation bytes.
    ///
    /// - Parameters:
    ///   - lhs: A key.
    ///   - rhs: Another key.
    /// - Returns: Whether `lhs` comes first.
    static func utf16Precedes(_ lhs: String, _ rhs: String) -> Bool { compare(lhs, rhs, utf16: true) }

    private static func compare(_ lhs: String, _ rhs: String, utf16: Bool) -> Bool {
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                precedes(left, right, utf16: utf16)
            }
        }
        if let result = fast ?? nil { return result }
        return precedes(Array(lhs.utf8), Array(rhs.utf8), utf16: utf16)
    }

    private static func precedes(
        _ left: some RandomAccessCollection<UInt8>,
        _ right: some RandomAccessCollection<UInt8>,
        utf16: Bool
    ) -> Bool {
        var i = left.startIndex
        var j = right.startIndex
        while i != left.endIndex, j != right.endIndex {
            let a = left[i]
            let b = right[j]
            if a != b {
                guard utf16 else { return a < b }
                return weight(a) < weight(b)
            }
            left.formIndex(after: &i)
            right.formIndex(after: &j)
        }
        return i == left.endIndex && j != right.endIndex
    }

    @inline(__always)
    private static func weight(_ byte: UInt8) -> UInt16 {
        byte == 0xEE || byte == 0xEF ? UInt16(byte) + 0x10 : UInt16(byte)
    }
}
