import Testing

@testable import AgentAdapters

/// The canonical writer passes over eight plain bytes at a time (`CanonicalJSONWriter.isPlain`): wherever a byte to
/// escape or a byte at or above `EE` sits (at every offset, so in any eight-byte word), a string must be written as
/// the byte-by-byte escape writes it, with the same `\u00xx` patch and the same report of high bytes.
@Suite("Canonical strings written eight bytes at a time", .timeLimit(.suite))
struct CanonicalStringWriteTests {
    /// RFC 8785's escape of `string`, one byte at a time, with whether it needs a `\u00xx` escape and holds a byte
    /// at or above `EE`.
    static func reference(_ string: String) -> (bytes: [UInt8], hexEscape: Bool, high: Bool) {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        var hexEscape = false
        var high = false
        let hex = Array("0123456789abcdef".utf8)
        for byte in string.utf8 {
            if byte >= 0xEE { high = true }
            switch byte {
            case UInt8(ascii: "\""): bytes += Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): bytes += Array(#"\\"#.utf8)
            case 0x08: bytes += Array(#"\b"#.utf8)
            case 0x0C: bytes += Array(#"\f"#.utf8)
            case 0x0A: bytes += Array(#"\n"#.utf8)
            case 0x0D: bytes += Array(#"\r"#.utf8)
            case 0x09: bytes += Array(#"\t"#.utf8)
            case 0..<0x20:
                hexEscape = true
                bytes += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return (bytes, hexEscape, high)
    }

    @Test("A special byte at every offset of strings of every length up to 40 is written as one byte at a time")
    func specialBytesAtEveryOffset() {
        let specials: [String] = [
            "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "\u{08}", "\u{0C}", "\r", " ", "~", "\u{7F}", "é",
            "\u{E000}", "\u{FFFF}", "😀", "\u{ED}",
        ]
        for length in 0...40 {
            for offset in 0..<max(1, length) {
                for special in specials where length > 0 {
                    let string =
                        String(repeating: "a", count: offset) + special
                        + String(repeating: "b", count: length - offset - 1)
                    check(string)
                }
            }
            check(String(repeating: "x", count: length))
        }
    }

    private func check(_ string: String) {
        let expected = Self.reference(string)
        var writer = CanonicalJSONWriter(recordsPatches: true)
        let high = writer.writeString(string)
        #expect(writer.output == expected.bytes, "\(Array(string.utf8))")
        #expect(high == expected.high, "\(Array(string.utf8))")
        #expect(writer.patches.count == (expected.hexEscape ? 1 : 0), "\(Array(string.utf8))")
    }

    @Test("An object of none or one member is written as the sorted walk writes it, patches included")
    func smallObjectsMatchTheSortedWalk() {
        let keys = ["", "a", "kind", "\"", "\u{01}", "é", "\u{E000}", "😀", String(repeating: "k", count: 20)]
        let values: [JSONValue] = [
            .null, true, 7, .integer(1 << 60), 2.5, "x\u{01}y", "plain", [:], ["inner": "\u{02}"], [1, ["b": 2.0]],
        ]
        var objects: [[String: JSONValue]] = [[:]]
        for key in keys { for value in values { objects.append([key: value]) } }
        for members in objects {
            for nested in [false, true] {
                let value: JSONValue = nested ? ["outer": .object(members), "z": 1] : .object(members)
                var direct = CanonicalJSONWriter(recordsPatches: true)
                direct.write(value)
                var walked = CanonicalJSONWriter(recordsPatches: true)
                if nested {
                    walked.writeObject(CanonicalJSONWriter.sorted(["outer": .object(members), "z": 1], without: nil))
                } else {
                    walked.writeObject(CanonicalJSONWriter.sorted(members, without: nil))
                }
                #expect(direct.output == walked.output, "\(members)")
                #expect(direct.side == walked.side, "\(members)")
                #expect(direct.patches.map(\.canonical) == walked.patches.map(\.canonical), "\(members)")
                #expect(direct.patches.map(\.replacement) == walked.patches.map(\.replacement), "\(members)")
                #expect(direct.keyOrdersDiffer == walked.keyOrdersDiffer, "\(members)")
            }
        }
    }

    @Test("Eight bytes are plain exactly when each is printable ASCII or DEL, and neither a quote nor a backslash")
    func plainWordsAreExactlyThePlainBytes() {
        for byte in UInt8.min...UInt8.max {
            let plain = byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
            for position in 0..<8 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[position] = byte
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(CanonicalJSONWriter.isPlain(word) == plain, "byte \(byte) at \(position)")
            }
        }
    }
}
