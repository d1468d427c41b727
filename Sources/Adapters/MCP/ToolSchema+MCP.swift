extension ToolSchema {
    /// Reads an MCP tool's JSON Schema leniently: what ``ToolSchema`` can check is kept, the rest is left open.
    ///
    /// Types, `properties`, `required`, `items`, `enum`, bounds, lengths and `additionalProperties: false` are
    /// kept. A schema using what ``ToolSchema`` cannot express (`anyOf`, `oneOf`, `allOf`, `not`, `$ref`, a list
    /// of types, a non-Boolean `additionalProperties`) becomes ``Kind/any`` at that place, so the library never
    /// refuses arguments the server would accept; the server still checks them in full.
    ///
    /// - Parameter schema: A JSON Schema (an object; `true` and anything else read as ``any``).
    public init(mcpSchema schema: JSONValue) {
        self = Self.lenient(schema, depth: 0)
    }

    private static func lenient(_ schema: JSONValue, depth: Int) -> ToolSchema {
        guard case .object(let members) = schema, depth < 64 else { return .any }
        let description = members["description"]?.stringValue
        let open = ToolSchema(kind: .any, description: description)
        for keyword in ["anyOf", "oneOf", "allOf", "not", "$ref", "if", "const"] where members[keyword] != nil {
            return open
        }
        guard let typeName = members["type"]?.stringValue else { return open }
        let kind = Kind(rawValue: typeName)
        guard [.object, .array, .string, .integer, .number, .boolean, .null].contains(kind) else { return open }
        var result = ToolSchema(kind: kind, description: description)
        if let values = members["enum"]?.arrayValue { result.allowedValues = values }
        if let minimum = members["minimum"], minimum.doubleValue != nil { result.minimum = minimum }
        if let maximum = members["maximum"], maximum.doubleValue != nil { result.maximum = maximum }
        if let length = members["minLength"]?.integerValue, length >= 0 { result.minLength = Int(exactly: length) }
        if let length = members["maxLength"]?.integerValue, length >= 0 { result.maxLength = Int(exactly: length) }
        if kind == .array, let items = members["items"] { result.items = lenient(items, depth: depth + 1) }
        if kind == .object {
            for (name, member) in members["properties"]?.objectValue ?? [:] {
                result.properties[name] = lenient(member, depth: depth + 1)
            }
            result.required = (members["required"]?.arrayValue ?? []).compactMap(\.stringValue)
            result.allowsAdditionalProperties = members["additionalProperties"]?.boolValue ?? true
        }
        return result
    }
}
