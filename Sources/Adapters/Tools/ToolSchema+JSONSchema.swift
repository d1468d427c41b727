extension ToolSchema {
    /// The schema in standard JSON Schema form, ready to send to a model.
    ///
    /// For example `{"properties":{"query":{"type":"string"}},"required":["query"],"type":"object"}`. Object
    /// schemas always carry `properties`; `required` appears when not empty; `additionalProperties` appears only
    /// when it is `false`; ``Kind/any`` omits `type`. ``anyOf`` is written as `anyOf`, ``definitions`` as `$defs`,
    /// ``reference`` as `"$ref": "#/$defs/<name>"` (with `~` and `/` in the name escaped as `~0` and `~1`),
    /// ``examples`` as `examples`. A nullable schema (``isNullable``) of a concrete kind is written with a type list,
    /// `"type": ["string", "null"]`, and `null` is appended to its `enum`.
    ///
    /// Rendering is lossless, so decoding it gives back an equal schema, with two exceptions that keep the
    /// meaning: a `null` listed in ``allowedValues`` of a nullable schema is dropped, and ``isNullable`` set by hand
    /// on a schema of kind ``Kind/any`` is written as ``nullable()`` would have written it.
    public var jsonSchema: JSONValue {
        if kind == .any, isNullable {
            var plain = self
            plain.isNullable = false
            return plain.nullable().jsonSchema
        }
        var schema: [String: JSONValue] = [:]
        if kind != .any {
            let name = JSONValue.string(kind.rawValue)
            schema["type"] = isNullable && kind != .null ? [name, "null"] : name
        }
        if let description { schema["description"] = .string(description) }
        if var allowedValues {
            if isNullable, !allowedValues.contains(.null) { allowedValues.append(.null) }
            schema["enum"] = .array(allowedValues)
        }
        if let minimum { schema["minimum"] = minimum }
        if let maximum { schema["maximum"] = maximum }
        if let minLength { schema["minLength"] = .integer(Int64(minLength)) }
        if let maxLength { schema["maxLength"] = .integer(Int64(maxLength)) }
        if let items { schema["items"] = items.jsonSchema }
        if kind == .object || !properties.isEmpty {
            schema["properties"] = .object(properties.mapValues(\.jsonSchema))
        }
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        if !allowsAdditionalProperties { schema["additionalProperties"] = false }
        if let anyOf { schema["anyOf"] = .array(anyOf.map(\.jsonSchema)) }
        if !definitions.isEmpty { schema["$defs"] = .object(definitions.mapValues(\.jsonSchema)) }
        if let reference { schema["$ref"] = .string(Self.referencePrefix + escapePointerToken(reference)) }
        if let examples { schema["examples"] = .array(examples) }
        if let derivationFailure {
            // A schema that accepts nothing: it should never reach a model, since registration refuses the tool.
            schema["not"] = [:]
            schema["description"] = .string("no schema: \(derivationFailure.message)")
        }
        return .object(schema)
    }

    /// The `$ref` prefix of a definition in the root's `$defs`.
    static let referencePrefix = "#/$defs/"

    /// Reads the JSON Schema form produced by ``jsonSchema``.
    ///
    /// Also accepted: a `type` list of several kinds (read as ``anyOf`` of those kinds, plus ``isNullable`` when
    /// `"null"` is among them), and draft-07 `definitions` with `"$ref": "#/definitions/<name>"` (read as
    /// ``definitions`` and ``reference``). Other `$ref` targets are refused.
    init(jsonSchema value: JSONValue, path: [any CodingKey]) throws {
        func fail(_ message: String, _ key: String? = nil) -> DecodingError {
            let keyPath = key.map { path + [JSONCodingKey(stringValue: $0)] } ?? path
            return DecodingError.dataCorrupted(DecodingError.Context(codingPath: keyPath, debugDescription: message))
        }
        func subschema(_ value: JSONValue, _ keys: String...) throws -> ToolSchema {
            try ToolSchema(jsonSchema: value, path: path + keys.map { JSONCodingKey(stringValue: $0) })
        }
        guard case .object(let members) = value else { throw fail("A JSON schema must be an object.") }
        let supported: [Kind] = [.object, .array, .string, .integer, .number, .boolean, .null]
        var kinds: [Kind] = []
        switch members["type"] {
        case nil: break
        case .string(let name)?: kinds = [Kind(rawValue: name)]
        case .array(let names)? where !names.isEmpty && names.allSatisfy({ $0.stringValue != nil }):
            kinds = names.compactMap(\.stringValue).map(Kind.init(rawValue:))
        default: throw fail("\"type\" must be a string or a non-empty array of strings.", "type")
        }
        if let unsupported = kinds.first(where: { !supported.contains($0) }) {
            throw fail("Unsupported schema type \"\(unsupported.rawValue)\".", "type")
        }
        let nullable = kinds.count > 1 && kinds.contains(.null)
        if nullable { kinds.removeAll { $0 == .null } }
        var description: String?
        if let text = members["description"] {
            guard let string = text.stringValue else { throw fail("\"description\" must be a string.", "description") }
            description = string
        }
        self.init(kind: kinds.count == 1 ? kinds[0] : .any, description: description)
        isNullable = nullable
        if kinds.count > 1 { anyOf = kinds.map { ToolSchema(kind: $0) } }
        if let allowed = members["enum"] {
            guard var values = allowed.arrayValue else { throw fail("\"enum\" must be an array.", "enum") }
            if nullable { values.removeAll { $0 == .null } }
            allowedValues = values
        }
        for key in ["minimum", "maximum"] {
            guard let bound = members[key] else { continue }
            guard bound.doubleValue != nil else { throw fail("\"\(key)\" must be a number.", key) }
            if key == "minimum" { minimum = bound } else { maximum = bound }
        }
        for key in ["minLength", "maxLength"] {
            guard let length = members[key] else { continue }
            guard let integer = length.integerValue, let int = Int(exactly: integer), int >= 0 else {
                throw fail("\"\(key)\" must be a non-negative integer.", key)
            }
            if key == "minLength" { minLength = int } else { maxLength = int }
        }
        if let itemSchema = members["items"] { items = try subschema(itemSchema, "items") }
        for key in ["properties", "$defs", "definitions"] {
            guard let known = members[key] else { continue }
            guard let object = known.objectValue else { throw fail("\"\(key)\" must be an object.", key) }
            for (name, member) in object {
                let schema = try subschema(member, key, name)
                if key == "properties" { properties[name] = schema } else { definitions[name] = schema }
            }
        }
        if let names = members["required"] {
            guard let array = names.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("\"required\" must be an array of strings.", "required")
            }
            required = array.compactMap(\.stringValue)
        }
        if let additional = members["additionalProperties"] {
            guard let bool = additional.boolValue else {
                throw fail("\"additionalProperties\" must be a Boolean.", "additionalProperties")
            }
            allowsAdditionalProperties = bool
        }
        if let alternatives = members["anyOf"] {
            guard let array = alternatives.arrayValue else { throw fail("\"anyOf\" must be an array.", "anyOf") }
            let read = try array.enumerated().map { index, alternative in
                try ToolSchema(
                    jsonSchema: alternative,
                    path: path + [JSONCodingKey(stringValue: "anyOf"), JSONCodingKey(intValue: index)]
                )
            }
            // A `type` list and an `anyOf` together must both hold: keep the list as one more alternative.
            anyOf = anyOf.map { [.anyOf($0)] + read } ?? read
        }
        if let target = members["$ref"] {
            guard let text = target.stringValue else { throw fail("\"$ref\" must be a string.", "$ref") }
            guard
                let prefix = [Self.referencePrefix, "#/definitions/"].first(where: { text.hasPrefix($0) }),
                let name = unescapePointerToken(String(text.dropFirst(prefix.count)))
            else {
                throw fail(
                    "Unsupported \"$ref\" \"\(text)\": only references to the root's \"$defs\" (\"#/$defs/<name>\") "
                        + "are supported.",
                    "$ref"
                )
            }
            reference = name
        }
        if let list = members["examples"] {
            guard let values = list.arrayValue else { throw fail("\"examples\" must be an array.", "examples") }
            examples = values
        }
    }
}

/// `token` escaped as a JSON Pointer reference token: `~` as `~0`, `/` as `~1`.
private func escapePointerToken(_ token: String) -> String {
    guard token.contains(where: { $0 == "~" || $0 == "/" }) else { return token }
    var escaped = ""
    for character in token {
        switch character {
        case "~": escaped += "~0"
        case "/": escaped += "~1"
        default: escaped.append(character)
        }
    }
    return escaped
}

/// The JSON Pointer reference token `token` unescaped, or `nil` when it is empty, has several segments, or a `~`
/// not followed by `0` or `1`.
private func unescapePointerToken(_ token: String) -> String? {
    guard !token.isEmpty, !token.contains("/") else { return nil }
    var result = ""
    var iterator = token.makeIterator()
    while let character = iterator.next() {
        guard character == "~" else {
            result.append(character)
            continue
        }
        switch iterator.next() {
        case "0": result.append("~")
        case "1": result.append("/")
        default: return nil
        }
    }
    return result
}

extension ToolSchema: Codable {
    /// Decodes a schema from its JSON Schema form (see ``jsonSchema``).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` naming the offending keyword for an unsupported `type` or `$ref`, or
    ///   a keyword of the wrong kind.
    public init(from decoder: any Decoder) throws {
        try self.init(jsonSchema: JSONValue(from: decoder), path: decoder.codingPath)
    }

    /// Encodes the schema in its JSON Schema form (see ``jsonSchema``).
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try jsonSchema.encode(to: encoder)
    }
}
