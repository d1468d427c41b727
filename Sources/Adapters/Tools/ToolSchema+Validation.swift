extension ToolSchema {
    /// The deepest nesting of schemas (through ``items``, ``properties``, ``anyOf`` and ``reference``) that
    /// ``validate(_:)`` follows; deeper checks, such as a `$ref` cycle that never consumes part of the value, report
    /// a violation instead of recursing further.
    public static let maximumValidationDepth = 256

    /// Checks `value` against the schema and returns the first violation, or `nil` when it conforms.
    ///
    /// The order is deterministic: `null` is accepted at once by a nullable schema (``isNullable``); then the
    /// ``reference`` (resolved against the ``definitions`` of the schema `validate` is called on), the kind,
    /// ``allowedValues``, ``anyOf``, then the kind's rules; for objects the ``required`` members in their listed
    /// order, then the known properties in sorted key order, then (when additional properties are not allowed) the
    /// first unknown member in sorted order; arrays element by element. When no ``anyOf`` alternative matches, the
    /// violation is that of the only alternative of the value's kind, if exactly one has it.
    ///
    /// - Parameter value: The value to check, typically a tool call's arguments.
    /// - Returns: The first violation, with its ``SchemaViolation/path``, or `nil`. An unresolved ``reference``
    ///   or nesting beyond ``maximumValidationDepth`` is reported as a violation too.
    public func validate(_ value: JSONValue) -> SchemaViolation? {
        check(value, path: "", root: self, depth: 0)
    }

    private func check(_ value: JSONValue, path: String, root: ToolSchema, depth: Int) -> SchemaViolation? {
        guard depth < Self.maximumValidationDepth else {
            return SchemaViolation(
                path: path,
                message: "schema nesting exceeds \(Self.maximumValidationDepth) levels (a $ref cycle?)"
            )
        }
        if let derivationFailure {
            return SchemaViolation(path: path, message: "no schema: \(derivationFailure.message)")
        }
        if isNullable, value.isNull { return nil }
        if let reference {
            guard let target = root.definitions[reference] else {
                return SchemaViolation(
                    path: path,
                    message: "unresolved reference \"#/$defs/\(reference)\": the root schema has no such definition"
                )
            }
            if let violation = target.check(value, path: path, root: root, depth: depth + 1) { return violation }
        }
        if let mismatch = kindMismatch(value) {
            return SchemaViolation(path: path, message: mismatch)
        }
        if let allowedValues, !allowedValues.contains(where: { equivalent($0, value) }) {
            let list = allowedValues.map { $0.jsonText() }.joined(separator: ", ")
            return SchemaViolation(path: path, message: "\(value.jsonText()) is not one of [\(list)]")
        }
        if let anyOf, let violation = checkAlternatives(anyOf, value, path: path, root: root, depth: depth) {
            return violation
        }
        switch value {
        case .integer, .number:
            if let minimum, let order = compareNumbers(value, minimum), order < 0 {
                return SchemaViolation(path: path, message: "value \(value) is below minimum \(minimum)")
            }
            if let maximum, let order = compareNumbers(value, maximum), order > 0 {
                return SchemaViolation(path: path, message: "value \(value) is above maximum \(maximum)")
            }
        case .string(let string):
            let length = string.unicodeScalars.count
            if let minLength, length < minLength {
                return SchemaViolation(
                    path: path,
                    message: "string of length \(length) is shorter than minimum length \(minLength)"
                )
            }
            if let maxLength, length > maxLength {
                return SchemaViolation(
                    path: path,
                    message: "string of length \(length) is longer than maximum length \(maxLength)"
                )
            }
        case .array(let elements):
            if let items {
                for (index, element) in elements.enumerated() {
                    if let violation = items.check(element, path: "\(path)[\(index)]", root: root, depth: depth + 1) {
                        return violation
                    }
                }
            }
        case .object(let members):
            return checkMembers(members, path: path, root: root, depth: depth)
        case .null, .bool:
            break
        }
        return nil
    }

    private func checkAlternatives(
        _ alternatives: [ToolSchema],
        _ value: JSONValue,
        path: String,
        root: ToolSchema,
        depth: Int
    ) -> SchemaViolation? {
        var violations: [SchemaViolation] = []
        for alternative in alternatives {
            guard let violation = alternative.check(value, path: path, root: root, depth: depth + 1) else { return nil }
            violations.append(violation)
        }
        // The alternatives whose kind the value has: when there is exactly one, its violation says the most.
        let sameKind = zip(alternatives, violations).filter { alternative, _ in
            alternative.kind != .any && alternative.kindMismatch(value) == nil
        }
        if sameKind.count == 1 { return sameKind[0].1 }
        let kinds = alternatives.map { $0.reference.map { "#/$defs/\($0)" } ?? $0.kind.rawValue }
        return SchemaViolation(
            path: path,
            message: "\(summary(of: value)) matches none of the anyOf alternatives [\(kinds.joined(separator: ", "))]"
        )
    }

    private func checkMembers(
        _ members: [String: JSONValue],
        path: String,
        root: ToolSchema,
        depth: Int
    ) -> SchemaViolation? {
        for name in required where members[name] == nil {
            return SchemaViolation(path: memberPath(path, name), message: "missing required property \"\(name)\"")
        }
        for name in properties.keys.sorted(by: utf8Precedes) {
            guard let member = members[name] else { continue }
            let schema = properties[name]!
            if let violation = schema.check(member, path: memberPath(path, name), root: root, depth: depth + 1) {
                return violation
            }
        }
        if !allowsAdditionalProperties {
            for name in members.keys.sorted(by: utf8Precedes) where properties[name] == nil {
                return SchemaViolation(path: memberPath(path, name), message: "unexpected property \"\(name)\"")
            }
        }
        return nil
    }

    /// A message when `value` is not of ``kind``, or `nil`.
    private func kindMismatch(_ value: JSONValue) -> String? {
        let matches: Bool
        switch kind {
        case .any: matches = true
        case .integer: matches = value.integerValue != nil
        case .number: matches = value.doubleValue != nil
        case .string: matches = value.stringValue != nil
        case .boolean: matches = value.boolValue != nil
        case .null: matches = value.isNull
        case .array: matches = value.arrayValue != nil
        case .object: matches = value.objectValue != nil
        default: matches = false
        }
        guard !matches else { return nil }
        return "expected \(kind)\(isNullable ? " or null" : ""), found \(summary(of: value))"
    }
}

/// `a` sorts before `b` by UTF-8 bytes.
func utf8Precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

/// Equality for `enum` checks: numbers by value, everything else structurally.
private func equivalent(_ a: JSONValue, _ b: JSONValue) -> Bool {
    if let order = compareNumbers(a, b) { return order == 0 }
    return a == b
}

/// The path of member `name` under `path`.
func memberPath(_ path: String, _ name: String) -> String {
    let isIdentifier =
        !name.isEmpty
        && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }
        && !(name.utf8.first! >= UInt8(ascii: "0") && name.utf8.first! <= UInt8(ascii: "9"))
    if !isIdentifier { return "\(path)[\(JSONValue.string(name).jsonText())]" }
    return path.isEmpty ? name : "\(path).\(name)"
}

/// A short description of a value for messages: kind plus the value for scalars, strings cut at 40 scalars.
private func summary(of value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .array, .object: return value.kindName
    case .string(let string) where string.unicodeScalars.count > 40:
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: string.unicodeScalars.prefix(40))
        return "string \(JSONValue.string(String(prefix)).jsonText())…"
    default: return "\(value.kindName) \(value.jsonText())"
    }
}
