import AgentPolicy
import Testing

@testable import AgentAdapters

/// The seal writes a previous hash as its JSON string straight from the digest (`appendQuotedHex`, digits written
/// on the stack and appended in one copy): the bytes must be `"` + ``SHA256Digest/description`` + `"`, appended
/// after what the buffer held.
@Suite("SHA-256 digests appended as quoted hex", .timeLimit(.suite))
struct SHA256DigestQuotedHexTests {
    @Test("Random digests append their quoted hex after the buffer's bytes")
    func quotedHexIsTheDescription() {
        var generator = SplitMix64(seed: 0x4E8)
        for index in 0..<500 {
            let digest = SHA256.hash((0..<(index % 70)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let prefix = Array("{\"previousHash\":".utf8.prefix(index % 17))
            var output = prefix
            digest.appendQuotedHex(to: &output)
            #expect(output == prefix + Array("\"\(digest.description)\"".utf8), "digest \(index)")
        }
    }
}
