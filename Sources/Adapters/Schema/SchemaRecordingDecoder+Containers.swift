/// Reads one element, then says it is at the end: arrays are probed with one element.
struct UnkeyedSchemaRecorder: UnkeyedDecodingContainer {
    let recorder: SchemaRecorder
    let slot: SchemaSlot
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0
    /// The element slot `decodeNil()` marked, for the `decode` that follows it.
    private var pending: SchemaSlot?

    init(recorder: SchemaRecorder, slot: SchemaSlot, codingPath: [any CodingKey]) {
        self.recorder = recorder
        self.slot = slot
        self.codingPath = codingPath
    }

    var count: Int? { nil }
    var isAtEnd: Bool { currentIndex >= 1 }

    mutating func decodeNil() throws -> Bool {
        let element = pending ?? slot.nextElement()
        element.isNullable = true
        pending = element
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let element = nextSlot()
        let value = try recordProbe(T.self, recorder: recorder, into: element, at: path())
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(type, 0) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(type, 0) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(type, 0) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(type, 0) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(type, 0) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(type, 0) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(type, 0) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(type, 0) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(type, 0) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(type, 0) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type, 0) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type, 0) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type, 0) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type, 0) }

    /// The generic `decode`, reached from the scalar overloads (the extra argument only picks the overload).
    private mutating func decode<T: Decodable>(_ type: T.Type, _: Int) throws -> T { try decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let decoder = nextDecoder()
        return try decoder.container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let decoder = nextDecoder()
        return try decoder.unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { nextDecoder() }

    private mutating func nextDecoder() -> SchemaRecordingDecoder {
        let decoder = SchemaRecordingDecoder(recorder: recorder, slot: nextSlot(), codingPath: path())
        currentIndex += 1
        return decoder
    }

    private mutating func nextSlot() -> SchemaSlot {
        defer { pending = nil }
        return pending ?? slot.nextElement()
    }

    private func path() -> [any CodingKey] { codingPath + [JSONCodingKey(intValue: currentIndex)] }
}

/// Records the schema of a single value: what `decode` was asked for, nullable when `decodeNil()` was asked.
struct SingleValueSchemaRecorder: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    let slot: SchemaSlot
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        slot.isNullable = true
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try recordProbe(T.self, recorder: recorder, into: slot, at: codingPath)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decode(type, 0) }
    func decode(_ type: String.Type) throws -> String { try decode(type, 0) }
    func decode(_ type: Double.Type) throws -> Double { try decode(type, 0) }
    func decode(_ type: Float.Type) throws -> Float { try decode(type, 0) }
    func decode(_ type: Int.Type) throws -> Int { try decode(type, 0) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(type, 0) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(type, 0) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(type, 0) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(type, 0) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(type, 0) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type, 0) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type, 0) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type, 0) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type, 0) }

    /// The generic `decode`, reached from the scalar overloads (the extra argument only picks the overload).
    private func decode<T: Decodable>(_ type: T.Type, _: Int) throws -> T { try decode(type) }
}
