/// Where the schema of one value is recorded while a type's `init(from:)` runs: what the type read as an object,
/// as an array, and as single values. A type that reads several shapes (trying one, then another) gets `anyOf`.
final class SchemaSlot {
    /// Whether the type asked for a keyed container.
    private var isObject = false
    /// The members read, in the order first read.
    private var memberOrder: [String] = []
    private var members: [String: SchemaSlot] = [:]
    /// The members read with `decode` (required unless also checked with `contains` or read with `decodeIfPresent`).
    private var requiredKeys: [String] = []
    private var optionalKeys: Set<String> = []
    /// The elements read from an unkeyed container, or `nil` when the type asked for none.
    private var elements: [SchemaSlot]?
    /// The schemas of single values read.
    private var leaves: [ToolSchema] = []
    /// Whether the value may be `null` (read with `decodeIfPresent`, or `decodeNil` was asked).
    var isNullable = false
    /// Whether the type asked for `allKeys`: a dictionary or an enum with associated values.
    var readsKeysDynamically = false

    func becomeObject() { isObject = true }

    func becomeArray() { elements = elements ?? [] }

    func record(_ schema: ToolSchema) { leaves.append(schema) }

    /// The slot of member `key`, created on first use.
    func member(_ key: String, required: Bool) -> SchemaSlot {
        if required, !requiredKeys.contains(key) { requiredKeys.append(key) }
        if !required { optionalKeys.insert(key) }
        if let slot = members[key] { return slot }
        let slot = SchemaSlot()
        members[key] = slot
        memberOrder.append(key)
        return slot
    }

    /// The slot of the next array element.
    func nextElement() -> SchemaSlot {
        let slot = SchemaSlot()
        elements = (elements ?? []) + [slot]
        return slot
    }

    /// The schema recorded: ``ToolSchema/any`` when the type read nothing.
    func build() -> ToolSchema {
        var variants: [ToolSchema] = []
        if isObject {
            var properties: [String: ToolSchema] = [:]
            for name in memberOrder { properties[name] = members[name]!.build() }
            variants.append(
                .object(properties: properties, required: requiredKeys.filter { !optionalKeys.contains($0) })
            )
        }
        if let elements {
            var itemSchemas: [ToolSchema] = []
            for schema in elements.map({ $0.build() }) where !itemSchemas.contains(schema) {
                itemSchemas.append(schema)
            }
            var array = ToolSchema(kind: .array)
            if !itemSchemas.isEmpty { array.items = itemSchemas.count == 1 ? itemSchemas[0] : .anyOf(itemSchemas) }
            variants.append(array)
        }
        for leaf in leaves where !variants.contains(leaf) { variants.append(leaf) }
        let schema = variants.count == 1 ? variants[0] : variants.isEmpty ? .any : .anyOf(variants)
        return isNullable ? schema.nullable() : schema
    }
}

/// A `Decoder` that hands probe values to a type's `init(from:)` and records the schema of what it reads.
struct SchemaRecordingDecoder: Decoder {
    let recorder: SchemaRecorder
    let slot: SchemaSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        slot.becomeObject()
        return KeyedDecodingContainer(KeyedSchemaRecorder<Key>(recorder: recorder, slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        slot.becomeArray()
        return UnkeyedSchemaRecorder(recorder: recorder, slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueSchemaRecorder(recorder: recorder, slot: slot, codingPath: codingPath)
    }
}

/// Probes `T` at `codingPath`, records its schema in `slot` and returns the probe value.
func recordProbe<T: Decodable>(
    _ type: T.Type,
    recorder: SchemaRecorder,
    into slot: SchemaSlot,
    at codingPath: [any CodingKey]
) throws -> T {
    let probed = try recorder.probe(T.self, at: codingPath)
    slot.record(probed.schema)
    return probed.value
}

struct KeyedSchemaRecorder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    let slot: SchemaSlot
    let codingPath: [any CodingKey]

    var allKeys: [Key] {
        slot.readsKeysDynamically = true
        return []
    }

    func contains(_ key: Key) -> Bool {
        _ = slot.member(key.stringValue, required: false)
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        slot.member(key.stringValue, required: false).isNullable = true
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try recordProbe(T.self, recorder: recorder, into: slot.member(key.stringValue, required: true), at: path(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let member = slot.member(key.stringValue, required: false)
        member.isNullable = true
        return try recordProbe(T.self, recorder: recorder, into: member, at: path(key))
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try recordProbe(T.self, recorder: recorder, into: slot.member(key.stringValue, required: true), at: path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type,
        forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONCodingKey(stringValue: "super")
        let member = slot.member(key.stringValue, required: true)
        return SchemaRecordingDecoder(recorder: recorder, slot: member, codingPath: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder(for: key) }

    private func decoder(for key: Key) -> SchemaRecordingDecoder {
        SchemaRecordingDecoder(
            recorder: recorder,
            slot: slot.member(key.stringValue, required: true),
            codingPath: path(key)
        )
    }

    private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }
}
