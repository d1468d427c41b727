import AgentAdapters
import AgentPolicy
import Testing

/// The single pass builds a member's nested value while it scans it (`CanonicalRecordScanner.readValue`), instead of
/// scanning it and then parsing it again. These tests hold the builder to both: it must accept exactly the values the
/// canonical scan accepts (the scan alone answers `canonicalRecordHash`), and build what `JSONValue(parsing:)` reads.
@Suite("Journal values built in the scan", .timeLimit(.suite))
struct JournalValueBuildTests {
    /// A record around `value` (text) whose `hash` member is the hash of its hash input (the genesis, then the record
    /// without that member), whatever the text: the single pass then accepts it exactly when its scan accepts the
    /// text. Also returns whether the scan alone (`canonicalRecordHash`) accepts it, and the hash.
    static func record(around value: [UInt8]) -> (bytes: [UInt8], scanAccepts: Bool, hash: SHA256Digest) {
        let zeros = String(repeating: "0", count: 64)
        let head = Array("{\"at\":7,".utf8)
        let rest =
            Array("\"kind\":\"x\",\"position\":0,\"previousHash\":\"\(zeros)\",\"v\":".utf8) + value
            + Array(",\"version\":1}".utf8)
        let hash = SHA256.hash([UInt8](repeating: 0, count: 32) + head + rest)
        let bytes = head + Array("\"hash\":\"\(hash)\",".utf8) + rest
        let scanned = bytes.withUnsafeBufferPointer { JournalChain.canonicalRecordHash($0, after: .zero) }
        if let scanned { #expect(scanned == hash) }
        return (bytes, scanned != nil, hash)
    }

    /// Checks the single pass on a record holding `text`: refused exactly where the scan refuses, else `v` read as the
    /// parser reads `text`. Returns whether the scan accepted it.
    @discardableResult
    static func check(_ text: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let (bytes, scanAccepts, hash) = record(around: text)
        let read = bytes.withUnsafeBufferPointer { JournalChain.readCanonicalRecord($0, knownVersion: 1) }
        let shown = String(decoding: text, as: UTF8.self)
        guard scanAccepts else {
            #expect(read == nil, "built, though the scan refuses: \(shown)", sourceLocation: sourceLocation)
            return false
        }
        #expect(read?.hash == hash, "refused, though the scan accepts: \(shown)", sourceLocation: sourceLocation)
        let parsed = try? JSONValue(parsing: String(decoding: text, as: UTF8.self))
        #expect(read?.members["v"] == parsed, "built differently: \(shown)", sourceLocation: sourceLocation)
        return true
    }

    /// A random value: objects (ASCII keys, some that need escapes), arrays, strings with every short escape and
    /// non-ASCII text, integers at the canonical range's edges, literals.
    static func randomValue(_ generator: inout SplitMix64, depth: Int = 0) -> JSONValue {
        let pick = Int(generator.next() % (depth > 3 ? 4 : 6))
        switch pick {
        case 0:
            let texts = ["", "a", "noop", "long#1234", "quote \" and \\", "\u{08}\u{0C}\n\r\t", "café 😀", "/~\u{7F}"]
            return .string(texts[Int(generator.next() % UInt64(texts.count))])
        case 1:
            let integers: [Int64] = [0, 1, -1, 9, 10, 1_000_000, JSONValue.largestCanonicalInteger, -12_345]
            return .integer(integers[Int(generator.next() % UInt64(integers.count))])
        case 2: return [.null, .bool(true), .bool(false)][Int(generator.next() % 3)]
        case 3: return .integer(Int64(generator.next() % 100_000) - 50_000)
        case 4:
            let count = Int(generator.next() % 4)
            return .array((0..<count).map { _ in randomValue(&generator, depth: depth + 1) })
        default:
            let keys = ["n", "output", "followUpSteps", "a", "B", "", "k e y", "index", "q\"", "é"]
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int(generator.next() % 5) {
                members[keys[Int(generator.next() % UInt64(keys.count))]] = randomValue(&generator, depth: depth + 1)
            }
            return .object(members)
        }
    }

    @Test("Random canonical values: accepted as the scan accepts them, built as the parser reads them")
    func randomValues() {
        var generator = SplitMix64(seed: 12)
        var accepted = 0
        for _ in 0..<600 where Self.check(Self.randomValue(&generator).canonicalJSONBytes()) { accepted += 1 }
        // Keys with a quote or a non-ASCII letter send a record to the full path: most values are still built.
        #expect(accepted > 300)
    }

    @Test("Mutated values: the builder refuses exactly what the scan refuses")
    func mutatedValues() {
        var generator = SplitMix64(seed: 7)
        let bytes: [UInt8] = Array(" \"\\ubf/0-.eE{}[],:1\n".utf8) + [0x01]
        var refused = 0
        var checked = 0
        for _ in 0..<1_000 {
            var text = Self.randomValue(&generator).canonicalJSONBytes()
            let offset = Int(generator.next() % UInt64(text.count))
            switch generator.next() % 4 {
            case 0: text.insert(bytes[Int(generator.next() % UInt64(bytes.count))], at: offset)
            case 1: text[offset] = bytes[Int(generator.next() % UInt64(bytes.count))]
            case 2: text.remove(at: offset)
            default: if offset + 1 < text.count { text.swapAt(offset, offset + 1) }
            }
            // The scan checks canonical form, not grammar or UTF-8 (the reader checks that first): only JSON text in
            // UTF-8 is put in a record.
            guard String(validating: text, as: UTF8.self) != nil,
                (try? JSONValue(parsing: String(decoding: text, as: UTF8.self))) != nil
            else { continue }
            checked += 1
            if !Self.check(text) { refused += 1 }
        }
        #expect(checked > 250)
        #expect(refused > 25)
    }

    @Test("Hand-picked texts: escapes, numbers, key order, duplicate keys and depth")
    func handPicked() {
        let accepted = [
            #"{"a":{"b":[1,-2,"x\"y\\z\n"],"c":{}},"d":[]}"#, #""\b\f\n\r\t""#, #"-9007199254740991"#, #"[[],{},null]"#,
            #"{"":0,"A":1,"a":2}"#, String(repeating: "[", count: 63) + String(repeating: "]", count: 63),
        ]
        let refused = [
            #"{"b":1,"a":2}"#, #"{"a":1,"a":2}"#, #"[1, 2]"#, #"-0"#, #"01"#, #"1.0"#, #"1e2"#, #""\u0041""#, #""\/""#,
            #"9007199254740992"#, #"{"\u0061":1}"#,
            String(repeating: "[", count: 64) + String(repeating: "]", count: 64),
        ]
        for text in accepted { #expect(Self.check(Array(text.utf8)), "\(text)") }
        for text in refused { #expect(!Self.check(Array(text.utf8)), "\(text)") }
    }
}
