/// Writes a JSON string literal: quoted, escaping `"`, `\` and U+0000…U+001F, everything else as its UTF-8 bytes.
///
/// Shared by ``JSONValue/jsonText(prettyPrinted:)`` (upper-case hex in `\u00XX`) and
/// ``JSONValue/canonicalJSONBytes()`` (lower-case, as RFC 8785 requires). Runs of bytes that need no escape are
/// copied in one go.
enum JSONStringEscaper {
    /// Appends `string` as a JSON string literal to `output`.
    ///
    /// - Parameters:
    ///   - string: The string.
    ///   - output: The UTF-8 bytes to append to.
    ///   - upperCaseHex: Whether `\u00XX` escapes use upper-case hex digits.
    static func append(_ string: String, to output: inout [UInt8], upperCaseHex: Bool) {
        output.append(UInt8(ascii: "\""))
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            appendEscaped(bytes, to: &output, upperCaseHex: upperCaseHex)
        }
        if done == nil {
            let bytes = Array(string.utf8)
            bytes.withUnsafeBufferPointer { appendEscaped($0, to: &output, upperCaseHex: upperCaseHex) }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(
        _ bytes: UnsafeBufferPointer<UInt8>,
        to output: inout [UInt8],
        upperCaseHex: Bool
    ) {
        var runStart = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): output += #"\""#.utf8
            case UInt8(ascii: "\\"): output += #"\\"#.utf8
            case 0x08: output += #"\b"#.utf8
            case 0x0C: output += #"\f"#.utf8
            case 0x0A: output += #"\n"#.utf8
            case 0x0D: output += #"\r"#.utf8
            case 0x09: output += #"\t"#.utf8
            default:
                let low = byte & 0x0F
                let letterBase = upperCaseHex ? UInt8(ascii: "A") : UInt8(ascii: "a")
                output += #"\u00"#.utf8
                output.append(UInt8(ascii: "0") + (byte >> 4))
                output.append(low < 10 ? UInt8(ascii: "0") + low : letterBase + low - 10)
            }
        }
        if runStart < bytes.count {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }
}
