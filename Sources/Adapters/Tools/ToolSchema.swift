/// A small JSON Schema subset that describes and checks tool arguments.
///
/// A schema has a ``kind`` (object, array, string, integer, number, boolean, null, or any), an optional
/// ``description``, and the rules that apply to its kind: ``properties``, ``required`` and
/// ``allowsAdditionalProperties`` for objects; ``items`` for arrays; ``minimum`` and ``maximum`` for numbers;
/// ``minLength`` and ``maxLength`` (in Unicode scalars) for strings; and, for any kind, ``allowedValues`` (JSON
/// Schema `enum`), ``isNullable`` (`null` is accepted too), ``anyOf`` (the value must match one of several schemas),
/// ``reference`` (JSON Schema `$ref` to one of the root's ``definitions``, `$defs`) and ``examples``.
///
/// ```swift
/// let schema = ToolSchema.object(
///     properties: [
///         "query": .string(description: "What to search for"),
///         "limit": .integer(minimum: 1, maximum: 10),
///     ],
///     required: ["query"]
/// )
/// schema.validate(["query": "swift", "limit": 11])  // limit: value 11 is above maximum 10
/// ```
///
/// The integer kind accepts ``JSONValue/integer(_:)`` and an exactly integral ``JSONValue/number(_:)``; the number
/// kind accepts both cases. Bounds compare exactly, so an `Int64` bound is never rounded through `Double`.
/// ``allowedValues`` compares numbers by value (`1` matches `1.0`) and everything else structurally.
///
/// `Codable` uses the standard JSON Schema form of ``jsonSchema``; decoding accepts that form (other keywords are
/// ignored). The type is a `Sendable` value.
///
/// A schema for a `Decodable` type can be derived rather than written: see ``init(deriving:)`` and
/// <doc:DerivingSchemas>.
public struct ToolSchema: Sendable, Hashable {
    /// The JSON kind a schema accepts; new kinds may be added without breaking clients.
    public struct Kind: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The JSON Schema `type` name, or `any`.
        public let rawValue: String

        /// Creates a kind from its name.
        ///
        /// - Parameter rawValue: The JSON Schema `type` name, or `any`.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A JSON object.
        public static let object = Kind(rawValue: "object")
        /// A JSON array.
        public static let array = Kind(rawValue: "array")
        /// A JSON string.
        public static let string = Kind(rawValue: "string")
        /// A whole number.
        public static let integer = Kind(rawValue: "integer")
        /// Any number.
        public static let number = Kind(rawValue: "number")
        /// `true` or `false`.
        public static let boolean = Kind(rawValue: "boolean")
        /// `null`.
        public static let null = Kind(rawValue: "null")
        /// Any JSON value (no `type` keyword).
        public static let any = Kind(rawValue: "any")

        /// The kind's name.
        public var description: String { rawValue }
    }

    /// The kind of value accepted.
    public var kind: Kind
    /// A human-readable explanation, sent to models.
    public var description: String?
    /// The schemas of an object's known members.
    public var properties: [String: ToolSchema] = [:]
    /// The members an object must have, checked in this order.
    public var required: [String] = []
    /// Whether an object may have members not listed in ``properties``; `true` by default.
    public var allowsAdditionalProperties = true
    /// The values accepted (JSON Schema `enum`), or `nil` for no restriction.
    public var allowedValues: [JSONValue]?
    /// The smallest number accepted (inclusive), as ``JSONValue/integer(_:)`` or ``JSONValue/number(_:)``.
    public var minimum: JSONValue?
    /// The largest number accepted (inclusive), as ``JSONValue/integer(_:)`` or ``JSONValue/number(_:)``.
    public var maximum: JSONValue?
    /// The shortest string accepted, in Unicode scalars.
    public var minLength: Int?
    /// The longest string accepted, in Unicode scalars.
    public var maxLength: Int?
    /// Whether `null` is accepted as well as values of ``kind``; `false` by default.
    ///
    /// A nullable schema accepts `null` before any other rule is checked. In JSON Schema form a nullable schema of
    /// a concrete kind is written with a type list, `"type": ["string", "null"]` (the form OpenAI's structured
    /// outputs document for optional fields), and `null` is appended to its `enum` when it has one. Setting it on
    /// ``Kind/any`` or ``Kind/null`` changes nothing that ``jsonSchema`` can express except for ``anyOf`` and
    /// ``reference``; use ``nullable()``, which normalises those cases, rather than setting it by hand.
    public var isNullable = false
    /// Alternatives of which the value must match at least one (JSON Schema `anyOf`), or `nil` for none.
    ///
    /// The other rules of this schema apply as well; an alternative is checked with the same root (its
    /// ``reference``s resolve against the root's ``definitions``). An empty list accepts no value.
    public var anyOf: [ToolSchema]?
    /// Named schemas that ``reference``s point to (JSON Schema `$defs`); meaningful on the root schema only.
    ///
    /// ``validate(_:)`` resolves every ``reference`` against the definitions of the schema it was called on.
    public var definitions: [String: ToolSchema] = [:]
    /// The name of a definition in the root's ``definitions`` that the value must also match (JSON Schema
    /// `"$ref": "#/$defs/<name>"`), or `nil`.
    public var reference: String?
    /// Example values (JSON Schema `examples`), shown to models; schema derivation decodes them to get a sample
    /// instance of a type that provides its own schema (see ``ToolSchemaProviding``).
    public var examples: [JSONValue]?
    /// Set on the schema that ``Tool/parameters`` returns by default when the tool's `Arguments` schema could not
    /// be derived: such a schema refuses every value, and registering the tool fails with the error.
    var derivationFailure: SchemaDerivationError?
    private var itemStorage: [ToolSchema] = []

    /// The schema of every array element, or `nil` to accept any elements.
    public var items: ToolSchema? {
        get { itemStorage.first }
        set { itemStorage = newValue.map { [$0] } ?? [] }
    }

    /// Creates a schema of `kind` with no rules; set the rule properties afterwards.
    ///
    /// - Parameters:
    ///   - kind: The kind of value accepted.
    ///   - description: A human-readable explanation.
    public init(kind: Kind, description: String? = nil) {
        self.kind = kind
        self.description = description
    }
}

extension ToolSchema {
    /// An object schema.
    ///
    /// - Parameters:
    ///   - properties: The schemas of the known members.
    ///   - required: The members that must be present.
    ///   - allowsAdditionalProperties: Whether unknown members are accepted.
    ///   - description: A human-readable explanation.
    /// - Returns: The schema.
    public static func object(
        properties: [String: ToolSchema] = [:],
        required: [String] = [],
        allowsAdditionalProperties: Bool = true,
        description: String? = nil
    ) -> ToolSchema {
        var schema = ToolSchema(kind: .object, description: description)
        schema.properties = properties
        schema.required = required
        schema.allowsAdditionalProperties = allowsAdditionalProperties
        return schema
    }

    /// A string schema.
    ///
    /// - Parameters:
    ///   - description: A human-readable explanation.
    ///   - allowed: The strings accepted (JSON Schema `enum`), or `nil` for any string.
    ///   - minLength: The shortest string accepted, in Unicode scalars.
    ///   - maxLength: The longest string accepted, in Unicode scalars.
    /// - Returns: The schema.
    public static func string(
        description: String? = nil,
        enum allowed: [String]? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil
    ) -> ToolSchema {
        var schema = ToolSchema(kind: .string, description: description)
        schema.allowedValues = allowed?.map { .string($0) }
        schema.minLength = minLength
        schema.maxLength = maxLength
        return schema
    }

    /// An integer schema with optional inclusive bounds.
    ///
    /// - Parameters:
    ///   - description: A human-readable explanation.
    ///   - minimum: The smallest value accepted.
    ///   - maximum: The largest value accepted.
    /// - Returns: The schema.
    public static func integer(description: String? = nil, minimum: Int64? = nil, maximum: Int64? = nil) -> ToolSchema {
        var schema = ToolSchema(kind: .integer, description: description)
        schema.minimum = minimum.map { .integer($0) }
        schema.maximum = maximum.map { .integer($0) }
        return schema
    }

    /// A number schema with optional inclusive bounds.
    ///
    /// - Parameters:
    ///   - description: A human-readable explanation.
    ///   - minimum: The smallest value accepted.
    ///   - maximum: The largest value accepted.
    /// - Returns: The schema.
    public static func number(
        description: String? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil
    ) -> ToolSchema {
        var schema = ToolSchema(kind: .number, description: description)
        schema.minimum = minimum.map { .number($0) }
        schema.maximum = maximum.map { .number($0) }
        return schema
    }

    /// A Boolean schema.
    ///
    /// - Parameter description: A human-readable explanation.
    /// - Returns: The schema.
    public static func boolean(description: String? = nil) -> ToolSchema {
        ToolSchema(kind: .boolean, description: description)
    }

    /// An array schema whose elements all match `items`.
    ///
    /// - Parameters:
    ///   - items: The schema of every element.
    ///   - description: A human-readable explanation.
    /// - Returns: The schema.
    public static func array(of items: ToolSchema, description: String? = nil) -> ToolSchema {
        var schema = ToolSchema(kind: .array, description: description)
        schema.items = items
        return schema
    }

    /// A schema that accepts only `null`.
    public static var null: ToolSchema { ToolSchema(kind: .null) }

    /// A schema that accepts any JSON value.
    public static var any: ToolSchema { ToolSchema(kind: .any) }
}
