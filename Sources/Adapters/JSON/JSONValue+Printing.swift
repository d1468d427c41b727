extension JSONValue {
    /// Returns the value as the library's exact JSON text: the form reports and the journal store.
    ///
    /// The output is deterministic byte for byte, so equal values always print identically. It is not RFC 8785
    /// (``canonicalJSONBytes()`` is, and the journal hashes that): it keeps ``integer(_:)`` and ``number(_:)``
    /// apart, so that a value read back is the value written.
    /// - object keys are sorted by their UTF-8 bytes, at every level; arrays keep their order;
    /// - strings escape `"` and `\`, use `\b \f \n \r \t` for those controls and `\u00XX` (upper-case hex) for the
    ///   other control characters; everything else, including `/` and non-ASCII text, is written as UTF-8;
    /// - ``integer(_:)`` prints as decimal digits; ``number(_:)`` prints as `Double.description` (for example
    ///   `1.0`, `0.1`, `1e-05`, `1e+300`, `-0.0`), which is valid JSON and parses back to the same `Double` and
    ///   the same case; non-finite numbers have no JSON form and print as `null`;
    /// - pretty-printed output puts each element on its own line indented by two spaces per level, writes
    ///   `"key": value`, and keeps empty containers as `[]` and `{}`.
    ///
    /// - Parameter prettyPrinted: Whether to add newlines and indentation.
    /// - Returns: The JSON text.
    public func jsonText(prettyPrinted: Bool = false) -> String {
        var writer = JSONTextWriter(prettyPrinted: prettyPrinted)
        writer.write(self, depth: 0)
        return String(decoding: writer.output, as: UTF8.self)
    }
}

/// Appends the library's exact JSON text as UTF-8 bytes.
struct JSONTextWriter {
    let prettyPrinted: Bool
    var output: [UInt8] = []

    init(prettyPrinted: Bool) {
        self.prettyPrinted = prettyPrinted
        output.reserveCapacity(64)
    }

    mutating func write(_ value: JSONValue, depth: Int) {
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .integer(let integer):
            if integer < 0 { output.append(UInt8(ascii: "-")) }
            ECMAScriptNumberFormatter.appendDecimal(integer.magnitude, to: &output)
        case .number(let number): append(number.isFinite ? number.description : "null")
        case .string(let string): writeString(string)
        case .array(let elements):
            guard !elements.isEmpty else { return append("[]") }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth: depth + 1)
                write(element, depth: depth + 1)
            }
            newline(depth: depth)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            writeObject(members.sorted { JSONKeyOrder.utf8Precedes($0.key, $1.key) }, depth: depth)
        }
    }

    /// Writes an object from members already sorted by their keys' UTF-8 bytes.
    ///
    /// - Parameters:
    ///   - members: The members, in UTF-8 key order, keys unique.
    ///   - depth: The object's nesting depth, for indentation.
    mutating func writeObject(_ members: [(key: String, value: JSONValue)], depth: Int) {
        guard !members.isEmpty else { return append("{}") }
        output.append(UInt8(ascii: "{"))
        for (position, member) in members.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            newline(depth: depth + 1)
            writeString(member.key)
            output.append(UInt8(ascii: ":"))
            if prettyPrinted { output.append(UInt8(ascii: " ")) }
            write(member.value, depth: depth + 1)
        }
        newline(depth: depth)
        output.append(UInt8(ascii: "}"))
    }

    private mutating func newline(depth: Int) {
        guard prettyPrinted else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    private mutating func append(_ text: String) { output.append(contentsOf: text.utf8) }

    private mutating func writeString(_ string: String) {
        JSONStringEscaper.append(string, to: &output, upperCaseHex: true)
    }
}
