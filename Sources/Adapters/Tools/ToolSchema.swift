/// A small JSON Schema subset that describes and checks tool arguments.
///
/// A schema has a ``kind`` (object, array, string, integer, number, boolean, null, or any), an optional
/// ``description``, and the rules that apply to its kind: ``properties``, ``required`` and
/// ``allowsAdditionalProperties`` for objects; ``items`` for arrays; ``minimum`` and ``maximum`` for numbers;
/// ``minLength`` and ``maxLength`` (in Unicode scalars) for strings; and ``allowedValues`` (JSON Schema `enum`) for
/// any kind.
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

extension ToolSchema {
    /// Checks `value` against the schema and returns the first violation, or `nil` when it conforms.
    ///
    /// The order is deterministic: the kind first, then ``allowedValues``, then the kind's rules; for objects the
    /// ``required`` members in their listed order, then the known properties in sorted key order, then (when
    /// additional properties are not allowed) the first unknown member in sorted order; arrays element by element.
    ///
    /// - Parameter value: The value to check, typically a tool call's arguments.
    /// - Returns: The first violation, with its ``SchemaViolation/path``, or `nil`.
    public func validate(_ value: JSONValue) -> SchemaViolation? {
        check(value, path: "")
    }

    private func check(_ value: JSONValue, path: String) -> SchemaViolation? {
        if let mismatch = kindMismatch(value) {
            return SchemaViolation(path: path, message: mismatch)
        }
        if let allowedValues, !allowedValues.contains(where: { equivalent($0, value) }) {
            let list = allowedValues.map { $0.jsonText() }.joined(separator: ", ")
            return SchemaViolation(path: path, message: "\(value.jsonText()) is not one of [\(list)]")
        }
        switch value {
        case .integer, .number:
            if let minimum, let order = compareNumbers(value, minimum), order < 0 {
                return SchemaViolation(path: path, message: "value \(value) is below minimum \(minimum)")
            }
            if let maximum, let order = compareNumbers(value, maximum), order > 0 {
                return SchemaViolation(path: path, message: "value \(value) is above maximum \(maximum)")
            }
        case .string(let string):
            let length = string.unicodeScalars.count
            if let minLength, length < minLength {
                return SchemaViolation(
                    path: path,
                    message: "string of length \(length) is shorter than minimum length \(minLength)"
                )
            }
            if let maxLength, length > maxLength {
                return SchemaViolation(
                    path: path,
                    message: "string of length \(length) is longer than maximum length \(maxLength)"
                )
            }
        case .array(let elements):
            if let items {
                for (index, element) in elements.enumerated() {
                    if let violation = items.check(element, path: "\(path)[\(index)]") { return violation }
                }
            }
        case .object(let members):
            return checkMembers(members, path: path)
        case .null, .bool:
            break
        }
        return nil
    }

    private func checkMembers(_ members: [String: JSONValue], path: String) -> SchemaViolation? {
        for name in required where members[name] == nil {
            return SchemaViolation(path: memberPath(path, name), message: "missing required property \"\(name)\"")
        }
        for name in properties.keys.sorted(by: utf8Precedes) {
            guard let member = members[name] else { continue }
            if let violation = properties[name]!.check(member, path: memberPath(path, name)) { return violation }
        }
        if !allowsAdditionalProperties {
            for name in members.keys.sorted(by: utf8Precedes) where properties[name] == nil {
                return SchemaViolation(path: memberPath(path, name), message: "unexpected property \"\(name)\"")
            }
        }
        return nil
    }

    /// A message when `value` is not of ``kind``, or `nil`.
    private func kindMismatch(_ value: JSONValue) -> String? {
        let matches: Bool
        switch kind {
        case .any: matches = true
        case .integer: matches = value.integerValue != nil
        case .number: matches = value.doubleValue != nil
        case .string: matches = value.stringValue != nil
        case .boolean: matches = value.boolValue != nil
        case .null: matches = value.isNull
        case .array: matches = value.arrayValue != nil
        case .object: matches = value.objectValue != nil
        default: matches = false
        }
        return matches ? nil : "expected \(kind), found \(summary(of: value))"
    }
}

/// `a` sorts before `b` by UTF-8 bytes.
func utf8Precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

/// Equality for `enum` checks: numbers by value, everything else structurally.
private func equivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
    if let order = compareNumbers(a, b) { return order == 0 }
    return a == b
}

/// The path of member `name` under `path`.
func memberPath(_ path: String, _ name: String) -> String {
    let isIdentifier =
        !name.isEmpty
        && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
        && !(name.utf8.first! >= UInt8(ascii: "0") && name.utf8.first! <= UInt8(ascii: "9"))
    if !isIdentifier { return "\(path)[\(JSONValue.string(name).jsonText())]" }
    return path.isEmpty ? name : "\(path).\(name)"
}

/// A short description of a value for messages: kind plus the value for scalars, strings cut at 40 scalars.
private func summary(of value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .array, .object: return value.kindName
    case .string(let string) where string.unicodeScalars.count > 40:
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: string.unicodeScalars.prefix(40))
        return "string \(JSONValue.string(String(prefix)).jsonText())…"
    default: return "\(value.kindName) \(value.jsonText())"
    }
}
