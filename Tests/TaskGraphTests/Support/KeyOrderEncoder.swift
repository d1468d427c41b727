/// An encoder that records the keys a value's `encode(to:)` writes at its top level, in call order.
///
/// It does not encode nested values, so only keyed top-level encoding is supported.
final class KeyOrderEncoder: Encoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    private(set) var keys: [String] = []

    /// Returns the top-level keys `value` encodes, in order.
    static func topLevelKeys(of value: some Encodable) throws -> [String] {
        let encoder = KeyOrderEncoder()
        try value.encode(to: encoder)
        return encoder.keys
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Container(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("KeyOrderEncoder records keyed top-level values only")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("KeyOrderEncoder records keyed top-level values only")
    }

    private struct Container<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: KeyOrderEncoder
        var codingPath: [any CodingKey] { [] }

        private func record(_ key: Key) { encoder.keys.append(key.stringValue) }

        mutating func encodeNil(forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: String, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { record(key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { record(key) }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type,
            forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("KeyOrderEncoder does not encode nested values")
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("KeyOrderEncoder does not encode nested values")
        }

        mutating func superEncoder() -> any Encoder { preconditionFailure("not supported") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("not supported") }
    }
}
