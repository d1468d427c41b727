/// An error thrown by ``JSONValue/init(parsing:)`` when the text is not valid JSON (RFC 8259).
///
/// The error locates the problem by UTF-8 byte ``offset`` and by ``line`` and ``column``, and its ``message`` says
/// what was expected there. Errors compare by all fields.
public struct JSONParsingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of a parsing error; new codes may be added without breaking clients.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The text ended where more was expected (including empty input).
        public static let unexpectedEndOfInput = Code(rawValue: "unexpectedEndOfInput")
        /// A character that cannot start or continue the expected construct.
        public static let unexpectedCharacter = Code(rawValue: "unexpectedCharacter")
        /// A string that is unterminated, holds a raw control character or a bad escape.
        public static let invalidString = Code(rawValue: "invalidString")
        /// A malformed or out-of-range number.
        public static let invalidNumber = Code(rawValue: "invalidNumber")
        /// Arrays and objects nested deeper than ``JSONValue/maximumParsingDepth``.
        public static let depthLimitExceeded = Code(rawValue: "depthLimitExceeded")
        /// Characters other than whitespace after the top-level value.
        public static let trailingCharacters = Code(rawValue: "trailingCharacters")
    }

    /// The kind of error.
    public var code: Code
    /// The zero-based UTF-8 byte offset of the problem in the input.
    public var offset: Int
    /// The one-based line of the problem (lines end at `\n`).
    public var line: Int
    /// The one-based column of the problem, counted in Unicode scalars.
    public var column: Int
    /// What was found and what was expected, for example `expected ',' or ']' after array element, found '}'`.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of error.
    ///   - offset: The zero-based UTF-8 byte offset.
    ///   - line: The one-based line.
    ///   - column: The one-based column, in Unicode scalars.
    ///   - message: A description of what was expected.
    public init(code: Code, offset: Int, line: Int, column: Int, message: String) {
        self.code = code
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// A one-line description with position and message.
    public var description: String {
        "invalid JSON at line \(line), column \(column) (offset \(offset)): \(message)"
    }
}
