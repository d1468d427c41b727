import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// Sealing in a kind's layout stops looking members up once every one has been found (and stops asking the added
/// `kind` and `at` once both have been): the member in the layout's last slot must still be found, and an entry
/// with every field, or with only its last one, must seal in the layout to the general seal's bytes.
@Suite("Layout sealing finds every member up to the last slot", .timeLimit(.suite))
struct JournalLayoutLookupTests {
    /// Seals `fields` of `kind` in the layout and the general way; both must agree, and the layout must apply.
    static func sealBothWays(_ kind: RunJournalEntry.Kind, _ fields: [String: JSONValue]) throws {
        let entry = RunJournalEntry(kind, at: Nanoseconds(rawValue: 42), fields)
        let layout = try #require(kind.layout, "\(kind) has a layout")
        let direct = JournalChain.seal(
            entry.fields,
            adding: KindAndTime(kind: kind.rawValue, at: 42),
            layout: layout,
            rendered: nil,
            version: JournalChain.formatVersion,
            position: 3,
            after: .zero
        )
        let laidOut = try #require(direct, "\(kind) with \(fields.keys.sorted()) is sealed in its layout")
        let general = try #require(
            JournalChain.seal(
                entry.fields.dictionary,
                adding: entry.sealedMembers,
                version: JournalChain.formatVersion,
                position: 3,
                after: .zero
            )
        )
        #expect(laidOut.bytes == general.bytes, "\(kind): \(String(decoding: laidOut.bytes, as: UTF8.self))")
        #expect(laidOut.hash == general.hash, "\(kind)")
    }

    @Test("Every kind with all its fields, and with only the field that sorts last, seals in its layout")
    func lastSlotIsFound() throws {
        for kind in RunJournalEntry.Kind.allCases {
            var all: [String: JSONValue] = [:]
            for (offset, name) in kind.fieldNames.enumerated() { all[name] = .integer(Int64(offset)) }
            try Self.sealBothWays(kind, all)
            // The field in the last member slot of the layout (by RFC 8785 order), alone.
            if let last = kind.fieldNames.max(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                try Self.sealBothWays(kind, [last: "only"])
            }
        }
    }

    @Test("A policy's cached hash text is its hash's description")
    func policyHashText() throws {
        let policy = try StrictPolicy(maxSteps: 5)
        let encoding = PolicyEncoding.of(policy)
        #expect(encoding.hashText == encoding.hash.description)
        #expect(encoding.hashText == RunJournalEntry.policyHash(policy).description)
    }
}
