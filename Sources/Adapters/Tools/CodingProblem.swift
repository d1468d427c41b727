/// A `DecodingError` or `EncodingError` reduced to what a tool error needs: the field's path, in the form
/// ``SchemaViolation/path`` uses (`items[0].id`), and the reason.
struct CodingProblem {
    /// What kind of problem it was.
    enum Kind {
        /// A key the type requires is missing.
        case missingKey
        /// A value is `null` where the type requires one.
        case missingValue
        /// A value has the wrong JSON kind.
        case wrongKind
        /// A value of the right kind that the type refused (out of range, not an integer, custom validation).
        case refusedValue
        /// Not a `DecodingError` or `EncodingError`.
        case other
    }

    var kind: Kind
    /// The path of the offending field; `""` for the value as a whole.
    var field: String
    /// The coding path, for schema lookups.
    var codingPath: [any CodingKey]
    /// What went wrong, in words.
    var reason: String

    init(_ error: any Error) {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            self.init(.missingKey, context.codingPath + [key], "no value for required key \"\(key.stringValue)\"")
        case DecodingError.valueNotFound(_, let context):
            self.init(.missingValue, context.codingPath, context.debugDescription)
        case DecodingError.typeMismatch(_, let context):
            self.init(.wrongKind, context.codingPath, context.debugDescription)
        case DecodingError.dataCorrupted(let context):
            self.init(.refusedValue, context.codingPath, context.debugDescription)
        case EncodingError.invalidValue(_, let context):
            self.init(.refusedValue, context.codingPath, context.debugDescription)
        default:
            self.init(.other, [], String(describing: error))
        }
    }

    private init(_ kind: Kind, _ codingPath: [any CodingKey], _ reason: String) {
        self.kind = kind
        self.codingPath = codingPath
        self.reason = reason
        var field = ""
        for key in codingPath {
            if let index = key.intValue {
                field += "[\(index)]"
            } else {
                field = memberPath(field, key.stringValue)
            }
        }
        self.field = field
    }

    /// `field: reason`, or the reason alone for the value as a whole.
    var summary: String { field.isEmpty ? reason : "field \"\(field)\": \(reason)" }
}

/// A type's name for messages: `Weather.Arguments`, without the module and without the unstable
/// `(unknown context at $…)` of types declared inside functions.
func typeName(_ type: Any.Type) -> String {
    var name = String(reflecting: type)
    while let start = name.firstRange(of: "(unknown context at "),
        let end = name[start.upperBound...].firstRange(of: ").")
    {
        name.removeSubrange(start.lowerBound..<end.upperBound)
    }
    // Drop the leading module name of each qualified name (`Module.Type`, also inside generic arguments:
    // `Array<Module.Node>` as `Array<Node>`), but not of a bare one (`Int`).
    var result = ""
    var token = ""
    func flush() {
        if let dot = token.firstIndex(of: ".") { token = String(token[token.index(after: dot)...]) }
        result += token
        token = ""
    }
    for character in name {
        if "<>,[]:? ".contains(character) {
            flush()
            result.append(character)
        } else {
            token.append(character)
        }
    }
    flush()
    return result
}
