import AgentAdapters
import Testing

@Suite("JSON text parsing and printing", .timeLimit(.suite))
struct JSONTextTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    private func parseError(_ text: String) -> JSONParsingError? {
        do {
            _ = try JSONValue(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test("Scalars parse to the expected cases")
    func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == true)
        #expect(try parse(" false ") == false)
        #expect(try parse("0") == .integer(0))
        #expect(try parse("-12") == .integer(-12))
        #expect(try parse("1.0") == .number(1.0))
        #expect(try parse("1e2") == .number(100))
        #expect(try parse("\"\"") == "")
        #expect(try parse("[]") == [])
        #expect(try parse("{}") == [:])
        #expect(try parse("\t\r\n [ 1 , { \"a\" : [ ] } ] \n") == [1, ["a": []]])
    }

    @Test(
        "Numbers parse exactly",
        arguments: [
            ("9223372036854775807", JSONValue.integer(.max)),
            ("-9223372036854775808", .integer(.min)),
            ("9223372036854775808", .number(9_223_372_036_854_775_808.0)),
            ("-9223372036854775809", .number(-9_223_372_036_854_775_809.0)),
            ("123456789012345678901234567890", .number(1.2345678901234568e29)),
            ("1e300", .number(1e300)),
            ("0.1", .number(0.1)),
            ("-0.5E-3", .number(-0.0005)),
            ("2.5e+2", .number(250)),
            ("5e-324", .number(.leastNonzeroMagnitude)),
        ]
    )
    func numbers(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test("-0 keeps its sign as a number")
    func negativeZero() throws {
        let value = try parse("-0")
        guard case .number(let number) = value else {
            Issue.record("expected a number, got \(value)")
            return
        }
        #expect(number == 0 && number.sign == .minus)
        #expect(value.jsonText() == "-0.0")
        let reparsed = try parse(value.jsonText())
        #expect(reparsed.doubleValue?.sign == .minus)
    }

    @Test(
        "Printed numbers parse back to the same value and case",
        arguments: [0.1, 1e300, 1e-5, -0.0, .leastNonzeroMagnitude, 1.7976931348623157e308, 100.0, 1e16, 123.456, -2.5]
    )
    func numberRoundTrip(number: Double) throws {
        let text = JSONValue.number(number).jsonText()
        let reparsed = try parse(text)
        #expect(reparsed == .number(number), "\(text)")
        #expect(reparsed.doubleValue?.sign == number.sign)
    }

    @Test("Number printing is canonical")
    func numberPrinting() {
        #expect(JSONValue.number(1.0).jsonText() == "1.0")
        #expect(JSONValue.number(1e-5).jsonText() == "1e-05")
        #expect(JSONValue.number(1e300).jsonText() == "1e+300")
        #expect(JSONValue.integer(-42).jsonText() == "-42")
        #expect(JSONValue.integer(.min).jsonText() == "-9223372036854775808")
    }

    @Test("Non-finite numbers print as null")
    func nonFinite() {
        #expect(JSONValue.number(.infinity).jsonText() == "null")
        #expect(JSONValue.number(-.infinity).jsonText() == "null")
        #expect(JSONValue.number(.nan).jsonText() == "null")
        #expect(JSONValue.array([.number(.nan)]).jsonText() == "[null]")
    }

    @Test("String escapes parse")
    func escapes() throws {
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti")
        #expect(try parse(#""\u0041\u00e9\u4e2D""#) == "Aé中")
        #expect(try parse(#""\ud83d\ude00""#) == "😀")
        #expect(try parse(#""\uD834\uDD1E x""#) == "𝄞 x")
        #expect(try parse(#""\u0000""#) == "\u{0}")
        #expect(try parse("\"héllo 😀 中文\"") == "héllo 😀 中文")
    }

    @Test("String printing escapes quotes, backslashes and controls only")
    func stringPrinting() {
        let value: JSONValue = "q\" b\\ / \n\r\t\u{8}\u{c} \u{1} \u{1f} \u{7f} é 😀"
        #expect(value.jsonText() == #""q\" b\\ / \n\r\t\b\f \u0001 \u001F \#u{7f} é 😀""#)
    }

    @Test(
        "Text round trips",
        arguments: [
            #"{"a":[1,2,{"b":null}],"c":"d\n\u0001","e":-1.5,"f":true}"#,
            #"[[],{},"",0,false,null,0.0]"#,
            #"{"":{"":[]}}"#,
            #""😀 \"quoted\" \\ \u001F""#,
        ]
    )
    func textRoundTrip(text: String) throws {
        let value = try parse(text)
        #expect(value.jsonText() == text)
        #expect(try parse(value.jsonText(prettyPrinted: true)) == value)
    }

    @Test("Keys print sorted whatever the insertion order")
    func canonicalKeyOrder() throws {
        let keys = ["b", "a", "é", "B", "aa", "", "z", "10", "2"]
        var forward: [String: JSONValue] = [:]
        for (position, key) in keys.enumerated() { forward[key] = .integer(Int64(position)) }
        var backward: [String: JSONValue] = [:]
        for (position, key) in keys.enumerated().reversed() { backward[key] = .integer(Int64(position)) }
        let nestedForward: JSONValue = ["y": .object(forward), "x": [.object(forward)]]
        let nestedBackward: JSONValue = ["x": [.object(backward)], "y": .object(backward)]
        #expect(nestedForward.jsonText() == nestedBackward.jsonText())
        #expect(JSONValue.object(forward).jsonText() == #"{"":5,"10":7,"2":8,"B":3,"a":1,"aa":4,"b":0,"z":6,"é":2}"#)
        #expect(try parse(JSONValue.object(forward).jsonText()) == .object(forward))
    }

    @Test("Pretty printing indents by two spaces")
    func prettyPrinting() {
        let value: JSONValue = ["b": [1, [:]], "a": [], "c": ["d": nil]]
        let expected = """
            {
              "a": [],
              "b": [
                1,
                {}
              ],
              "c": {
                "d": null
              }
            }
            """
        #expect(value.jsonText(prettyPrinted: true) == expected)
        #expect(JSONValue.integer(1).jsonText(prettyPrinted: true) == "1")
    }

    @Test("Nesting up to the depth limit parses; one more level fails")
    func depthLimit() throws {
        let limit = JSONValue.maximumParsingDepth
        let deep = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try parse(deep)
        var depth = 0
        while case .array(let elements) = value, let first = elements.first {
            value = first
            depth += 1
        }
        #expect(depth == limit - 1)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = parseError(tooDeep)
        #expect(error?.code == .depthLimitExceeded)
        #expect(error?.offset == limit)
        #expect(error?.message.contains("512") == true)
        let objects = String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(try parse(objects).jsonText() == objects)
    }

    @Test(
        "Malformed input fails at the right offset",
        arguments: [
            ("", JSONParsingError.Code.unexpectedEndOfInput, 0, "empty input"),
            ("   ", .unexpectedEndOfInput, 3, "empty input"),
            ("[1,2,]", .unexpectedCharacter, 5, "trailing comma"),
            (#"{"a":1,}"#, .unexpectedCharacter, 7, "trailing comma"),
            (#""abc"#, .invalidString, 0, "unterminated string"),
            (#"["a\x"]"#, .invalidString, 3, "invalid escape"),
            (#""\u12G4""#, .invalidString, 5, "hex digit"),
            (#""\ud800""#, .invalidString, 1, "lone high surrogate"),
            (#""\udc00""#, .invalidString, 1, "lone low surrogate"),
            (#""\ud800\u0041""#, .invalidString, 7, "low surrogate"),
            ("\"a\u{1}\"", .invalidString, 2, "control character"),
            ("01", .invalidNumber, 0, "leading zeros"),
            ("-01", .invalidNumber, 1, "leading zeros"),
            ("-", .unexpectedEndOfInput, 1, "digit after '-'"),
            ("1.", .unexpectedEndOfInput, 2, "decimal point"),
            ("1.e5", .unexpectedCharacter, 2, "decimal point"),
            ("1e+", .unexpectedEndOfInput, 3, "exponent"),
            ("1e400", .invalidNumber, 0, "out of range"),
            ("+1", .unexpectedCharacter, 0, "expected a JSON value"),
            (".5", .unexpectedCharacter, 0, "expected a JSON value"),
            ("[1 2]", .unexpectedCharacter, 3, "',' or ']'"),
            (#"{"a" 1}"#, .unexpectedCharacter, 5, "':'"),
            (#"{"a":1 "b":2}"#, .unexpectedCharacter, 7, "',' or '}'"),
            ("{a:1}", .unexpectedCharacter, 1, "string key"),
            ("[1,", .unexpectedEndOfInput, 3, "expected a JSON value"),
            ("tru", .unexpectedEndOfInput, 3, "'true'"),
            ("nul1", .unexpectedCharacter, 0, "'null'"),
            ("True", .unexpectedCharacter, 0, "expected a JSON value"),
            ("1 2", .trailingCharacters, 2, "after the JSON value"),
            ("{} x", .trailingCharacters, 3, "after the JSON value"),
            ("NaN", .unexpectedCharacter, 0, "expected a JSON value"),
        ] as [(String, JSONParsingError.Code, Int, String)]
    )
    func malformed(text: String, code: JSONParsingError.Code, offset: Int, fragment: String) {
        let error = parseError(text)
        #expect(error?.code == code, "\(text)")
        #expect(error?.offset == offset, "\(text)")
        #expect(error?.message.contains(fragment) == true, "\(text): \(error?.message ?? "no error")")
    }

    @Test("Errors report line and column")
    func lineAndColumn() {
        let error = parseError("{\n  \"é\": [1,\n  2,]\n}")
        #expect(error?.line == 3)
        #expect(error?.column == 5)
        #expect(error?.offset == 18)  // "é" is two UTF-8 bytes but one column
        #expect(
            error?.description
                == "invalid JSON at line 3, column 5 (offset 18): trailing comma before ']' is not allowed"
        )
    }

    @Test("A repeated key keeps the last value")
    func duplicateKeys() throws {
        #expect(try parse(#"{"a":1,"a":2}"#) == ["a": 2])
    }
}
