extension JSONValue {
    /// The largest integer magnitude RFC 8785 carries exactly as a number: 2⁵³ − 1 (`Number.MAX_SAFE_INTEGER`).
    public static let largestCanonicalInteger: Int64 = 9_007_199_254_740_991

    /// Returns the value's RFC 8785 (JSON Canonicalization Scheme) form as UTF-8 bytes: the form the journal hashes.
    ///
    /// This is not ``jsonText(prettyPrinted:)``, which keeps ``integer(_:)`` and ``number(_:)`` apart exactly and is
    /// the form the library stores. The canonical form follows RFC 8785:
    /// - no whitespace; arrays keep their order; object members are sorted by their keys' UTF-16 code units
    ///   (so `"\u{E000}"` sorts after `"😀"`, whose UTF-16 form starts with a surrogate);
    /// - strings escape only `"`, `\` and the control characters U+0000…U+001F: `\b \f \n \r \t` for those five,
    ///   `\u00xx` with lower-case hex for the others; every other character, `/`, U+007F and non-ASCII text
    ///   included, is written as its UTF-8 bytes, unnormalized;
    /// - ``number(_:)`` is written as ECMAScript's `Number.prototype.toString` writes it: shortest round-trip
    ///   digits, `1e+21` and up and below `1e-6` in exponent form, `-0.0` as `0`; non-finite numbers, which JSON
    ///   cannot carry, are written `null`, as ``jsonText(prettyPrinted:)`` stores them;
    /// - ``integer(_:)`` within ±``largestCanonicalInteger`` is written as its decimal digits, which is also the
    ///   ECMAScript text of the same number; a larger integer, which an RFC 8785 number cannot carry exactly, is
    ///   written as a JSON **string** of its decimal digits (`.integer(9007199254740993)` → `"9007199254740993"`).
    ///
    /// Consequently values that differ only in representation hash alike: `.integer(1)` and `.number(1.0)`,
    /// `.number(-0.0)` and `.integer(0)`, and a large integer and the string of its digits.
    ///
    /// - Returns: The canonical JSON text's UTF-8 bytes.
    public func canonicalJSONBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        appendCanonicalJSON(to: &output)
        return output
    }

    /// Returns the value's RFC 8785 canonical form as text (see ``canonicalJSONBytes()``).
    ///
    /// - Returns: The canonical JSON text.
    public func canonicalJSONText() -> String { String(decoding: canonicalJSONBytes(), as: UTF8.self) }

    /// Appends the value's RFC 8785 canonical form to `output`.
    ///
    /// - Parameter output: The UTF-8 bytes to append to.
    package func appendCanonicalJSON(to output: inout [UInt8]) {
        switch self {
        case .null: output += "null".utf8
        case .bool(let bool): output += (bool ? "true" : "false").utf8
        case .integer(let integer):
            if integer.magnitude <= UInt64(JSONValue.largestCanonicalInteger) {
                if integer < 0 { output.append(UInt8(ascii: "-")) }
                ECMAScriptNumberFormatter.appendDecimal(integer.magnitude, to: &output)
            } else {
                output.append(UInt8(ascii: "\""))
                if integer < 0 { output.append(UInt8(ascii: "-")) }
                ECMAScriptNumberFormatter.appendDecimal(integer.magnitude, to: &output)
                output.append(UInt8(ascii: "\""))
            }
        case .number(let number):
            if number.isFinite {
                ECMAScriptNumberFormatter.append(number, to: &output)
            } else {
                output += "null".utf8
            }
        case .string(let string): appendCanonicalString(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.appendCanonicalJSON(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            JSONValue.appendCanonicalObject(members.sorted { JSONKeyOrder.utf16Precedes($0.key, $1.key) }, to: &output)
        }
    }

    /// Appends an object in RFC 8785 form from members already in UTF-16 key order.
    ///
    /// - Parameters:
    ///   - members: The members, sorted by ``canonicalKeyOrder(_:)``'s order, keys unique.
    ///   - output: The UTF-8 bytes to append to.
    static func appendCanonicalObject(_ members: [(key: String, value: JSONValue)], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendCanonicalString(member.key, to: &output)
            output.append(UInt8(ascii: ":"))
            member.value.appendCanonicalJSON(to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// The keys in RFC 8785 order: by UTF-16 code units.
    ///
    /// - Parameter keys: An object's keys.
    /// - Returns: The keys, sorted.
    package static func canonicalKeyOrder(_ keys: some Sequence<String>) -> [String] {
        keys.sorted(by: utf16Precedes)
    }

    /// Whether `lhs` sorts before `rhs` by UTF-16 code units (RFC 8785's key order), computed on the UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - lhs: A string.
    ///   - rhs: Another string.
    /// - Returns: Whether `lhs` comes first.
    package static func utf16Precedes(_ lhs: String, _ rhs: String) -> Bool { JSONKeyOrder.utf16Precedes(lhs, rhs) }
}

/// Appends a string in RFC 8785 form (§3.2.2.2): quoted, escaping only `"`, `\` and U+0000…U+001F, lower-case hex.
///
/// - Parameters:
///   - string: The string.
///   - output: The UTF-8 bytes to append to.
private func appendCanonicalString(_ string: String, to output: inout [UInt8]) {
    JSONStringEscaper.append(string, to: &output, upperCaseHex: false)
}
