import AgentAdapters
import AgentPolicy
import Testing

@Suite("SHA-256 in four SIMD lanes (SHA256Batch)", .timeLimit(.suite))
struct SHA256BatchTests {
    /// Lengths around the padding's edges (55: one block; 56: two) and a longer one.
    private static let edgeLengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1_000]

    /// The NIST vectors the scalar tests check: the FIPS 180-2 examples, one million 'a's and the 65 SHAVS short
    /// messages, as (message, digest) pairs.
    private static func nistVectors() throws -> [([UInt8], String)] {
        var vectors: [([UInt8], String)] = [
            ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                Array(
                    ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmn"
                        + "opqrstnopqrstu").utf8
                ),
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
            (
                [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
                "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
            ),
        ]
        let file = try #require(FixtureFiles.read("SHA256ShortMsg.rsp"), "FixtureData/SHA256ShortMsg.rsp is missing")
        var message: [UInt8]?
        var length = -1
        for line in String(decoding: file, as: UTF8.self).split(separator: "\n") {
            let line = line.filter { $0 != "\r" }
            if line.hasPrefix("Len = ") {
                length = Int(line.dropFirst(6))! / 8
            } else if line.hasPrefix("Msg = ") {
                message = length == 0 ? [] : hex(String(line.dropFirst(6)))
            } else if line.hasPrefix("MD = "), let bytes = message {
                vectors.append((bytes, String(line.dropFirst(5))))
                message = nil
            }
        }
        #expect(vectors.count == 5 + 65)
        return vectors
    }

    private static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8).map {
            $0 <= UInt8(ascii: "9") ? $0 - UInt8(ascii: "0") : $0 - UInt8(ascii: "a") + 10
        }
        return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// `count` pseudo-random bytes.
    private static func bytes(_ count: Int, _ generator: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// The batch's digests of `messages`.
    private static func laneDigests(_ messages: [[UInt8]]) -> [SHA256Digest] {
        var batch = SHA256Batch()
        for message in messages { batch.append(message: message) }
        #expect(batch.count == messages.count)
        return batch.digests()
    }

    @Test("Every NIST vector up to 10,000 bytes in every lane, beside messages of other lengths in the other lanes")
    func nistVectorsInEveryLane() throws {
        var generator = SplitMix64(seed: 1)
        let fillers = Self.edgeLengths.map { Self.bytes($0, &generator) }
        for (index, (message, digest)) in try Self.nistVectors().enumerated() {
            // Not the million-byte vector: in lanes it takes most of a minute in a debug build under the thread
            // sanitizer, holding a test thread. The scalar tests check it; `refilledLanes` checks a 70,000-byte
            // message (a length field of three bytes, as the million's) against the scalar digest.
            guard message.count <= 10_000 else { continue }
            for lane in 0..<4 {
                // The first four messages start in lanes 0…3; three fillers of varied lengths beside the vector.
                var messages = (0..<3).map { fillers[(index + lane + 5 * $0) % fillers.count] }
                messages.insert(message, at: lane)
                let digests = Self.laneDigests(messages)
                #expect(digests[lane].description == digest, "vector \(index) (\(message.count) bytes) in lane \(lane)")
                for other in 0..<4 where other != lane {
                    #expect(digests[other] == SHA256.hash(messages[other]), "filler in lane \(other)")
                }
            }
        }
    }

    @Test("Messages of the edge lengths in every arrangement of four equal the scalar digests")
    func edgeLengthsMixed() {
        var generator = SplitMix64(seed: 2)
        let lengths = Self.edgeLengths
        for first in lengths {
            for second in lengths {
                let messages = [first, second, lengths[(first + second) % lengths.count], 64].map {
                    Self.bytes($0, &generator)
                }
                #expect(
                    Self.laneDigests(messages) == messages.map { SHA256.hash($0) },
                    "lengths \(messages.map(\.count))"
                )
            }
        }
    }

    @Test("Random messages, any count (lanes left idle, lanes refilled), equal the scalar digests")
    func randomMessages() {
        var generator = SplitMix64(seed: 3)
        for round in 0..<120 {
            let count = Int(generator.next() % 14)
            let messages = (0..<count).map { _ in
                Self.bytes(Int(generator.next() % (generator.next() % 4 == 0 ? 1_200 : 300)), &generator)
            }
            #expect(Self.laneDigests(messages) == messages.map { SHA256.hash($0) }, "round \(round)")
        }
    }

    @Test("One long message beside many short ones: lanes refilled while it runs")
    func refilledLanes() {
        var generator = SplitMix64(seed: 4)
        var messages = [Self.bytes(70_000, &generator)]
        messages += (0..<40).map { Self.bytes($0 * 7, &generator) }
        messages.append(Self.bytes(3_000, &generator))
        #expect(Self.laneDigests(messages) == messages.map { SHA256.hash($0) })
    }

    @Test("A message appended in parts, and a batch reused after removeAll, digest as a whole")
    func partsAndReuse() {
        var generator = SplitMix64(seed: 5)
        let messages = (0..<9).map { Self.bytes(40 * $0 + 3, &generator) }
        var batch = SHA256Batch()
        for message in messages {
            message.withUnsafeBytes { bytes in
                let middle = bytes.count / 3
                batch.append(UnsafeRawBufferPointer(rebasing: bytes[..<middle]))
                batch.append(UnsafeRawBufferPointer(rebasing: bytes[middle...]))
            }
            batch.finishMessage()
        }
        #expect(batch.digests() == messages.map { SHA256.hash($0) })
        batch.removeAll()
        #expect(batch.digests().isEmpty)
        batch.append(message: Array("abc".utf8))
        #expect(batch.digests() == [SHA256.hash(Array("abc".utf8))])
    }
}
