import AgentPolicy
import Testing

@testable import AgentAdapters

/// An object of up to ``CanonicalJSONWriter/stackSortedMembers`` members is sorted in a temporary buffer on the
/// stack: whatever its size, it must be written with its keys in UTF-16 order (RFC 8785), as a reference that sorts
/// the keys with `JSONKeyOrder` and writes them one by one writes it, patches and the key-order flag included.
@Suite("Small objects sorted on the stack", .timeLimit(.suite))
struct CanonicalObjectSortTests {
    /// Keys that tie on their first eight bytes, differ past them, escape, or sort differently by UTF-8 and UTF-16.
    static let keys = [
        "a", "b", "ab", "abcdefgh", "abcdefghX", "abcdefghY", "previousHash", "previous", "position", "kind", "",
        "\"", "\u{01}", "é", "\u{E000}", "😀", "\u{E000}x", "😀x", "z", String(repeating: "k", count: 20),
    ]
    static let values: [JSONValue] = [
        .null, true, 7, .integer(1 << 60), 2.5, "x\u{01}y", "plain", [:], ["inner": "\u{02}", "a": 1.5],
        [1, ["b": 2.0]],
    ]

    @Test("Objects of every size up to 20 members write their keys in UTF-16 order, as the reference writes them")
    func objectsMatchTheReference() {
        var generator = SplitMix64(seed: 0x50F7)
        for round in 0..<1_200 {
            let size = round % 21
            var members: [String: JSONValue] = [:]
            for key in Self.keys.shuffled(using: &generator).prefix(size) {
                members[key] = Self.values.randomElement(using: &generator)!
            }
            var direct = CanonicalJSONWriter(recordsPatches: true)
            direct.write(.object(members))
            // The reference: keys sorted by `JSONKeyOrder`, each written with the writer's own key and value calls.
            var reference = CanonicalJSONWriter(recordsPatches: true)
            let sortedKeys = members.keys.sorted(by: JSONKeyOrder.utf16Precedes)
            reference.output.append(UInt8(ascii: "{"))
            for (index, key) in sortedKeys.enumerated() {
                if index > 0 { reference.output.append(UInt8(ascii: ",")) }
                _ = reference.writeKey(key)
                reference.write(members[key]!)
            }
            reference.output.append(UInt8(ascii: "}"))
            let differ = zip(sortedKeys, sortedKeys.dropFirst()).contains { !JSONKeyOrder.utf8Precedes($0, $1) }
            #expect(direct.output == reference.output, "\(sortedKeys)")
            #expect(direct.side == reference.side, "\(sortedKeys)")
            #expect(direct.patches.map(\.canonical) == reference.patches.map(\.canonical), "\(sortedKeys)")
            #expect(direct.keyOrdersDiffer == (differ || reference.keyOrdersDiffer), "\(sortedKeys)")
        }
    }
}
