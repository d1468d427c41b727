extension JSONValue {
    /// The deepest nesting of arrays and objects that ``init(parsing:)`` accepts.
    public static let maximumParsingDepth = 512

    /// Parses JSON text (RFC 8259).
    ///
    /// Numbers without fraction or exponent that fit in `Int64` become ``integer(_:)``; other numbers become
    /// ``number(_:)``. `-0` becomes `.number(-0.0)` so that its sign survives. Numbers too large for a `Double`
    /// are rejected. Strings accept every escape, including `\uXXXX` surrogate pairs; lone surrogates are rejected.
    /// When an object repeats a key, the last value wins. Parsing is iterative, so deep input cannot exhaust the
    /// stack; nesting beyond ``maximumParsingDepth`` is an error.
    ///
    /// - Parameter text: The JSON text; whitespace may surround the value.
    /// - Throws: ``JSONParsingError`` locating the first problem.
    public init(parsing text: String) throws(JSONParsingError) {
        var text = text
        let result = text.withUTF8 { bytes -> Result<JSONValue, JSONParsingError> in
            var parser = JSONTextParser(bytes: bytes)
            do throws(JSONParsingError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }
}

/// The ASCII bytes the parser looks for.
enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
}

/// An iterative recursive-descent parser over UTF-8 bytes.
struct JSONTextParser {
    private struct Frame {
        var isObject: Bool
        var elements: [JSONValue] = []
        /// An object's members in text order; the dictionary is built once, at its final size, when it closes.
        var members: [(String, JSONValue)] = []
        var key: String = ""
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONParsingError) -> JSONValue {
        var stack: [Frame] = []
        var afterComma = false
        skipWhitespace()
        if index == bytes.count {
            throw error(.unexpectedEndOfInput, "empty input, expected a JSON value")
        }
        parsing: while true {
            skipWhitespace()
            guard index < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input, expected a JSON value")
            }
            var value: JSONValue
            let byte = bytes[index]
            switch byte {
            case ASCII.openBrace, ASCII.openBracket:
                guard stack.count < JSONValue.maximumParsingDepth else {
                    throw error(
                        .depthLimitExceeded,
                        "nesting exceeds the maximum depth of \(JSONValue.maximumParsingDepth)"
                    )
                }
                index += 1
                skipWhitespace()
                let isObject = byte == ASCII.openBrace
                let close = isObject ? ASCII.closeBrace : ASCII.closeBracket
                if index < bytes.count, bytes[index] == close {
                    index += 1
                    value = isObject ? .object([:]) : .array([])
                } else if isObject {
                    stack.append(Frame(isObject: true, key: try parseKey(afterComma: false)))
                    afterComma = false
                    continue parsing
                } else {
                    stack.append(Frame(isObject: false))
                    afterComma = false
                    continue parsing
                }
            case ASCII.quote:
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case ASCII.minus, ASCII.zero...ASCII.nine:
                value = try parseNumber()
            case ASCII.closeBracket where afterComma, ASCII.closeBrace where afterComma:
                throw error(.unexpectedCharacter, "trailing comma before \(describe(byte)) is not allowed")
            default:
                throw error(.unexpectedCharacter, "expected a JSON value, found \(describe(byte))")
            }
            // Attach the completed value to the enclosing containers, closing as many as end here.
            while !stack.isEmpty {
                skipWhitespace()
                let top = stack.count - 1
                let next: UInt8? = index < bytes.count ? bytes[index] : nil
                if stack[top].isObject {
                    stack[top].members.append((stack[top].key, value))
                    if next == ASCII.comma {
                        index += 1
                        stack[top].key = try parseKey(afterComma: true)
                        afterComma = false
                        continue parsing
                    } else if next == ASCII.closeBrace {
                        index += 1
                        // A repeated key: the last value wins.
                        value = .object(Dictionary(stack.removeLast().members) { _, last in last })
                    } else {
                        throw unexpected(next, expected: "',' or '}' after object member")
                    }
                } else {
                    stack[top].elements.append(value)
                    if next == ASCII.comma {
                        index += 1
                        afterComma = true
                        continue parsing
                    } else if next == ASCII.closeBracket {
                        index += 1
                        value = .array(stack.removeLast().elements)
                    } else {
                        throw unexpected(next, expected: "',' or ']' after array element")
                    }
                }
            }
            skipWhitespace()
            guard index == bytes.count else {
                throw error(
                    .trailingCharacters,
                    "unexpected \(describe(bytes[index])) after the JSON value, expected end of input"
                )
            }
            return value
        }
    }

    /// Parses `"key"` and the following `:`.
    private mutating func parseKey(afterComma: Bool) throws(JSONParsingError) -> String {
        skipWhitespace()
        guard index < bytes.count else {
            throw error(.unexpectedEndOfInput, "unexpected end of input, expected a string key")
        }
        if afterComma, bytes[index] == ASCII.closeBrace {
            throw error(.unexpectedCharacter, "trailing comma before '}' is not allowed")
        }
        guard bytes[index] == ASCII.quote else {
            throw error(.unexpectedCharacter, "expected a string key, found \(describe(bytes[index]))")
        }
        let key = try parseString()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == ASCII.colon else {
            throw unexpected(index < bytes.count ? bytes[index] : nil, expected: "':' after object key")
        }
        index += 1
        return key
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParsingError) {
        let start = index
        for expected in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard index < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input in literal, expected '\(literal)'")
            }
            guard bytes[index] == expected else {
                let found = describe(bytes[index])
                index = start
                throw error(.unexpectedCharacter, "invalid literal, expected '\(literal)', found \(found)")
            }
            index += 1
        }
    }

    /// Parses a string starting at the opening quote.
    private mutating func parseString() throws(JSONParsingError) -> String {
        let start = index
        index += 1
        var runStart = index
        var buffer: [UInt8] = []
        var escaped = false
        while true {
            guard index < bytes.count else {
                index = start
                throw error(.invalidString, "unterminated string, expected '\"'")
            }
            let byte = bytes[index]
            if byte == ASCII.quote {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                index += 1
                if !escaped { return String(decoding: run, as: UTF8.self) }
                buffer.append(contentsOf: run)
                return String(decoding: buffer, as: UTF8.self)
            } else if byte == ASCII.backslash {
                escaped = true
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try parseEscape(into: &buffer)
                runStart = index
            } else if byte < 0x20 {
                throw error(.invalidString, "unescaped control character \(describe(byte)) in string")
            } else {
                index += 1
            }
        }
    }

    /// Parses one escape sequence at a backslash and appends its UTF-8 encoding.
    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParsingError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else {
            throw error(.invalidString, "unterminated string, expected an escape sequence")
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case ASCII.quote, ASCII.backslash, ASCII.slash: buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            var scalarValue = UInt32(first)
            if (0xD800..<0xDC00).contains(first) {
                guard index + 1 < bytes.count, bytes[index] == ASCII.backslash, bytes[index + 1] == UInt8(ascii: "u")
                else {
                    index = escapeStart
                    throw error(.invalidString, "lone high surrogate, expected a '\\u' low surrogate to follow")
                }
                let lowStart = index
                index += 2
                let second = try parseHex4()
                guard (0xDC00..<0xE000).contains(second) else {
                    index = lowStart
                    throw error(.invalidString, "expected a low surrogate (\\uDC00-\\uDFFF) after a high surrogate")
                }
                scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            } else if (0xDC00..<0xE000).contains(first) {
                index = escapeStart
                throw error(.invalidString, "lone low surrogate in '\\u' escape")
            }
            // Every non-surrogate value and every surrogate pair is a valid scalar.
            buffer.append(contentsOf: String(Character(Unicode.Scalar(scalarValue)!)).utf8)
        default:
            index = escapeStart
            throw error(
                .invalidString,
                "invalid escape sequence '\\\(describeRaw(byte))', expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u"
            )
        }
    }

    private mutating func parseHex4() throws(JSONParsingError) -> UInt16 {
        var result: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else {
                throw error(.unexpectedEndOfInput, "unexpected end of input, expected four hex digits after '\\u'")
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidString, "expected a hex digit in '\\u' escape, found \(describe(byte))")
            }
            result = result << 4 | UInt16(digit)
            index += 1
        }
        return result
    }

    func unexpected(_ byte: UInt8?, expected: String) -> JSONParsingError {
        guard let byte else { return error(.unexpectedEndOfInput, "unexpected end of input, expected \(expected)") }
        return error(.unexpectedCharacter, "expected \(expected), found \(describe(byte))")
    }

    /// A readable rendering of the character starting at a byte.
    private func describe(_ byte: UInt8) -> String {
        if byte < 0x20 || byte == 0x7F {
            return "control character U+00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))"
        }
        return "'\(describeRaw(byte))'"
    }

    /// The character starting at `index - 1` (for escapes) or the byte itself when ASCII.
    private func describeRaw(_ byte: UInt8) -> String {
        if byte < 0x80 { return String(Unicode.Scalar(byte)) }
        return "non-ASCII character"
    }

    func error(_ code: JSONParsingError.Code, _ message: String) -> JSONParsingError {
        var line = 1
        var column = 1
        for byte in UnsafeBufferPointer(rebasing: bytes[0..<min(index, bytes.count)]) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONParsingError(code: code, offset: index, line: line, column: column, message: message)
    }
}
