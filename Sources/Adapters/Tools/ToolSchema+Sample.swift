extension ToolSchema {
    /// The smallest value that satisfies the schema, used at registration to catch drift between a typed tool's
    /// schema and its `Arguments` type; `nil` when the schema cannot say (``Kind/any`` at the top) or no simple
    /// value satisfies it.
    ///
    /// Objects get their ``required`` members only; arrays are empty; strings are `minLength` letters; numbers are
    /// 0, else the minimum, else the maximum; ``allowedValues`` give their first entry; ``Kind/any`` members are
    /// `null`; a ``reference`` gives its definition's sample and ``anyOf`` the first alternative's that validates.
    var minimalSample: JSONValue? {
        guard kind != .any || anyOf != nil || reference != nil, let sample = sample(root: self, depth: 0),
            validate(sample) == nil
        else { return nil }
        return sample
    }

    private func sample(root: ToolSchema, depth: Int) -> JSONValue? {
        guard depth < 32 else { return nil }
        if let first = allowedValues?.first { return first }
        if let reference {
            return root.definitions[reference]?.sample(root: root, depth: depth + 1)
        }
        if let anyOf {
            for alternative in anyOf {
                guard let candidate = alternative.sample(root: root, depth: depth + 1) else { continue }
                var scoped = alternative
                scoped.definitions = root.definitions
                if scoped.validate(candidate) == nil { return candidate }
            }
            return nil
        }
        switch kind {
        case .object:
            var members: [String: JSONValue] = [:]
            for name in required {
                // A required name without a property schema may be anything: `null` stands for it.
                let member = properties[name].map { $0.sample(root: root, depth: depth + 1) } ?? .null
                guard let member else { return nil }
                members[name] = member
            }
            return .object(members)
        case .array: return .array([])
        case .string: return .string(String(repeating: "a", count: minLength ?? 0))
        case .integer, .number:
            let candidates: [JSONValue] = [.integer(0), minimum, maximum].compactMap { $0 }
            return candidates.first { validate($0) == nil }
        case .boolean: return .bool(false)
        case .null, .any: return .null
        default: return nil
        }
    }

    /// The schema of the member at `codingPath` (property names and array indices), or `nil` when the schema does
    /// not describe it.
    func schema(at codingPath: [any CodingKey]) -> ToolSchema? {
        var schema = self
        for key in codingPath {
            if key.intValue != nil, let items = schema.items {
                schema = items
            } else if let member = schema.properties[key.stringValue] {
                schema = member
            } else {
                return nil
            }
        }
        return schema
    }
}
