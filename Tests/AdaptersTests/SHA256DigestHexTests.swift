import Testing

@testable import AgentAdapters

/// `SHA256Digest.parseHex` reads eight digits at a time as one 64-bit word; these tests hold it to a digit-by-digit
/// reading: every byte value at every position is accepted exactly when it is a lower-case hex digit, with its value.
@Suite("SHA-256 digests parsed from hex", .timeLimit(.suite))
struct SHA256DigestHexTests {
    /// The digest a digit-by-digit reading gives, or `nil` when a byte is not `0…9` or `a…f`.
    static func reference(_ digits: [UInt8]) -> SHA256Digest? {
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for pair in stride(from: 0, to: 64, by: 2) {
            var byte: UInt8 = 0
            for digit in digits[pair...(pair + 1)] {
                switch digit {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): byte = byte << 4 | (digit - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): byte = byte << 4 | (digit - UInt8(ascii: "a") + 10)
                default: return nil
                }
            }
            bytes.append(byte)
        }
        return SHA256Digest(bytes: bytes)
    }

    static func parsed(_ digits: [UInt8]) -> SHA256Digest? {
        digits.withUnsafeBufferPointer(SHA256Digest.parseHex)
    }

    @Test("Every byte value at every position: accepted exactly when a lower-case hex digit, with its value")
    func everyByteAtEveryPosition() {
        let base = Array("0123456789abcdeffedcba98765432100f1e2d3c4b5a69788796a5b4c3d2e1f0".utf8)
        #expect(Self.parsed(base) == Self.reference(base))
        #expect(Self.parsed(base)?.description == String(decoding: base, as: UTF8.self))
        var mismatches = 0
        for position in 0..<64 {
            var digits = base
            for value in 0...255 {
                digits[position] = UInt8(value)
                if Self.parsed(digits) != Self.reference(digits) { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("Random digests read back from their text; wrong lengths are refused")
    func randomDigests() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<32 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            let digest = SHA256Digest(bytes: bytes)!
            let text = Array(digest.description.utf8)
            #expect(Self.parsed(text) == digest)
            #expect(Self.parsed(Array(text.dropLast())) == nil)
            #expect(Self.parsed(text + [UInt8(ascii: "0")]) == nil)
        }
    }
}
