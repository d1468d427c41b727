import Testing

@testable import AgentPolicy

@Suite("Loop detection's digest table: 32-bit tags")
struct DigestTableTagTests {
    /// The inverse of the table's multiplier modulo 2^64 (Newton's iteration doubles the correct bits each step).
    static let inverse: UInt64 = {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var inverse = multiplier
        for _ in 0..<6 { inverse = inverse &* (2 &- multiplier &* inverse) }
        return inverse
    }()

    @Test("Two digests that share a tag share a slot, which names the newest entry; other digests keep theirs")
    func sharedTag() {
        var table = DigestTable(seed: 0)
        // With seed 0 the tag is the top half of digest × multiplier: 1 and 1 + inverse give multiplier and
        // multiplier + 1, whose top halves are equal.
        let first: UInt64 = 1
        let second = 1 &+ Self.inverse
        #expect(first != second && table.tag(first) == table.tag(second))
        table[first] = 0
        #expect(table[second] == 0, "a digest with the same tag finds the same slot")
        table[second] = 1
        #expect(table[first] == 1 && table[second] == 1, "the slot names the newest entry of either")
        #expect(table.count == 1)
        for digest in UInt64(2)..<UInt64(200) { table[digest &* 0x1_0000_0001] = Int(digest) }
        #expect(table[first] == 1, "found again after the table grew")
        #expect(table[UInt64(77) &* 0x1_0000_0001] == 77)
        #expect(table[12_345] == nil)
    }
}
