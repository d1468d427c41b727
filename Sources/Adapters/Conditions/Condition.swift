/// A test over a ``JSONValue`` that needs no code to state: a path equals a value, a path is one of several
/// values, a path exists, or a Swift predicate registered by name; combined with ``not(_:)``, ``all(_:)`` and
/// ``any(_:)``.
///
/// Conditions route work: a graph edge may carry one over its source node's output, and a workflow's decision
/// state tests them, in order, over the workflow's data. They are plain data, never evaluated strings: a condition
/// can be stored in a JSON definition, compared, hashed and printed on a diagram, and the only code it can run is a
/// predicate you registered in a ``PredicateRegistry`` under the name it mentions.
///
/// ```swift
/// let isBilling: Condition = .equals("$.category", "billing")
/// let needsHuman: Condition = .any([.isOneOf("$.priority", ["high", "urgent"]), .predicate("mentionsRefund")])
///
/// var predicates = PredicateRegistry()
/// try predicates.register("mentionsRefund") { $0["text"]?.stringValue?.contains("refund") == true }
/// try needsHuman.evaluate(on: ["priority": "low", "text": "please refund me"], predicates: predicates)  // true
/// ```
///
/// **Comparing values.** ``equals(_:_:)`` and ``isOneOf(_:_:)`` compare numbers by value, so `1` and `1.0` are
/// equal (a model's output may carry either); strings, booleans and `null` compare exactly, arrays element by
/// element and objects member by member with the same rule. A path that names nothing makes ``equals(_:_:)``,
/// ``isOneOf(_:_:)`` and ``exists(_:)`` false; a present `null` exists.
///
/// Encoded flat with a `kind` key: `{"kind": "equals", "path": "$.category", "value": "billing"}`,
/// `{"kind": "isOneOf", "path": …, "values": […]}`, `{"kind": "exists", "path": …}`,
/// `{"kind": "predicate", "name": …}`, `{"kind": "not", "condition": …}`, `{"kind": "all", "conditions": […]}`,
/// `{"kind": "any", "conditions": […]}` and `{"kind": "always"}`.
public indirect enum Condition: Sendable, Hashable {
    /// Always true: the default branch.
    case always
    /// True when the path names a value (`null` included).
    ///
    /// - Parameter path: Where to look.
    case exists(_ path: JSONPath)
    /// True when the value at the path equals the given value (numbers compared by value).
    ///
    /// - Parameters:
    ///   - path: Where to look.
    ///   - value: The value to compare with.
    case equals(_ path: JSONPath, _ value: JSONValue)
    /// True when the value at the path equals one of the given values.
    ///
    /// - Parameters:
    ///   - path: Where to look.
    ///   - values: The values to compare with.
    case isOneOf(_ path: JSONPath, _ values: [JSONValue])
    /// True when the predicate registered under this name returns `true` for the whole value.
    ///
    /// - Parameter name: The predicate's name in the ``PredicateRegistry``.
    case predicate(_ name: String)
    /// True when the condition is false.
    ///
    /// - Parameter condition: The condition to negate.
    case not(_ condition: Condition)
    /// True when every condition is true (and for an empty list); evaluated in order, stopping at the first false.
    ///
    /// - Parameter conditions: The conditions.
    case all(_ conditions: [Condition])
    /// True when some condition is true (false for an empty list); evaluated in order, stopping at the first true.
    ///
    /// - Parameter conditions: The conditions.
    case any(_ conditions: [Condition])

    /// Tests the condition on a value.
    ///
    /// - Parameters:
    ///   - value: The value to test: a node's output, or a workflow's data.
    ///   - predicates: Where ``predicate(_:)`` names are looked up.
    /// - Returns: Whether the condition holds.
    /// - Throws: ``ConditionError`` with code `unknownPredicate` naming the predicate when it is not registered.
    public func evaluate(on value: JSONValue, predicates: PredicateRegistry = PredicateRegistry())
        throws(ConditionError)
        -> Bool
    {
        switch self {
        case .always:
            return true
        case .exists(let path):
            return path.value(in: value) != nil
        case .equals(let path, let expected):
            guard let found = path.value(in: value) else { return false }
            return Self.sameValue(found, expected)
        case .isOneOf(let path, let candidates):
            guard let found = path.value(in: value) else { return false }
            return candidates.contains { Self.sameValue(found, $0) }
        case .predicate(let name):
            guard let predicate = predicates.predicate(named: name) else {
                throw ConditionError.unknownPredicate(name, known: predicates.names)
            }
            return predicate(value)
        case .not(let condition):
            return try !condition.evaluate(on: value, predicates: predicates)
        case .all(let conditions):
            for condition in conditions where try !condition.evaluate(on: value, predicates: predicates) {
                return false
            }
            return true
        case .any(let conditions):
            for condition in conditions where try condition.evaluate(on: value, predicates: predicates) {
                return true
            }
            return false
        }
    }

    /// The names of every predicate the condition mentions, nested ones included, so that a definition can be
    /// checked against a registry when it is loaded rather than when a branch is first taken.
    public var predicateNames: Set<String> {
        switch self {
        case .always, .exists, .equals, .isOneOf: []
        case .predicate(let name): [name]
        case .not(let condition): condition.predicateNames
        case .all(let conditions), .any(let conditions):
            conditions.reduce(into: Set<String>()) { $0.formUnion($1.predicateNames) }
        }
    }

    /// Every path the condition reads, nested ones included, in order of appearance.
    public var paths: [JSONPath] {
        switch self {
        case .always, .predicate: []
        case .exists(let path), .equals(let path, _), .isOneOf(let path, _): [path]
        case .not(let condition): condition.paths
        case .all(let conditions), .any(let conditions): conditions.flatMap(\.paths)
        }
    }

    /// Whether two values are the same for ``equals(_:_:)``: numbers by value, containers element-wise.
    static func sameValue(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)):
            return Double(exactly: a).map { $0 == b } ?? (b.rounded() == b && Int64(exactly: b) == a)
        case (.number(let a), .number(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { sameValue($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count
                && a.allSatisfy { key, value in b[key].map { sameValue(value, $0) } ?? false }
        default:
            return lhs == rhs
        }
    }
}

extension Condition: CustomStringConvertible {
    /// A short text for diagrams and messages: `$.category == "billing"`, `$.priority in ["high","urgent"]`,
    /// `exists $.refund`, `mentionsRefund`, `!(…)`, `(… && …)`, `(… || …)`, `always`.
    public var description: String {
        switch self {
        case .always: "always"
        case .exists(let path): "exists \(path)"
        case .equals(let path, let value): "\(path) == \(value.jsonText())"
        case .isOneOf(let path, let values): "\(path) in \(JSONValue.array(values).jsonText())"
        case .predicate(let name): name
        case .not(let condition): "!(\(condition))"
        case .all(let conditions):
            conditions.isEmpty ? "always" : "(" + conditions.map(\.description).joined(separator: " && ") + ")"
        case .any(let conditions):
            conditions.isEmpty ? "never" : "(" + conditions.map(\.description).joined(separator: " || ") + ")"
        }
    }
}

extension Condition: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, path, value, values, name, condition, conditions
    }

    /// Decodes the flat shape described on ``Condition``.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` naming an unknown `kind` (and listing the known ones), a missing field or a path
    ///   that does not parse.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "always": self = .always
        case "exists": self = .exists(try container.decode(JSONPath.self, forKey: .path))
        case "equals":
            self = .equals(
                try container.decode(JSONPath.self, forKey: .path),
                try container.decode(JSONValue.self, forKey: .value)
            )
        case "isOneOf":
            self = .isOneOf(
                try container.decode(JSONPath.self, forKey: .path),
                try container.decode([JSONValue].self, forKey: .values)
            )
        case "predicate": self = .predicate(try container.decode(String.self, forKey: .name))
        case "not": self = .not(try container.decode(Condition.self, forKey: .condition))
        case "all": self = .all(try container.decode([Condition].self, forKey: .conditions))
        case "any": self = .any(try container.decode([Condition].self, forKey: .conditions))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: container,
                debugDescription:
                    "unknown condition kind \"\(kind)\"; expected one of always, exists, equals, isOneOf, predicate, "
                    + "not, all, any"
            )
        }
    }

    /// Encodes the case's name under `kind` and its fields beside it.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .always:
            try container.encode("always", forKey: .kind)
        case .exists(let path):
            try container.encode("exists", forKey: .kind)
            try container.encode(path, forKey: .path)
        case .equals(let path, let value):
            try container.encode("equals", forKey: .kind)
            try container.encode(path, forKey: .path)
            try container.encode(value, forKey: .value)
        case .isOneOf(let path, let values):
            try container.encode("isOneOf", forKey: .kind)
            try container.encode(path, forKey: .path)
            try container.encode(values, forKey: .values)
        case .predicate(let name):
            try container.encode("predicate", forKey: .kind)
            try container.encode(name, forKey: .name)
        case .not(let condition):
            try container.encode("not", forKey: .kind)
            try container.encode(condition, forKey: .condition)
        case .all(let conditions):
            try container.encode("all", forKey: .kind)
            try container.encode(conditions, forKey: .conditions)
        case .any(let conditions):
            try container.encode("any", forKey: .kind)
            try container.encode(conditions, forKey: .conditions)
        }
    }
}
