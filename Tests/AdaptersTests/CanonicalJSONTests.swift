import AgentAdapters
import Testing

@Suite("RFC 8785 canonical JSON", .timeLimit(.suite))
struct CanonicalJSONTests {
    private func canonical(_ value: JSONValue) -> String { value.canonicalJSONText() }

    @Test(
        "The RFC 8785 test data: parse the input, canonicalize, compare bytes",
        arguments: ["arrays", "french", "structures", "unicode", "values", "weird"]
    )
    func rfcTestData(name: String) throws {
        let input = try #require(FixtureFiles.read("rfc8785/\(name).input.json"))
        let expected = try #require(FixtureFiles.read("rfc8785/\(name).output.json"))
        let value = try JSONValue(parsing: String(decoding: input, as: UTF8.self))
        #expect(value.canonicalJSONText() == String(decoding: expected, as: UTF8.self), "\(name)")
    }

    @Test("The RFC's §3.2.2 sample, spelled out")
    func rfcSample() throws {
        let value = try JSONValue(
            parsing: #"""
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
                  "literals": [null, true, false]
                }
                """#
        )
        #expect(
            canonical(value)
                == #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"#
                + #""string":"€$\u000f\nA'B\"\\\\\"/"}"#
        )
    }

    @Test("4,000 ES6 number vectors (cyberphone's es6testfile sequence, Node.js's Number.prototype.toString)")
    func es6NumberVectors() throws {
        let file = try #require(FixtureFiles.read("es6-numbers-4000.txt"))
        var checked = 0
        var failures: [String] = []
        for line in String(decoding: file, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ",")
            guard parts.count == 2, let bits = UInt64(parts[0], radix: 16) else {
                Issue.record("malformed line \(line)")
                continue
            }
            let text = JSONValue.number(Double(bitPattern: bits)).canonicalJSONText()
            if text != parts[1] { failures.append("\(parts[0]): got \(text), expected \(parts[1])") }
            checked += 1
        }
        #expect(checked == 4000)
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test(
        "Number layout by the ECMAScript rules",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.5, "-1.5"), (100.0, "100"), (1e20, "100000000000000000000"),
            (1e21, "1e+21"), (1.5e21, "1.5e+21"), (123456789012.5, "123456789012.5"), (0.000001, "0.000001"),
            (0.0000015, "0.0000015"), (1e-7, "1e-7"), (1.25e-7, "1.25e-7"), (0.1, "0.1"), (1e300, "1e+300"),
            (9_007_199_254_740_992.0, "9007199254740992"), (18_014_398_509_481_984.0, "18014398509481984"),
            (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        ]
    )
    func numberLayout(value: Double, expected: String) {
        #expect(canonical(.number(value)) == expected)
    }

    @Test("Non-finite numbers are written null, as the stored form writes them")
    func nonFinite() {
        #expect(canonical([.number(.nan), .number(.infinity), .number(-.infinity)]) == "[null,null,null]")
    }

    @Test(
        "Integers within ±(2^53 − 1) are numbers; beyond, strings of their digits",
        arguments: [
            (Int64(0), "0"), (-7, "-7"), (9_007_199_254_740_991, "9007199254740991"),
            (-9_007_199_254_740_991, "-9007199254740991"), (9_007_199_254_740_992, #""9007199254740992""#),
            (-9_007_199_254_740_993, #""-9007199254740993""#), (.max, #""9223372036854775807""#),
            (.min, #""-9223372036854775808""#),
        ]
    )
    func integers(value: Int64, expected: String) {
        #expect(canonical(.integer(value)) == expected)
    }

    @Test("Integers and the numbers equal to them hash alike; the stored form keeps them apart")
    func integerAndNumber() {
        #expect(canonical(.integer(3)) == canonical(.number(3.0)))
        #expect(JSONValue.integer(3).jsonText() != JSONValue.number(3.0).jsonText())
    }

    @Test("Keys sort by UTF-16 code units: astral-plane keys before U+E000…U+FFFF, after the rest of the BMP")
    func utf16KeyOrder() {
        let value: JSONValue = [
            "\u{FB33}": 1, "😂": 2, "\u{E000}": 3, "\u{D7FF}": 4, "a": 5, "\u{10000}": 6, "\u{FFFF}": 7, "": 8,
            "\u{80}": 9, "aa": 10, "\u{1F600}": 11,
        ]
        #expect(
            canonical(value)
                == #"{"":8,"a":5,"aa":10,"\#u{80}":9,"\#u{D7FF}":4,"\#u{10000}":6,"😀":11,"😂":2,"\#u{E000}":3,"#
                + #""\#u{FB33}":1,"\#u{FFFF}":7}"#
        )
        let keys = ["\u{FB33}", "😂", "\u{E000}", "\u{D7FF}", "a", "\u{10000}", "\u{FFFF}", "", "\u{80}", "aa"]
        let byUTF16 = keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        #expect(JSONValue.canonicalKeyOrder(keys) == byUTF16)
    }

    @Test("Strings escape only quote, backslash and control characters, with lower-case hex")
    func escapes() {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        #expect(
            canonical(.string(controls))
                == #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
                + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
        )
        #expect(canonical(#"a"b\c/d"#) == #""a\"b\\c/d""#)
        #expect(canonical("\u{7F}\u{2028}é😀") == "\"\u{7F}\u{2028}é😀\"")
        #expect(canonical("e\u{301}") == "\"e\u{301}\"")  // not normalized
    }

    @Test("No whitespace, arrays keep their order, nesting is canonical at every level")
    func structure() {
        let value: JSONValue = ["b": [3, ["z": nil, "y": [:]], []], "a": ["c": 1.5, "B": false]]
        #expect(canonical(value) == #"{"a":{"B":false,"c":1.5},"b":[3,{"y":{},"z":null},[]]}"#)
    }
}
