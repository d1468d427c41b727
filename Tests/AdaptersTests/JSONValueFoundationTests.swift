import AgentAdapters
import FoundationEssentials
import Testing

/// What Foundation's coders do with `integer` and `number`: the documented, narrower promise.
///
/// The library's own text form and coders keep the two apart exactly. Foundation's `JSONEncoder` writes a
/// whole-valued `Double` without a fraction (`2.0` as `2`, `-0.0` as `-0`), and the text no longer says it was a
/// number, so `JSONDecoder` reads it back as `.integer` when it fits in `Int64`.
@Suite("JSONValue through Foundation's coders", .timeLimit(.suite))
struct JSONValueFoundationTests {
    static func foundationRoundTrip(_ value: JSONValue) throws -> (text: String, value: JSONValue) {
        let data = try JSONEncoder().encode([value])
        let decoded = try JSONDecoder().decode([JSONValue].self, from: data)
        return (String(decoding: data, as: UTF8.self), decoded[0])
    }

    static let changed: [(JSONValue, JSONValue, String?)] = [
        (.number(2.0), .integer(2), "[2]"),
        (.number(-0.0), .integer(0), "[-0]"),
        (.number(-7.0), .integer(-7), "[-7]"),
        // Written in exponent form, yet still read back as an integer: the rule is the value, not the spelling.
        (.number(1e18), .integer(1_000_000_000_000_000_000), nil),
    ]

    @Test("A whole-valued number that fits in Int64 comes back from Foundation as .integer; -0.0 loses its sign")
    func wholeNumbersBecomeIntegers() throws {
        for (original, expected, text) in Self.changed {
            let (written, decoded) = try Self.foundationRoundTrip(original)
            if let text { #expect(written == text, "\(original)") }
            #expect(decoded == expected, "\(original)")
            // The library's own text form and coders keep the kind and the sign.
            #expect(try JSONValue(parsing: original.jsonText()) == original)
            #expect(
                try JSONValueDecoder().decode(JSONValue.self, from: JSONValueEncoder().encode(original)) == original
            )
        }
        let (_, negativeZero) = try Self.foundationRoundTrip(.number(-0.0))
        #expect(negativeZero.doubleValue?.sign == .plus)
        #expect(try JSONValue(parsing: JSONValue.number(-0.0).jsonText()).doubleValue?.sign == .minus)
    }

    static let kept: [JSONValue] = [
        .integer(2), .integer(-0), .integer(.max), .integer(.min), .number(2.5), .number(-0.125), .number(1e300),
        .number(1e20), .number(9_223_372_036_854_775_808.0),
    ]

    @Test("Integers, fractional numbers and whole numbers outside Int64 survive Foundation unchanged")
    func othersSurvive() throws {
        for value in Self.kept {
            #expect(try Self.foundationRoundTrip(value).value == value, "\(value)")
        }
    }
}
