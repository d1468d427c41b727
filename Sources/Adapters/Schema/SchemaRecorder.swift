/// Derives a ``ToolSchema`` by walking a type's `init(from:)` with a ``SchemaRecordingDecoder``.
///
/// Each type is probed with one value: optionals as present, arrays with one element, scalars as their zero value,
/// `CaseIterable` raw-value enums as their first case. Types conforming to ``ToolSchemaProviding`` are not walked.
/// A recorder is used for one derivation, on one task; it is not `Sendable`.
final class SchemaRecorder {
    /// The types being walked, outermost first.
    private var stack: [(id: ObjectIdentifier, name: String)] = []
    /// The definitions hoisted from provided schemas, for the root's ``ToolSchema/definitions``.
    private var definitions: [String: ToolSchema] = [:]
    /// The references met in provided schemas, with the type that provided them and where.
    private var references: [(name: String, type: Any.Type, field: String)] = []
    /// The first failure, kept even if a type's `init(from:)` swallowed the thrown error with `try?`.
    private var firstFailure: SchemaDerivationError?

    /// Derives the schema of `type` from scratch (no cache).
    static func derive<T: Decodable>(_ type: T.Type) throws(SchemaDerivationError) -> ToolSchema {
        let recorder = SchemaRecorder()
        var schema: ToolSchema
        if let provider = T.self as? any ToolSchemaProviding.Type {
            schema = try recorder.adopt(provider.toolSchema, of: T.self, at: [])
        } else {
            schema = try recorder.probe(T.self, at: []).schema
        }
        if let failure = recorder.firstFailure { throw failure }
        for reference in recorder.references where recorder.definitions[reference.name] == nil {
            throw recorder.fail(
                .unresolvedReference,
                reference.type,
                field: reference.field,
                "the schema \(typeName(reference.type)) provides refers to \"#/$defs/\(reference.name)\", which no "
                    + "provided schema defines: add it to that schema's `definitions`"
            )
        }
        schema.definitions = recorder.definitions
        return schema
    }

    /// A value of `type` to hand back to the `init(from:)` being walked, and the schema recorded for it.
    func probe<T: Decodable>(
        _ type: T.Type,
        at codingPath: [any CodingKey]
    ) throws(SchemaDerivationError) -> (value: T, schema: ToolSchema) {
        if let provider = T.self as? any ToolSchemaProviding.Type {
            let provided = provider.toolSchema
            let schema = try adopt(provided, of: T.self, at: codingPath)
            return (try sampleInstance(of: T.self, schema: provided, at: codingPath), schema)
        }
        if T.self == JSONValue.self { return (JSONValue.null as! T, .any) }
        if let scalar = scalarProbe(T.self) { return (scalar.value as! T, scalar.schema) }
        if let optional = T.self as? any OptionalProbing.Type {
            let probed = try optional.probe(with: self, at: codingPath)
            return (probed.value as! T, probed.schema)
        }
        if T.self is any DictionaryMarker.Type {
            throw fail(
                .underivableType,
                T.self,
                field: fieldPath(codingPath),
                "\(typeName(T.self)) is a dictionary, whose keys cannot be known by probing: wrap it in a type of "
                    + "your own conforming to ToolSchemaProviding (or conform the type that holds it)"
            )
        }
        if let cases = T.self as? any (CaseIterable & RawRepresentable).Type {
            return try caseProbe(cases, as: T.self, at: codingPath)
        }
        return try walk(T.self, at: codingPath)
    }

    /// Runs `T.init(from:)` on a recording decoder.
    private func walk<T: Decodable>(
        _ type: T.Type,
        at codingPath: [any CodingKey]
    ) throws(SchemaDerivationError) -> (value: T, schema: ToolSchema) {
        let id = ObjectIdentifier(T.self)
        let field = fieldPath(codingPath)
        if let start = stack.firstIndex(where: { $0.id == id }) {
            let cycle = stack[start...].map(\.name) + [typeName(T.self)]
            throw fail(
                .recursiveType,
                T.self,
                field: field,
                "\(typeName(T.self)) contains itself (\(cycle.joined(separator: " → ")), at \"\(field)\"), so probing "
                    + "it would never end: conform \(typeName(T.self)) to ToolSchemaProviding and describe it with "
                    + "`definitions` and `reference(to:)`"
            )
        }
        guard stack.count < ToolSchema.maximumDerivationDepth else {
            throw fail(
                .depthLimitExceeded,
                T.self,
                field: field,
                "types nest deeper than \(ToolSchema.maximumDerivationDepth) levels at \(typeName(T.self)) (a "
                    + "recursive generic type?): conform \(typeName(T.self)) to ToolSchemaProviding"
            )
        }
        stack.append((id, typeName(T.self)))
        defer { stack.removeLast() }
        let slot = SchemaSlot()
        let value: T
        do {
            value = try T(from: SchemaRecordingDecoder(recorder: self, slot: slot, codingPath: codingPath))
        } catch let error as SchemaDerivationError {
            throw error
        } catch {
            throw slot.readsKeysDynamically
                ? dynamicKeys(T.self, field: field)
                : fail(
                    .underivableType,
                    T.self,
                    field: field,
                    "the init(from:) of \(typeName(T.self)) refused the probe value (\(CodingProblem(error).summary)), "
                        + "so its schema cannot be derived: conform \(typeName(T.self)) to ToolSchemaProviding"
                )
        }
        if slot.readsKeysDynamically { throw dynamicKeys(T.self, field: field) }
        return (value, slot.build())
    }

    private func dynamicKeys(_ type: Any.Type, field: String) -> SchemaDerivationError {
        fail(
            .underivableType,
            type,
            field: field,
            "\(typeName(type)) reads its keys dynamically (an enum with associated values, or a dictionary-like "
                + "type), so its schema cannot be derived by probing: conform \(typeName(type)) to "
                + "ToolSchemaProviding (an `anyOf` of one object per case describes an enum with payloads)"
        )
    }

    /// The first case of a `CaseIterable` raw-value enum, and the enum schema of its raw values.
    private func caseProbe<E: CaseIterable & RawRepresentable, T>(
        _ cases: E.Type,
        as type: T.Type,
        at codingPath: [any CodingKey]
    ) throws(SchemaDerivationError) -> (value: T, schema: ToolSchema) {
        var values: [JSONValue] = []
        var kinds: Set<ToolSchema.Kind> = []
        for element in E.allCases {
            guard let raw = rawJSON(element.rawValue) else {
                throw fail(
                    .underivableType,
                    T.self,
                    field: fieldPath(codingPath),
                    "the raw values of \(typeName(T.self)) are \(typeName(E.RawValue.self)), not strings or "
                        + "integers: conform \(typeName(T.self)) to ToolSchemaProviding"
                )
            }
            values.append(raw.0)
            kinds.insert(raw.1)
        }
        guard let first = E.allCases.first else {
            throw fail(
                .underivableType,
                T.self,
                field: fieldPath(codingPath),
                "\(typeName(T.self)) has no cases, so no value can be decoded into it: conform it to "
                    + "ToolSchemaProviding"
            )
        }
        var schema = ToolSchema(kind: kinds.count == 1 ? kinds.first! : .any)
        schema.allowedValues = values
        return (first as! T, schema)
    }

    /// An instance of a type that provides its schema, decoded from the schema's examples or smallest sample.
    private func sampleInstance<T: Decodable>(
        of type: T.Type,
        schema: ToolSchema,
        at codingPath: [any CodingKey]
    ) throws(SchemaDerivationError) -> T {
        var candidates = schema.examples ?? []
        if let sample = schema.minimalSample { candidates.append(sample) }
        if schema.kind == .any { candidates += [.null, [:], [], "", 0, false] }
        for candidate in candidates {
            if let value = try? JSONValueDecoder().decode(T.self, from: candidate) { return value }
        }
        throw fail(
            .noSampleValue,
            T.self,
            field: fieldPath(codingPath),
            "\(typeName(T.self)) provides its schema, but neither its schema's examples nor its smallest sample "
                + "decode into it, so the type that holds it cannot be walked further: add a valid value to the "
                + "`examples` of \(typeName(T.self)).toolSchema"
        )
    }

    /// `provided` with its definitions (and those of its subschemas) moved to the root.
    private func adopt(
        _ provided: ToolSchema,
        of type: Any.Type,
        at codingPath: [any CodingKey]
    ) throws(SchemaDerivationError) -> ToolSchema {
        var schema = provided
        try hoist(&schema, of: type, field: fieldPath(codingPath))
        return schema
    }

    private func hoist(_ schema: inout ToolSchema, of type: Any.Type, field: String) throws(SchemaDerivationError) {
        if let reference = schema.reference { references.append((reference, type, field)) }
        let local = schema.definitions
        schema.definitions = [:]
        for name in local.keys.sorted(by: utf8Precedes) {
            var definition = local[name]!
            try hoist(&definition, of: type, field: field)
            if let existing = definitions[name], existing != definition {
                throw fail(
                    .conflictingDefinitions,
                    type,
                    field: field,
                    "the schema \(typeName(type)) provides defines \"\(name)\" differently from another provided "
                        + "schema: give one of the definitions another name"
                )
            }
            definitions[name] = definition
        }
        for name in schema.properties.keys.sorted(by: utf8Precedes) {
            try hoist(&schema.properties[name]!, of: type, field: field)
        }
        if var items = schema.items {
            try hoist(&items, of: type, field: field)
            schema.items = items
        }
        if var alternatives = schema.anyOf {
            for index in alternatives.indices { try hoist(&alternatives[index], of: type, field: field) }
            schema.anyOf = alternatives
        }
    }

    /// An error naming `type` and the types that led to it; the first one is kept.
    func fail(
        _ code: SchemaDerivationError.Code,
        _ type: Any.Type,
        field: String,
        _ message: String
    ) -> SchemaDerivationError {
        var path = stack.map(\.name)
        if stack.last?.id != ObjectIdentifier(type) || code == .recursiveType { path.append(typeName(type)) }
        let error = SchemaDerivationError(
            code: code,
            type: typeName(type),
            typePath: path,
            field: field,
            message: message
        )
        if firstFailure == nil { firstFailure = error }
        return error
    }
}

/// A coding path in the form ``SchemaViolation/path`` uses.
func fieldPath(_ codingPath: [any CodingKey]) -> String {
    var field = ""
    for key in codingPath {
        if let index = key.intValue { field += "[\(index)]" } else { field = memberPath(field, key.stringValue) }
    }
    return field
}

/// A zero value and the schema of the scalar types, or `nil` for other types.
private func scalarProbe<T>(_ type: T.Type) -> (value: Any, schema: ToolSchema)? {
    switch type {
    case is Bool.Type: (false, .boolean())
    case is String.Type: ("", .string())
    case is Double.Type: (0.0, .number())
    case is Float.Type: (Float(0), .number())
    case is Int.Type: integerProbe(Int.self)
    case is Int8.Type: integerProbe(Int8.self)
    case is Int16.Type: integerProbe(Int16.self)
    case is Int32.Type: integerProbe(Int32.self)
    case is Int64.Type: integerProbe(Int64.self)
    case is UInt.Type: integerProbe(UInt.self)
    case is UInt8.Type: integerProbe(UInt8.self)
    case is UInt16.Type: integerProbe(UInt16.self)
    case is UInt32.Type: integerProbe(UInt32.self)
    case is UInt64.Type: integerProbe(UInt64.self)
    default: nil
    }
}

/// A raw value as JSON: strings, integers that fit in `Int64`, and `Double`s.
private func rawJSON(_ raw: Any) -> (JSONValue, ToolSchema.Kind)? {
    switch raw {
    case let string as String: return (.string(string), .string)
    case let integer as any BinaryInteger: return Int64(exactly: integer).map { (.integer($0), .integer) }
    case let number as Double: return (.number(number), .number)
    default: return nil
    }
}

/// Zero, and an integer schema bounded by the type's range (a maximum beyond `Int64` as a number).
private func integerProbe<I: FixedWidthInteger>(_ type: I.Type) -> (value: Any, schema: ToolSchema) {
    var schema = ToolSchema(kind: .integer)
    schema.minimum = .integer(Int64(I.min))
    schema.maximum = Int64(exactly: I.max).map(JSONValue.integer) ?? .number(Double(I.max))
    return (I.zero, schema)
}

/// `Optional`, so that the recorder can reach its `Wrapped` type.
protocol OptionalProbing {
    /// A present value and the nullable schema of the wrapped type.
    static func probe(with recorder: SchemaRecorder, at codingPath: [any CodingKey]) throws(SchemaDerivationError)
        -> (value: Any, schema: ToolSchema)
}

extension Optional: OptionalProbing where Wrapped: Decodable {
    static func probe(with recorder: SchemaRecorder, at codingPath: [any CodingKey]) throws(SchemaDerivationError)
        -> (value: Any, schema: ToolSchema)
    {
        let probed = try recorder.probe(Wrapped.self, at: codingPath)
        return (Wrapped?.some(probed.value) as Any, probed.schema.nullable())
    }
}

/// `Dictionary`, which the recorder refuses.
protocol DictionaryMarker {}

extension Dictionary: DictionaryMarker {}
