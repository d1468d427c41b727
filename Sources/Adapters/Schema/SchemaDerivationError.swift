/// Why ``ToolSchema/init(deriving:)`` could not derive a schema for a type.
///
/// The error names the type (``type``), the chain of types that led to it from the root (``typePath``) and the
/// field where it was met (``field``), and its ``message`` says what to do: most often, conform the type to
/// ``ToolSchemaProviding``. A `Sendable`, `Codable` value; errors compare all fields.
public struct SchemaDerivationError: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// Codes are a struct with static members rather than an enum, so new codes never break a client's `switch`.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its stable name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The type contains itself (directly, or through optionals, arrays or other types): probing it would
        /// never end. ``SchemaDerivationError/typePath`` shows the cycle.
        public static let recursiveType = Code(rawValue: "recursiveType")
        /// Types nest deeper than ``ToolSchema/maximumDerivationDepth``; ``SchemaDerivationError/typePath`` shows
        /// the chain.
        public static let depthLimitExceeded = Code(rawValue: "depthLimitExceeded")
        /// The type cannot be probed: a dictionary, an enum with associated values, a type that reads its keys
        /// dynamically, an enum without cases, or a type whose `init(from:)` refused the probe value.
        public static let underivableType = Code(rawValue: "underivableType")
        /// A type conforming to ``ToolSchemaProviding`` is nested in a derived type, but none of its schema's
        /// examples nor its smallest sample decodes into it, so the enclosing type cannot be walked further.
        public static let noSampleValue = Code(rawValue: "noSampleValue")
        /// Two provided schemas define the same name in ``ToolSchema/definitions`` differently.
        public static let conflictingDefinitions = Code(rawValue: "conflictingDefinitions")
        /// A provided schema refers (``ToolSchema/reference``) to a definition that no provided schema defines.
        public static let unresolvedReference = Code(rawValue: "unresolvedReference")

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The type that could not be derived, for example `Shape` (without its module).
    public var type: String
    /// The types from the root to ``type``, for example `["Order", "Array<Item>", "Item", "Shape"]`.
    public var typePath: [String]
    /// Where the type was met, as a ``SchemaViolation/path`` (`items[0].shape`); `""` at the root.
    public var field: String
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - type: The type that could not be derived.
    ///   - typePath: The types from the root to `type`.
    ///   - field: Where the type was met; `""` at the root.
    ///   - message: What went wrong and what to do about it.
    public init(code: Code, type: String, typePath: [String], field: String, message: String) {
        self.code = code
        self.type = type
        self.typePath = typePath
        self.field = field
        self.message = message
    }

    /// A one-line summary naming the type.
    public var description: String { "SchemaDerivationError.\(code) (type \(type)): \(message)" }
}
