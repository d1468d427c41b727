import AgentAdapters
import Testing

/// Verification hashes a record straight from its bytes when they are already the entry's RFC 8785 form
/// (`JournalChain.canonicalRecordHash`); these tests hold that shortcut to the definition: it agrees with the full path
/// wherever it answers, and it refuses every record whose bytes are not canonical, which then verifies the full way.
@Suite("Journal records hashed from their bytes", .timeLimit(.suite))
struct JournalCanonicalRecordTests {
    /// Seals `entry` at position 0 and returns its record text and hash.
    static func sealed(_ entry: [String: JSONValue]) throws -> (text: String, hash: SHA256Digest) {
        var chain = JournalChain()
        let record = try chain.append(.object(entry))
        return (String(decoding: record.bytes, as: UTF8.self), chain.headHash)
    }

    /// The shortcut's answer for `text` after the genesis.
    static func shortcut(_ text: String) -> SHA256Digest? {
        Array(text.utf8).withUnsafeBufferPointer { JournalChain.canonicalRecordHash($0, after: .zero) }
    }

    /// Verification of a one-record journal holding `text`.
    static func verify(_ text: String) -> JournalVerification {
        JournalChain.verify([JournalRecord(position: 0, bytes: Array(text.utf8))])
    }

    @Test(
        "Records the library writes without doubles, large integers or hex escapes hash from their bytes, as sealed",
        arguments: [
            ["kind": "toolCallFinished", "at": 12, "tool": "noop", "output": ["n": 3]],
            [:],
            ["a": [:], "b": [], "c": .null, "d": true, "e": false, "f": -42],
            ["text": "quote \" backslash \\ newline \n tab \t return \r feed \u{0C} back \u{08} slash /"],
            ["unicode": "café ✓ 𝄞", "nested": [["deep": [["deeper": "x"]]], 1, "two"]],
            [
                "limit": .integer(JSONValue.largestCanonicalInteger),
                "low": .integer(-JSONValue.largestCanonicalInteger),
            ],
            ["zulu": 1, "alpha": 2, "hasg": 3, "hasi": 4, "has": 5, "hash0": 6],
        ] as [[String: JSONValue]]
    )
    func canonicalRecords(entry: [String: JSONValue]) throws {
        let (text, hash) = try Self.sealed(entry)
        #expect(Self.shortcut(text) == hash, "\(text)")
        #expect(Self.verify(text) == .verified(count: 1, headHash: hash))
    }

    @Test(
        "Records with data the stored form writes differently are left to the full path, and verify",
        arguments: [
            ["ratio": 0.5],
            ["whole": 2.0],
            ["big": .integer(JSONValue.largestCanonicalInteger + 1)],
            ["control": "bell \u{07}"],
            ["é": "non-ASCII key"],
        ] as [[String: JSONValue]]
    )
    func nonCanonicalData(entry: [String: JSONValue]) throws {
        let (text, hash) = try Self.sealed(entry)
        #expect(Self.shortcut(text) == nil, "\(text)")
        #expect(Self.verify(text) == .verified(count: 1, headHash: hash))
    }

    /// Edits that keep an entry's data but not its canonical bytes: each must be refused by the shortcut, and the
    /// record still verifies (the hash covers the data, not the bytes).
    static let reformattings: [(name: String, from: String, to: String)] = [
        ("whitespace after the brace", "{", "{ "),
        ("whitespace before a colon", #""b":1"#, #""b" :1"#),
        ("keys out of order", #""a":"x/y","b":1"#, #""b":1,"a":"x/y""#),
        ("a number with a fraction", #""b":1"#, #""b":1.0"#),
        ("a number with an exponent", #""b":1"#, #""b":1e0"#),
        ("an escaped slash", "x/y", #"x\/y"#),
        ("a hex escape of a letter", "x/y", #"\u0078/y"#),
        ("an escaped key", #""a":"#, #""\u0061":"#),
    ]

    @Test("Reformatted records (same data, other bytes) are left to the full path and still verify")
    func reformattedRecords() throws {
        let (text, hash) = try Self.sealed(["a": "x/y", "b": 1])
        for edit in Self.reformattings {
            let edited = replacingFirst(edit.from, with: edit.to, in: text)
            #expect(edited != text, "\(edit.name): the edit applies")
            #expect(Self.shortcut(edited) == nil, "\(edit.name): \(edited)")
            #expect(Self.verify(edited) == .verified(count: 1, headHash: hash), "\(edit.name)")
        }
    }

    @Test("Text that is not canonical is refused by the scan itself")
    func scannerRefusals() {
        let hash = String(repeating: "0", count: 64)
        let refused = [
            #"{"a":-0,"hash":"\#(hash)"}"#,
            #"{"a":01,"hash":"\#(hash)"}"#,
            #"{"a":12345678901234567,"hash":"\#(hash)"}"#,
            #"{"a":1,"a":2,"hash":"\#(hash)"}"#,
            #"{"a":1}"#,
            #"[1,{"hash":"\#(hash)"}]"#,
            #"{"hash":"\#(hash)"} "#,
            #"{"x":{"b":1,"a":2},"hash":"\#(hash)"}"#,
        ]
        for text in refused { #expect(Self.shortcut(text) == nil, "\(text)") }
        // The member is cut with one comma beside it, wherever it sorts.
        let accepted = [
            (#"{"hash":"\#(hash)"}"#, "{}"),
            (#"{"a":1,"hash":"\#(hash)"}"#, #"{"a":1}"#),
            (#"{"hash":"\#(hash)","z":[true,null]}"#, #"{"z":[true,null]}"#),
            (#"{"a":{},"hash":"\#(hash)","z":"q"}"#, #"{"a":{},"z":"q"}"#),
        ]
        for (text, hashed) in accepted {
            #expect(Self.shortcut(text) == SHA256.hash(SHA256Digest.zero.bytes + Array(hashed.utf8)), "\(text)")
        }
    }

    @Test("A changed value in a canonical record is caught as altered")
    func tamperedRecord() throws {
        let (text, _) = try Self.sealed(["a": "x/y", "b": 1])
        let edited = replacingFirst(#""b":1"#, with: #""b":2"#, in: text)
        #expect(Self.shortcut(edited) != nil)
        guard case .failed(let fault) = Self.verify(edited) else {
            Issue.record("a changed value verified")
            return
        }
        #expect(fault.kind == .altered)
        #expect(fault.position == 0)
    }

    private func replacingFirst(_ target: String, with replacement: String, in text: String) -> String {
        text.replacing(target, with: replacement, maxReplacements: 1)
    }
}
