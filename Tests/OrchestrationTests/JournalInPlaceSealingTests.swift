import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// Sealing in a layout writes the stored bytes in place, the `hash` member's digits filled in once SHA-256 has read
/// the text around that member: the bytes and hash must be the general seal's, wherever the member falls (first,
/// when every key sorts after `hash`, as no run entry's does; in the middle; with patches before and after it).
@Suite("Sealing in a layout writes the stored bytes in place", .timeLimit(.suite))
struct JournalInPlaceSealingTests {
    @Test("Random members in layouts with the hash member first or between members seal to the general seal's bytes")
    func inPlaceMatchesTheGeneralSeal() throws {
        var generator = SplitMix64(seed: 0x1B9A)
        // Keys only after `hash` (the member comes first), around it, and only before it.
        let keySets = [["kind", "i", "zz", "m"], ["at", "kind", "a", "zz"], ["at", "a", "b", "ab"]]
        let layouts = try keySets.map { try #require(JournalEntryLayout(keys: $0)) }
        var previous = SHA256Digest.zero
        var hashFirst = 0
        for index in 0..<600 {
            let set = index % keySets.count
            var members: [String: JSONValue] = [:]
            for key in keySets[set].dropFirst() where Int.random(in: 0..<4, using: &generator) > 0 {
                members[key] = JournalLayoutSealingTests.randomValue(depth: 0, using: &generator)
            }
            let extra = [
                (key: keySets[set][0], value: JournalLayoutSealingTests.randomValue(depth: 1, using: &generator))
            ]
            let position = Int.random(in: 0..<1_000, using: &generator)
            let general = try #require(
                JournalChain.seal(members, adding: extra, version: 1, position: position, after: previous)
            )
            let laidOut = JournalChain.seal(
                members,
                adding: ExtraMemberList(members: extra),
                layout: layouts[set],
                rendered: nil,
                version: 1,
                position: position,
                after: previous
            )
            // `nil` only where the general seal writes keys that sort differently by UTF-8 and UTF-16.
            guard let laidOut else { continue }
            #expect(
                laidOut.bytes == general.bytes,
                "entry \(index): \(String(decoding: laidOut.bytes, as: UTF8.self)) != \(String(decoding: general.bytes, as: UTF8.self))"
            )
            #expect(laidOut.hash == general.hash, "entry \(index)")
            if laidOut.bytes.starts(with: Array(#"{"hash":""#.utf8)) { hashFirst += 1 }
            previous = general.hash
        }
        #expect(hashFirst > 100, "the hash member came first in \(hashFirst) entries")
    }

    @Test("A record whose value outgrew the buffer's reservation is stored without the doubled buffer's spare room")
    func storedBytesFitTheRecord() throws {
        var chain = JournalChain()
        for size in [10, 1_000, 10_000, 100_000] {
            let output = String(repeating: "x", count: size)
            let record = try chain.append(
                ["tool": "t", "callID": "c#1", "output": .string(output)],
                kind: "toolCallFinished",
                at: 1,
                layout: RunJournalEntry.Kind.toolCallFinished.layout
            )
            let bytes = record.bytes
            #expect(bytes.count > size, "the record holds the \(size)-byte output")
            #expect(
                bytes.capacity - bytes.count <= max(128, bytes.count / 2),
                "a \(bytes.count)-byte record keeps \(bytes.capacity - bytes.count) bytes of spare room"
            )
        }
    }
}
