import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A run entry's fields are a short list (`EntryFields`), not a dictionary: it must answer as the dictionary did
/// (look-up, assignment, removal, equality and hashing whatever the order), and an entry's fields in any order must
/// seal in their kind's layout to the bytes and hash the dictionary sealed to.
@Suite("Entry fields as a list", .timeLimit(.suite))
struct EntryFieldsTests {
    /// Short and long keys, ASCII and not (a long key is not a small string: it compares the slow way).
    static let keys = ["a", "b", "tool", "policy", "maximumOutputTokens", "argumentsHashOfAVeryLongName", "é", "😀"]

    @Test("Random assignments and removals leave the list answering as a dictionary does")
    func mirrorsADictionary() {
        var generator = SplitMix64(seed: 0xF1E1_D5)
        var fields = EntryFields()
        var model: [String: JSONValue] = [:]
        for step in 0..<1_500 {
            let key = Self.keys.randomElement(using: &generator)!
            let value: JSONValue? =
                Int.random(in: 0..<4, using: &generator) == 0
                ? nil : .integer(Int64.random(in: 0..<3, using: &generator))
            fields[key] = value
            model[key] = value
            #expect(fields.count == model.count, "step \(step)")
            #expect(fields.isEmpty == model.isEmpty, "step \(step)")
            #expect(Set(fields.keys) == Set(model.keys), "step \(step)")
            for key in Self.keys where fields[key] != model[key] { Issue.record("step \(step): \(key)") }
            #expect(fields.dictionary == model, "step \(step)")
            // The same fields in the dictionary's order: equal, with the same hash.
            let reordered = EntryFields(model)
            #expect(fields == reordered, "step \(step)")
            #expect(fields.hashValue == reordered.hashValue, "step \(step)")
            // One field fewer, one more, or one changed: unequal.
            if let (key, _) = model.first {
                var fewer = reordered
                fewer[key] = nil
                #expect(fields != fewer && fewer != fields, "step \(step)")
                var changed = reordered
                changed[key] = .string("changed")
                #expect(fields != changed && changed != fields, "step \(step)")
            }
            var more = reordered
            more["extra"] = .null
            #expect(fields != more && more != fields, "step \(step)")
        }
    }

    @Test("A literal keeps its order; iteration gives every field once")
    func literalAndIteration() {
        let fields: EntryFields = ["z": 1, "a": 2, "m": 3]
        #expect(fields.keys == ["z", "a", "m"])
        #expect(fields.map(\.key) == ["z", "a", "m"])
        #expect(fields.map(\.value) == [1, 2, 3])
        #expect(fields == ["a": 2, "m": 3, "z": 1])
        #expect(EntryFields() == [:] && EntryFields().isEmpty)
    }

    @Test("Every kind's fields, in any order, seal in the layout to the dictionary's bytes and hash")
    func anyOrderSealsInTheLayout() throws {
        var generator = SplitMix64(seed: 0x0DE7)
        for kind in RunJournalEntry.Kind.allCases {
            let layout = try #require(kind.layout, "\(kind) has a layout")
            for _ in 0..<6 {
                var dictionary: [String: JSONValue] = [:]
                for (offset, name) in kind.fieldNames.enumerated() where Bool.random(using: &generator) {
                    dictionary[name] = offset.isMultiple(of: 2) ? .integer(Int64(offset)) : ["nested": "\(offset)"]
                }
                var fields = EntryFields()
                for name in kind.fieldNames.shuffled(using: &generator) {
                    if let value = dictionary[name] { fields[name] = value }
                }
                let extra = KindAndTime(kind: kind.rawValue, at: 7)
                let listed = JournalChain.seal(
                    fields,
                    adding: extra,
                    layout: layout,
                    rendered: nil,
                    version: JournalChain.formatVersion,
                    position: 2,
                    after: .zero
                )
                let sealed = try #require(listed, "\(kind) with \(fields.keys) seals in its layout")
                let general = try #require(
                    JournalChain.seal(
                        dictionary,
                        adding: [("kind", .string(kind.rawValue)), ("at", .integer(7))],
                        version: JournalChain.formatVersion,
                        position: 2,
                        after: .zero
                    )
                )
                #expect(sealed.bytes == general.bytes, "\(kind): \(String(decoding: sealed.bytes, as: UTF8.self))")
                #expect(sealed.hash == general.hash, "\(kind)")
            }
        }
    }

    @Test("A kind is found by its name as init(rawValue:) finds it, and nothing else is")
    func kindByName() {
        for kind in RunJournalEntry.Kind.allCases {
            #expect(RunJournalEntry.Kind.named(kind.rawValue) == kind, "\(kind)")
            let name = kind.rawValue
            for other in [String(name.dropLast()), name + "s", name.uppercased(), "x" + name.dropFirst()] {
                #expect(RunJournalEntry.Kind.named(other) == RunJournalEntry.Kind(rawValue: other), "\(other)")
            }
        }
        for other in ["", "é", "modelCallRequestedAndMore", String(repeating: "a", count: 300)] {
            #expect(RunJournalEntry.Kind.named(other) == nil, "\(other)")
        }
    }
}
