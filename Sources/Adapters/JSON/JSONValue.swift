/// A JSON value: the library's single payload currency for tasks, outputs and tool arguments.
///
/// Every value that crosses an adapter boundary is a ``JSONValue``. The empty values `""`, `0`, `false`, `[]`, `{}`
/// and `null` are distinct cases or payloads, and stay distinct through any encoder and decoder.
///
/// **Integer or number.** ``integer(_:)`` and ``number(_:)``, and the sign of `-0.0`, are kept exactly by the
/// library's own text form (``init(parsing:)`` and ``jsonText(prettyPrinted:)``) and its own coders
/// (``JSONValueEncoder`` and ``JSONValueDecoder``), which is what the library's reports use. Foundation's coders
/// cannot carry the distinction: `JSONEncoder` writes a whole-valued `Double` without a fraction (`2.0` as `2`,
/// `-0.0` as `-0`), so `JSONDecoder` gives back a whole-valued ``number(_:)`` that fits in `Int64` as
/// ``integer(_:)``: `.number(2.0)` as `.integer(2)`, `.number(-0.0)` as `.integer(0)` (the sign is lost),
/// `.number(1e18)` as `.integer(1000000000000000000)`. Integers, fractional numbers and whole numbers outside
/// `Int64` (such as `1e20`) come back unchanged. When a value may have passed through Foundation, compare numbers
/// with ``integerValue`` and ``doubleValue`` rather than by case.
///
/// ```swift
/// let arguments: JSONValue = ["query": "swift", "limit": 10, "exact": false, "tags": [], "cursor": nil]
/// arguments["limit"]?.integerValue  // 10
/// arguments.jsonText()  // {"cursor":null,"exact":false,"limit":10,"query":"swift","tags":[]}
/// ```
///
/// Equality and hashing are synthesized and therefore structural: `.integer(1)` and `.number(1.0)` are **different**
/// values, although ``integerValue`` and ``doubleValue`` read both. ``number(_:)`` follows `Double` equality, so
/// `.number(.nan)` is not equal to itself. Non-finite numbers cannot be written as JSON text and print as `null`.
///
/// The type is a `Sendable` value type, safe to share between tasks.
public enum JSONValue: Sendable, Hashable {
    /// The JSON `null` literal.
    case null
    /// A JSON `true` or `false`.
    case bool(Bool)
    /// A JSON number without fraction or exponent that fits in 64 signed bits.
    case integer(Int64)
    /// Any other JSON number.
    case number(Double)
    /// A JSON string.
    case string(String)
    /// A JSON array.
    case array([JSONValue])
    /// A JSON object; key order is not significant and text output sorts keys.
    case object([String: JSONValue])
}

extension JSONValue {
    /// The member named `key`, or `nil` when the value is not an object or has no such member.
    ///
    /// - Parameter key: The member name.
    /// - Returns: The member's value, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The element at `index`, or `nil` when the value is not an array or the index is out of range.
    ///
    /// - Parameter index: A zero-based position.
    /// - Returns: The element, or `nil`.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The string payload, or `nil` for any other kind.
    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    /// The value as a 64-bit integer: an ``integer(_:)`` payload, or a ``number(_:)`` that is exactly integral and
    /// in range; otherwise `nil`.
    public var integerValue: Int64? {
        switch self {
        case .integer(let integer): integer
        case .number(let number): exactInt64(number)
        default: nil
        }
    }

    /// The value as a `Double`, from ``integer(_:)`` (possibly rounded) or ``number(_:)``; otherwise `nil`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    /// The Boolean payload, or `nil` for any other kind (numbers are never Booleans).
    public var boolValue: Bool? {
        guard case .bool(let bool) = self else { return nil }
        return bool
    }

    /// The elements of an array, or `nil` for any other kind.
    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// The members of an object, or `nil` for any other kind.
    public var objectValue: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return members
    }

    /// Whether the value is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The name of the value's kind, as used in diagnostics: `null`, `boolean`, `integer`, `number`, `string`,
    /// `array` or `object`.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact, canonical JSON text (see ``jsonText(prettyPrinted:)``).
    public var description: String { jsonText() }
}

/// Converts `value` to `Int64` when it is finite, integral and in range, without calling libm.
func exactInt64(_ value: Double) -> Int64? {
    guard value.isFinite, value >= -9_223_372_036_854_775_808.0, value < 9_223_372_036_854_775_808.0 else {
        return nil
    }
    let truncated = Int64(value)  // fptosi: truncates toward zero, no `trunc` call
    return Double(truncated) == value ? truncated : nil
}

/// Converts `value` to `UInt64` when it is finite, integral and in range, without calling libm.
func exactUInt64(_ value: Double) -> UInt64? {
    guard value.isFinite, value >= 0, value < 18_446_744_073_709_551_616.0 else { return nil }
    let truncated = UInt64(value)
    return Double(truncated) == value ? truncated : nil
}

/// Compares two numeric JSON values exactly (integers against doubles without rounding).
///
/// Returns `nil` when either value is not a number or a NaN is involved.
func compareNumbers(_ lhs: JSONValue, _ rhs: JSONValue) -> Int? {
    switch (lhs, rhs) {
    case (.integer(let a), .integer(let b)): return a < b ? -1 : (a == b ? 0 : 1)
    case (.number(let a), .number(let b)):
        if a.isNaN || b.isNaN { return nil }
        return a < b ? -1 : (a == b ? 0 : 1)
    case (.integer(let a), .number(let b)): return compareInteger(a, b)
    case (.number(let a), .integer(let b)): return compareInteger(b, a).map { -$0 }
    default: return nil
    }
}

/// Compares an `Int64` with a `Double` exactly.
private func compareInteger(_ integer: Int64, _ double: Double) -> Int? {
    if double.isNaN { return nil }
    if double >= 9_223_372_036_854_775_808.0 { return -1 }
    if double < -9_223_372_036_854_775_808.0 { return 1 }
    let truncated = Int64(double)
    if integer != truncated { return integer < truncated ? -1 : 1 }
    let fraction = double - Double(truncated)  // exact: both operands share the integral part
    return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
}

extension JSONValue {
    /// The deepest nesting of arrays and objects in the value (a scalar is 0), found without recursion.
    ///
    /// The walk stops as soon as the depth passes `limit`, so checking a hostile, very deep value is cheap.
    ///
    /// The orchestrator uses it to refuse over-deep tool arguments before anything recursive walks them.
    ///
    /// - Parameter limit: The depth beyond which counting stops.
    /// - Returns: The depth, or `limit + 1` if it is deeper than `limit`.
    package func nestingDepth(upTo limit: Int = JSONValue.maximumParsingDepth) -> Int {
        var deepest = 0
        var pending: [(value: JSONValue, depth: Int)] = [(self, 0)]
        while let (value, depth) = pending.popLast() {
            let children: [JSONValue]
            switch value {
            case .array(let elements): children = elements
            case .object(let members): children = Array(members.values)
            default: continue
            }
            let inner = depth + 1
            deepest = max(deepest, inner)
            if deepest > limit { return limit + 1 }
            for child in children {
                switch child {
                case .array, .object: pending.append((child, inner))
                default: break
                }
            }
        }
        return deepest
    }
}
