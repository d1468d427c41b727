extension JSONValue: ExpressibleByNilLiteral {
    /// Creates ``null`` from `nil`.
    ///
    /// - Parameter nilLiteral: The `nil` literal.
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates ``bool(_:)`` from `true` or `false`.
    ///
    /// - Parameter value: The literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates ``integer(_:)`` from an integer literal.
    ///
    /// - Parameter value: The literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates ``number(_:)`` from a floating-point literal; `1.0` stays a number, distinct from `1`.
    ///
    /// - Parameter value: The literal.
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension JSONValue: ExpressibleByStringInterpolation {
    /// Creates ``string(_:)`` from a string literal (interpolation is supported too).
    ///
    /// - Parameter value: The literal.
    public init(stringLiteral value: String) { self = .string(value) }

    /// Creates ``string(_:)`` from an interpolated string literal.
    ///
    /// - Parameter stringInterpolation: The literal's parts.
    public init(stringInterpolation: StringInterpolation) { self = .string(stringInterpolation.text) }

    /// Builds the text of an interpolated ``JSONValue`` string literal.
    ///
    /// An interpolated ``JSONValue`` that is a string adds its text without quotes (`"notes on \(topic)"` gives
    /// `notes on Swift`, not `notes on "Swift"`); any other ``JSONValue`` adds its compact JSON text, and `nil` adds
    /// `null`. Other values add their `description`.
    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var text = ""

        /// Creates an empty interpolation.
        ///
        /// - Parameters:
        ///   - literalCapacity: The combined length of the literal parts.
        ///   - interpolationCount: The number of interpolated values.
        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + 8 * interpolationCount)
        }

        /// Adds a literal part.
        ///
        /// - Parameter literal: The literal text.
        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// Adds a JSON value: a string's text without quotes, anything else as compact JSON.
        ///
        /// - Parameter value: The value to add.
        public mutating func appendInterpolation(_ value: JSONValue) {
            if case .string(let string) = value { text += string } else { text += value.jsonText() }
        }

        /// Adds an optional JSON value; `nil` adds `null`.
        ///
        /// - Parameter value: The value to add.
        public mutating func appendInterpolation(_ value: JSONValue?) {
            guard let value else {
                text += "null"
                return
            }
            appendInterpolation(value)
        }

        /// Adds any other value's description.
        ///
        /// - Parameter value: The value to add.
        public mutating func appendInterpolation<Value>(_ value: Value) {
            text += String(describing: value)
        }
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates ``array(_:)`` from an array literal.
    ///
    /// - Parameter elements: The elements, in order.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates ``object(_:)`` from a dictionary literal; when a key repeats, the last value wins.
    ///
    /// - Parameter elements: The members.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
