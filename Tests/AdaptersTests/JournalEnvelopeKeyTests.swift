import AgentPolicy
import Testing

@testable import AgentAdapters

/// The seal appends an envelope member's `"key":` as fixed bytes instead of writing its name as a string: the bytes
/// must be those `CanonicalJSONWriter.writeKey` writes for the name, followed by the member's value, and nothing is
/// patched.
@Suite("Envelope members written with fixed key bytes", .timeLimit(.suite))
struct JournalEnvelopeKeyTests {
    @Test("Every envelope field writes writeKey's bytes and its value, unpatched")
    func envelopeMembersMatchWriteKey() {
        var generator = SplitMix64(seed: 0xE4E1)
        let fields: [JournalChain.EnvelopeField] = [.hash, .position, .previousHash, .version]
        for index in 0..<400 {
            let field = fields[index % fields.count]
            let position = Int.random(in: 0...(index % 8 == 0 ? Int.max : 10_000), using: &generator)
            let version = Int64.random(in: 1...3, using: &generator)
            let previous = SHA256.hash((0..<(index % 40)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            var sealed = CanonicalJSONWriter(recordsPatches: true)
            JournalChain.writeEnvelopeMember(
                field,
                into: &sealed,
                version: version,
                position: position,
                after: previous
            )
            var expected = CanonicalJSONWriter(recordsPatches: true)
            _ = expected.writeKey(field.rawValue)
            switch field {
            case .hash: break
            case .position: expected.write(Int64(position))
            case .previousHash: expected.writeString(previous.description)
            case .version: expected.write(version)
            }
            #expect(
                sealed.output == expected.output,
                "\(field) \(index): \(String(decoding: sealed.output, as: UTF8.self))"
            )
            #expect(sealed.side == expected.side && sealed.patches.count == expected.patches.count, "\(field) \(index)")
        }
    }
}
