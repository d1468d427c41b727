extension ToolSchema {
    /// A schema that accepts a value matching at least one of `alternatives` (JSON Schema `anyOf`).
    ///
    /// ```swift
    /// let idOrName = ToolSchema.anyOf([.integer(minimum: 1), .string(minLength: 1)])
    /// ```
    ///
    /// - Parameters:
    ///   - alternatives: The schemas of which one must match; an empty list accepts no value.
    ///   - description: A human-readable explanation.
    /// - Returns: A schema of kind ``Kind/any`` with ``anyOf`` set.
    public static func anyOf(_ alternatives: [ToolSchema], description: String? = nil) -> ToolSchema {
        var schema = ToolSchema(kind: .any, description: description)
        schema.anyOf = alternatives
        return schema
    }

    /// A schema that refers to the definition `name` in the root schema's ``definitions`` (JSON Schema
    /// `"$ref": "#/$defs/<name>"`).
    ///
    /// References let a schema describe a recursive type, which derivation cannot (see ``ToolSchemaProviding``):
    ///
    /// ```swift
    /// var tree = ToolSchema.reference(to: "Node")
    /// tree.definitions["Node"] = .object(
    ///     properties: ["name": .string(), "children": .array(of: .reference(to: "Node"))],
    ///     required: ["name", "children"]
    /// )
    /// ```
    ///
    /// - Parameters:
    ///   - name: The definition's name in the root's ``definitions``.
    ///   - description: A human-readable explanation.
    /// - Returns: A schema of kind ``Kind/any`` with ``reference`` set.
    public static func reference(to name: String, description: String? = nil) -> ToolSchema {
        var schema = ToolSchema(kind: .any, description: description)
        schema.reference = name
        return schema
    }

    /// This schema, also accepting `null`.
    ///
    /// For a concrete kind it sets ``isNullable`` (JSON form `"type": [kind, "null"]`). A schema of kind
    /// ``Kind/any`` becomes one whose ``anyOf`` alternatives (or ``allowedValues``) include `null`, or, when it is a
    /// ``reference``, `anyOf` of the reference and ``null``; a plain ``any`` or ``null`` schema already accepts
    /// `null` and is returned unchanged. The result is what derivation gives an `Optional` property.
    ///
    /// - Returns: A schema that accepts `null` and everything this one accepts.
    public func nullable() -> ToolSchema {
        var schema = self
        guard kind == .any else {
            if kind != .null { schema.isNullable = true }
            return schema
        }
        schema.isNullable = false
        if reference != nil {
            var referenced = ToolSchema.reference(to: reference!)
            referenced.anyOf = anyOf
            referenced.allowedValues = allowedValues
            schema.reference = nil
            schema.allowedValues = nil
            schema.anyOf = [referenced, .null]
            return schema
        }
        if var allowed = allowedValues {
            if !allowed.contains(.null) { allowed.append(.null) }
            schema.allowedValues = allowed
        }
        if var alternatives = anyOf {
            if !alternatives.contains(where: { $0.accepts(.null) }) { alternatives.append(.null) }
            schema.anyOf = alternatives
        }
        return schema
    }

    /// Whether the schema accepts `value` without looking up references (for quick structural checks).
    private func accepts(_ value: JSONValue) -> Bool {
        reference == nil && validate(value) == nil
    }
}
