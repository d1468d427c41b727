/// Decodes `Decodable` values from ``JSONValue`` trees, without text and without Foundation.
///
/// ```swift
/// struct Query: Codable { var text: String; var limit: Int? }
/// let query = try JSONValueDecoder().decode(Query.self, from: ["text": "swift", "limit": 5])
/// ```
///
/// Decoding is strict and exact:
/// - integers decode from ``JSONValue/integer(_:)`` and from an exactly integral ``JSONValue/number(_:)``;
///   a value out of the target type's range is `DecodingError.dataCorrupted`;
/// - `Double` and `Float` decode from both number cases; Booleans, strings and numbers never convert into each
///   other (`DecodingError.typeMismatch`);
/// - a missing key is `DecodingError.keyNotFound`, `null` where a value is required is
///   `DecodingError.valueNotFound`; `decodeIfPresent` returns `nil` for a missing key or `null`;
/// - a ``JSONValue`` inside the decoded structure receives the stored value unchanged.
///
/// Every error's context carries the coding path of the offending value (array positions as `Index N`).
/// The decoder is a `Sendable` value; each call to ``decode(_:from:)`` is independent.
public struct JSONValueDecoder: Sendable {
    /// Contextual information exposed to the values being decoded as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates a decoder.
    public init() {}

    /// Decodes a value of `type` from `value`.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - value: The tree to read.
    /// - Returns: The decoded value.
    /// - Throws: `DecodingError` with the coding path of the offending value, or any error thrown by `type`'s
    ///   `init(from:)`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        return try T(from: JSONValueDecoderImpl(value: value, codingPath: [], userInfo: userInfo))
    }
}

/// The `Decoder` handed to `init(from:)`; also its own single-value container.
struct JSONValueDecoderImpl: Decoder, SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw mismatch([String: JSONValue].self, value, at: codingPath, container: "keyed decoding container")
        }
        return KeyedDecodingContainer(JSONValueKeyedDecodingContainer<Key>(decoder: self, members: members))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw mismatch([JSONValue].self, value, at: codingPath, container: "unkeyed decoding container")
        }
        return JSONValueUnkeyedDecodingContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// Decodes `type` from `value` found at `path`.
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at path: [any CodingKey]) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        return try unbox(type, value, at: path)
            ?? T(from: JSONValueDecoderImpl(value: value, codingPath: path, userInfo: sendableUserInfo))
    }

    // MARK: Single-value container

    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try unboxBool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try unboxString(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try unboxDouble(value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try unboxFloat(value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try unboxInteger(value, at: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try unboxInteger(value, at: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unboxInteger(value, at: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unboxInteger(value, at: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decode(type, from: value, at: codingPath) }
}

// MARK: - Unboxing

/// Decodes the primitive types directly, or returns `nil` for any other type.
private func unbox<T>(_ type: T.Type, _ value: JSONValue, at path: [any CodingKey]) throws -> T? {
    switch type {
    case is Bool.Type: try unboxBool(value, at: path) as? T
    case is String.Type: try unboxString(value, at: path) as? T
    case is Double.Type: try unboxDouble(value, at: path) as? T
    case is Int.Type: try (unboxInteger(value, at: path) as Int) as? T
    case is Int64.Type: try (unboxInteger(value, at: path) as Int64) as? T
    default: nil
    }
}

func unboxBool(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Bool {
    guard case .bool(let bool) = value else { throw mismatch(Bool.self, value, at: path()) }
    return bool
}

func unboxString(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> String {
    guard case .string(let string) = value else { throw mismatch(String.self, value, at: path()) }
    return string
}

func unboxDouble(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Double {
    switch value {
    case .integer(let integer): return Double(integer)
    case .number(let number): return number
    default: throw mismatch(Double.self, value, at: path())
    }
}

func unboxFloat(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Float {
    let double = try unboxDouble(value, at: path())
    let float = Float(double)
    guard float.isFinite || !double.isFinite else {
        throw DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: path(), debugDescription: "Number \(value) does not fit in Float.")
        )
    }
    return float
}

func unboxInteger<T: FixedWidthInteger>(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> T {
    let result: T?
    switch value {
    case .integer(let integer):
        result = T(exactly: integer)
    case .number(let number):
        if let integer = exactInt64(number) {
            result = T(exactly: integer)
        } else if let unsigned = exactUInt64(number) {
            result = T(exactly: unsigned)
        } else if number.isFinite, number >= -9_223_372_036_854_775_808.0, number < 18_446_744_073_709_551_616.0 {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: path(),
                    debugDescription: "Number \(value) is not an integer, expected \(T.self)."
                )
            )
        } else {
            result = nil
        }
    default:
        throw mismatch(T.self, value, at: path())
    }
    guard let result else {
        throw DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: path(), debugDescription: "Number \(value) does not fit in \(T.self).")
        )
    }
    return result
}

/// The error for `value` not being a `type`: `valueNotFound` for `null`, `typeMismatch` otherwise.
func mismatch(
    _ type: Any.Type,
    _ value: JSONValue,
    at path: @autoclosure () -> [any CodingKey],
    container: String? = nil
) -> DecodingError {
    let expected = container ?? "\(type)"
    if value.isNull {
        return DecodingError.valueNotFound(
            type,
            DecodingError.Context(codingPath: path(), debugDescription: "Expected \(expected), found null.")
        )
    }
    return DecodingError.typeMismatch(
        type,
        DecodingError.Context(codingPath: path(), debugDescription: "Expected \(expected), found \(value.kindName).")
    )
}

// MARK: - Containers

struct JSONValueKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoderImpl
    let members: [String: JSONValue]

    var codingPath: [any CodingKey] { decoder.codingPath }

    /// The keys present, in UTF-8 byte order so that iteration is deterministic.
    var allKeys: [Key] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { Key(stringValue: $0) }
    }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: some CodingKey) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath,
                    debugDescription: "No value associated with key \"\(key.stringValue)\"."
                )
            )
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try unboxBool(member(key), at: codingPath + [key])
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try unboxString(member(key), at: codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try unboxDouble(member(key), at: codingPath + [key])
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try unboxFloat(member(key), at: codingPath + [key])
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
        try unboxInteger(member(key), at: codingPath + [key])
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decode(type, from: member(key), at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(member(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(member(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        childDecoder(members[JSONCodingKey.superKey.stringValue] ?? .null, JSONCodingKey.superKey)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        childDecoder(members[key.stringValue] ?? .null, key)
    }

    private func childDecoder(_ value: JSONValue, _ key: any CodingKey) -> JSONValueDecoderImpl {
        JSONValueDecoderImpl(value: value, codingPath: codingPath + [key], userInfo: decoder.sendableUserInfo)
    }
}

struct JSONValueUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoderImpl
    let elements: [JSONValue]
    private(set) var currentIndex = 0

    init(decoder: JSONValueDecoderImpl, elements: [JSONValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var currentPath: [any CodingKey] { codingPath + [JSONCodingKey(intValue: currentIndex)] }

    /// Returns the current element and advances only when `body` succeeds.
    private mutating func next<T>(_ type: T.Type, _ body: (JSONValue, [any CodingKey]) throws -> T) throws -> T {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: currentPath,
                    debugDescription: "Unkeyed container is at end (\(elements.count) elements)."
                )
            )
        }
        let result = try body(elements[currentIndex], currentPath)
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                JSONValue.self,
                DecodingError.Context(codingPath: currentPath, debugDescription: "Unkeyed container is at end.")
            )
        }
        guard elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try unboxBool($0, at: $1) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try unboxString($0, at: $1) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try unboxDouble($0, at: $1) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try unboxFloat($0, at: $1) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try unboxInteger($0, at: $1) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try unboxInteger($0, at: $1) } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = self.decoder
        return try next(type) { value, path in try decoder.decode(type, from: value, at: path) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let userInfo = decoder.sendableUserInfo
        return try next(KeyedDecodingContainer<NestedKey>.self) { value, path in
            try JSONValueDecoderImpl(value: value, codingPath: path, userInfo: userInfo).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let userInfo = decoder.sendableUserInfo
        return try next((any UnkeyedDecodingContainer).self) { value, path in
            try JSONValueDecoderImpl(value: value, codingPath: path, userInfo: userInfo).unkeyedContainer()
        }
    }

    mutating func superDecoder() throws -> any Decoder {
        let userInfo = decoder.sendableUserInfo
        return try next((any Decoder).self) { value, path in
            JSONValueDecoderImpl(value: value, codingPath: path, userInfo: userInfo)
        }
    }
}
