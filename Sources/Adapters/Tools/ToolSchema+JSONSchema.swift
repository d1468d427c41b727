extension ToolSchema {
    /// The schema in standard JSON Schema form, ready to send to a model.
    ///
    /// For example `{"properties":{"query":{"type":"string"}},"required":["query"],"type":"object"}`. Object
    /// schemas always carry `properties`; `required` appears when not empty; `additionalProperties` appears only
    /// when it is `false`; ``Kind/any`` omits `type`. Rendering is lossless: decoding it gives back an equal schema.
    public var jsonSchema: JSONValue {
        var schema: [String: JSONValue] = [:]
        if kind != .any { schema["type"] = .string(kind.rawValue) }
        if let description { schema["description"] = .string(description) }
        if let allowedValues { schema["enum"] = .array(allowedValues) }
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
        return .object(schema)
    }

    /// Reads the JSON Schema form produced by ``jsonSchema``.
    init(jsonSchema value: JSONValue, path: [any CodingKey]) throws {
        func fail(_ message: String, _ key: String? = nil) -> DecodingError {
            let keyPath = key.map { path + [JSONCodingKey(stringValue: $0)] } ?? path
            return DecodingError.dataCorrupted(DecodingError.Context(codingPath: keyPath, debugDescription: message))
        }
        guard case .object(let members) = value else { throw fail("A JSON schema must be an object.") }
        let kind: Kind
        switch members["type"] {
        case nil: kind = .any
        case .string(let name)?:
            kind = Kind(rawValue: name)
            guard [.object, .array, .string, .integer, .number, .boolean, .null].contains(kind) else {
                throw fail("Unsupported schema type \"\(name)\".", "type")
            }
        default: throw fail("\"type\" must be a string.", "type")
        }
        var description: String?
        if let text = members["description"] {
            guard let string = text.stringValue else { throw fail("\"description\" must be a string.", "description") }
            description = string
        }
        self.init(kind: kind, description: description)
        if let allowed = members["enum"] {
            guard let values = allowed.arrayValue else { throw fail("\"enum\" must be an array.", "enum") }
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
        if let itemSchema = members["items"] {
            items = try ToolSchema(jsonSchema: itemSchema, path: path + [JSONCodingKey(stringValue: "items")])
        }
        if let known = members["properties"] {
            guard let object = known.objectValue else { throw fail("\"properties\" must be an object.", "properties") }
            let propertiesPath = path + [JSONCodingKey(stringValue: "properties")]
            for (name, member) in object {
                properties[name] = try ToolSchema(
                    jsonSchema: member,
                    path: propertiesPath + [JSONCodingKey(stringValue: name)]
                )
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
    }
}

extension ToolSchema: Codable {
    /// Decodes a schema from its JSON Schema form (see ``jsonSchema``).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` naming the offending keyword for an unsupported `type` or a keyword
    ///   of the wrong kind.
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
