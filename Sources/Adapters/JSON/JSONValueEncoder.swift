/// Encodes `Encodable` values into ``JSONValue`` trees, without text and without Foundation.
///
/// ```swift
/// struct Query: Codable { var text: String; var limit: Int? }
/// let value = try JSONValueEncoder().encode(Query(text: "swift", limit: nil))  // {"text":"swift"}
/// ```
///
/// Mapping: `Bool` → ``JSONValue/bool(_:)``; signed integers and unsigned integers up to `Int64.max` →
/// ``JSONValue/integer(_:)``; larger `UInt`/`UInt64` values → ``JSONValue/number(_:)`` when a `Double` holds them
/// exactly; `Float` (via its shortest decimal form) and `Double` → ``JSONValue/number(_:)``; `String` →
/// ``JSONValue/string(_:)``; `nil` → ``JSONValue/null``; keyed containers (including `[String: T]`) → objects;
/// unkeyed containers → arrays. A ``JSONValue`` inside the encoded structure is stored unchanged. A value that
/// encodes nothing becomes `{}`. `encodeIfPresent` skips `nil` values.
///
/// The encoder is a `Sendable` value; each call to ``encode(_:)`` is independent.
public struct JSONValueEncoder: Sendable {
    /// Contextual information exposed to the values being encoded as `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    /// Creates an encoder.
    public init() {}

    /// Encodes `value` as a ``JSONValue``.
    ///
    /// - Parameter value: The value to encode.
    /// - Returns: The encoded tree.
    /// - Throws: `EncodingError.invalidValue` for non-finite floating-point values and unsigned integers a
    ///   ``JSONValue`` cannot hold exactly, or any error thrown by `value`'s `encode(to:)`.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        let node = EncodingNode()
        try value.encode(to: JSONValueEncoderImpl(node: node, codingPath: [], userInfo: userInfo))
        return node.resolve()
    }
}

/// A mutable node of the tree being encoded; containers write into nodes after they are created.
final class EncodingNode {
    enum Kind { case unset, value, array, object }

    /// A finished value, or a node that containers may still write into.
    enum Slot {
        case value(JSONValue)
        case node(EncodingNode)

        func resolve() -> JSONValue {
            switch self {
            case .value(let value): value
            case .node(let node): node.resolve()
            }
        }
    }

    private(set) var kind = Kind.unset
    private var value = JSONValue.null
    var elements: [Slot] = []
    var members: [String: Slot] = [:]

    func set(_ newValue: JSONValue) {
        kind = .value
        value = newValue
    }

    func becomeArray() {
        switch kind {
        case .unset, .value: kind = .array
        case .array: break
        case .object: preconditionFailure("An object encoder was already requested at this coding path.")
        }
    }

    func becomeObject() {
        switch kind {
        case .unset, .value: kind = .object
        case .object: break
        case .array: preconditionFailure("An unkeyed encoder was already requested at this coding path.")
        }
    }

    func resolve() -> JSONValue {
        switch kind {
        case .unset: .object([:])
        case .value: value
        case .array: .array(elements.map { $0.resolve() })
        case .object: .object(members.mapValues { $0.resolve() })
        }
    }
}

/// The `Encoder` handed to `encode(to:)`; also its own single-value container.
final class JSONValueEncoderImpl: Encoder, SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(node: EncodingNode, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.node = node
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(JSONValueKeyedEncodingContainer<Key>(encoder: self, node: node))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return JSONValueUnkeyedEncodingContainer(encoder: self, node: node)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Encodes `value` into `target` at `path`.
    func encode<T: Encodable>(_ value: T, into target: EncodingNode, at path: [any CodingKey]) throws {
        if let json = value as? JSONValue {
            target.set(json)
        } else {
            try value.encode(to: JSONValueEncoderImpl(node: target, codingPath: path, userInfo: sendableUserInfo))
        }
    }

    // MARK: Single-value container

    func encodeNil() throws { node.set(.null) }
    func encode(_ value: Bool) throws { node.set(.bool(value)) }
    func encode(_ value: String) throws { node.set(.string(value)) }
    func encode(_ value: Double) throws { node.set(try box(value, at: codingPath)) }
    func encode(_ value: Float) throws { node.set(try box(value, at: codingPath)) }
    func encode(_ value: Int) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: Int8) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: Int16) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: Int32) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: Int64) throws { node.set(.integer(value)) }
    func encode(_ value: UInt) throws { node.set(try box(UInt64(value), at: codingPath)) }
    func encode(_ value: UInt8) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: UInt16) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: UInt32) throws { node.set(.integer(Int64(value))) }
    func encode(_ value: UInt64) throws { node.set(try box(value, at: codingPath)) }
    func encode<T: Encodable>(_ value: T) throws { try encode(value, into: node, at: codingPath) }
}

/// Converts a `Double` to a JSON number, refusing non-finite values.
func box(_ value: Double, at path: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(
            value,
            EncodingError.Context(codingPath: path, debugDescription: "JSON cannot represent the number \(value).")
        )
    }
    return .number(value)
}

/// Converts a `Float` to a JSON number through its shortest decimal form, so `0.1` stays `0.1`.
func box(_ value: Float, at path: [any CodingKey]) throws -> JSONValue {
    guard value.isFinite else {
        throw EncodingError.invalidValue(
            value,
            EncodingError.Context(codingPath: path, debugDescription: "JSON cannot represent the number \(value).")
        )
    }
    return .number(Double(value.description) ?? Double(value))
}

/// Converts a `UInt64` to an integer, or to an exact number above `Int64.max`.
func box(_ value: UInt64, at path: [any CodingKey]) throws -> JSONValue {
    if let integer = Int64(exactly: value) { return .integer(integer) }
    if let double = Double(exactly: value) { return .number(double) }
    throw EncodingError.invalidValue(
        value,
        EncodingError.Context(
            codingPath: path,
            debugDescription: "\(value) exceeds Int64.max and has no exact Double form; JSONValue cannot hold it."
        )
    )
}

/// A coding key for array positions, `super`, and dictionary keys.
struct JSONCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    static let superKey = JSONCodingKey(stringValue: "super")
}

struct JSONValueKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoderImpl
    let node: EncodingNode

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func child(_ key: some CodingKey) -> EncodingNode {
        let child = EncodingNode()
        node.members[key.stringValue] = .node(child)
        return child
    }

    private func set(_ value: JSONValue, _ key: Key) { node.members[key.stringValue] = .value(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try box(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try box(value, at: codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        set(try box(UInt64(value), at: codingPath + [key]), key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        set(try box(value, at: codingPath + [key]), key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.encode(value, into: child(key), at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = child(key)
        nested.becomeObject()
        let nestedEncoder = JSONValueEncoderImpl(
            node: nested,
            codingPath: codingPath + [key],
            userInfo: encoder.sendableUserInfo
        )
        return KeyedEncodingContainer(JSONValueKeyedEncodingContainer<NestedKey>(encoder: nestedEncoder, node: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = child(key)
        nested.becomeArray()
        let nestedEncoder = JSONValueEncoderImpl(
            node: nested,
            codingPath: codingPath + [key],
            userInfo: encoder.sendableUserInfo
        )
        return JSONValueUnkeyedEncodingContainer(encoder: nestedEncoder, node: nested)
    }

    mutating func superEncoder() -> any Encoder {
        JSONValueEncoderImpl(
            node: child(JSONCodingKey.superKey),
            codingPath: codingPath + [JSONCodingKey.superKey],
            userInfo: encoder.sendableUserInfo
        )
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONValueEncoderImpl(node: child(key), codingPath: codingPath + [key], userInfo: encoder.sendableUserInfo)
    }
}

struct JSONValueUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoderImpl
    let node: EncodingNode

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { node.elements.count }

    private func nextChild() -> (EncodingNode, [any CodingKey]) {
        let path = codingPath + [JSONCodingKey(intValue: node.elements.count)]
        let child = EncodingNode()
        node.elements.append(.node(child))
        return (child, path)
    }

    private func append(_ value: JSONValue) { node.elements.append(.value(value)) }

    private var nextPath: [any CodingKey] { codingPath + [JSONCodingKey(intValue: node.elements.count)] }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try box(value, at: nextPath)) }
    mutating func encode(_ value: Float) throws { append(try box(value, at: nextPath)) }
    mutating func encode(_ value: Int) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(try box(UInt64(value), at: nextPath)) }
    mutating func encode(_ value: UInt8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(try box(value, at: nextPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let (child, path) = nextChild()
        do {
            try encoder.encode(value, into: child, at: path)
        } catch {
            node.elements.removeLast()
            throw error
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let (nested, path) = nextChild()
        nested.becomeObject()
        let nestedEncoder = JSONValueEncoderImpl(node: nested, codingPath: path, userInfo: encoder.sendableUserInfo)
        return KeyedEncodingContainer(JSONValueKeyedEncodingContainer<NestedKey>(encoder: nestedEncoder, node: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (nested, path) = nextChild()
        nested.becomeArray()
        let nestedEncoder = JSONValueEncoderImpl(node: nested, codingPath: path, userInfo: encoder.sendableUserInfo)
        return JSONValueUnkeyedEncodingContainer(encoder: nestedEncoder, node: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let (nested, path) = nextChild()
        return JSONValueEncoderImpl(node: nested, codingPath: path, userInfo: encoder.sendableUserInfo)
    }
}
