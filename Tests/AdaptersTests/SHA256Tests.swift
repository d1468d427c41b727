import AgentAdapters
import Testing

@Suite("SHA-256", .timeLimit(.suite))
struct SHA256Tests {
    private func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for byte in text.utf8 {
            let nibble: UInt8 =
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
                default: 0xFF
                }
            guard nibble != 0xFF else { continue }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    @Test(
        "The FIPS 180-2 examples",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmn"
                    + "opqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
    )
    func fipsExamples(message: String, digest: String) {
        #expect(SHA256.hash(Array(message.utf8)).description == digest)
        #expect(SHA256.hash(message.utf8).description == digest)
    }

    @Test("One million 'a's, fed in uneven pieces")
    func millionAs() {
        var hasher = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 997)
        var fed = 0
        while fed < 1_000_000 {
            let count = min(piece.count, 1_000_000 - fed)
            hasher.update(piece[0..<count])
            fed += count
        }
        #expect(
            hasher.finalize().description == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    @Test("The byte-oriented SHAVS short messages (CAVS 21.3, 0 to 64 bytes)")
    func shavsShortMessages() throws {
        let file = try #require(FixtureFiles.read("SHA256ShortMsg.rsp"), "FixtureData/SHA256ShortMsg.rsp is missing")
        var message: [UInt8]?
        var length = -1
        var checked = 0
        for line in String(decoding: file, as: UTF8.self).split(separator: "\n") {
            let line = line.trimmingSuffix(while: { $0 == "\r" })
            if line.hasPrefix("Len = ") {
                length = Int(line.dropFirst(6))! / 8
            } else if line.hasPrefix("Msg = ") {
                message = length == 0 ? [] : hex(String(line.dropFirst(6)))
            } else if line.hasPrefix("MD = "), let bytes = message {
                #expect(bytes.count == length)
                #expect(SHA256.hash(bytes).description == String(line.dropFirst(5)), "Len = \(length * 8)")
                checked += 1
                message = nil
            }
        }
        #expect(checked == 65)
    }

    @Test("Every length from 0 to 519 bytes matches an independent implementation (Python's hashlib)")
    func everyLengthAcrossBlockBoundaries() {
        // The expected value is SHA-256 over the concatenated digests, computed with Python's hashlib.
        var outer = SHA256()
        for length in 0..<520 {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3 + length) }
            SHA256.hash(message).withUnsafeBytes { outer.update($0) }
        }
        #expect(outer.finalize().description == "0f9a69229b77248fe2eaa3515fbbf931956455776d16998d787c154d58f3757a")
    }

    @Test("Feeding a message in any split gives the digest of the whole", arguments: [1, 3, 55, 56, 63, 64, 65, 127])
    func splitUpdates(pieceLength: Int) {
        let message = (0..<700).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }
        let whole = SHA256.hash(message)
        var hasher = SHA256()
        var start = 0
        while start < message.count {
            let end = min(start + pieceLength, message.count)
            hasher.update(message[start..<end])
            start = end
        }
        #expect(hasher.finalize() == whole)
        var bytewise = SHA256()
        bytewise.update(AnyCollection(message))  // not contiguous: the byte-at-a-time path
        #expect(bytewise.finalize() == whole)
    }

    @Test("finalize() leaves the hasher usable: a later call digests the longer message")
    func finalizeDoesNotConsume() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        let prefix = hasher.finalize()
        hasher.update(Array("c".utf8))
        #expect(prefix == SHA256.hash(Array("ab".utf8)))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test("Digests round-trip through hex, bytes and Codable; other text is refused")
    func digestText() throws {
        let digest = SHA256.hash(Array("abc".utf8))
        #expect(SHA256Digest(hex: digest.description) == digest)
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
        #expect(digest.bytes.count == 32 && digest.bytes.first == 0xBA && digest.bytes.last == 0xAD)
        #expect(SHA256Digest.zero.description == String(repeating: "0", count: 64))
        #expect(SHA256Digest(hex: digest.description.uppercased()) == nil)
        #expect(SHA256Digest(hex: String(digest.description.dropLast())) == nil)
        #expect(SHA256Digest(hex: digest.description + "0") == nil)
        #expect(SHA256Digest(bytes: [UInt8](repeating: 0, count: 31)) == nil)
        let encoded = try JSONValueEncoder().encode(digest)
        #expect(encoded == .string(digest.description))
        #expect(try JSONValueDecoder().decode(SHA256Digest.self, from: encoded) == digest)
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(SHA256Digest.self, from: "abc") }
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var result = self
        while let last = result.last, predicate(last) { result = result.dropLast() }
        return result
    }
}
