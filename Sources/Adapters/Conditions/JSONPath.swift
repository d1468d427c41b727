public import AgentPolicy

/// A path to a value inside a ``JSONValue``: `$` for the whole value, `.name` or `["name"]` for an object member,
/// `[2]` for an array element.
///
/// Paths address a node's output in a graph edge's condition and the workflow's data in a decision or a task's
/// input and output mapping. Only this small, fixed subset of JSONPath is accepted, so a path always names at most
/// one value; there are no wildcards, filters or expressions.
///
/// ```swift
/// let path = try JSONPath(parsing: "$.ticket.tags[0]")
/// let data: JSONValue = ["ticket": ["tags": ["billing", "urgent"]]]
/// path.value(in: data)  // "billing"
/// ```
///
/// A path is encoded as its text, so `"$.ticket.category"` in a JSON definition is a path.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        /// An object member, by name.
        case member(String)
        /// An array element, by zero-based position.
        case index(Int)
    }

    /// The steps from the root, in order; empty for `$`.
    public var components: [Component]

    /// The path to the whole value, `$`.
    public static let root = JSONPath(components: [])

    /// Creates a path from its steps.
    ///
    /// - Parameter components: The steps from the root, in order.
    public init(components: [Component]) { self.components = components }

    /// Parses a path's text: `$` followed by `.name`, `["name"]` or `[index]` steps.
    ///
    /// A `.name` step takes letters, digits, `_` and `-`; any other member name is written `["name"]`, with `\"`
    /// and `\\` escapes.
    ///
    /// - Parameter text: The path's text, for example `$.items[0].name`.
    /// - Throws: ``JSONPathError`` naming the text and the offset of the first character that is not allowed.
    public init(parsing text: String) throws(JSONPathError) {
        let scalars = Array(text.unicodeScalars)
        var position = 0
        func fail(_ reason: String) -> JSONPathError {
            JSONPathError(path: text, offset: position, reason: reason)
        }
        guard scalars.first == "$" else { throw fail("a path starts with \"$\"") }
        position = 1
        var components: [Component] = []
        while position < scalars.count {
            switch scalars[position] {
            case ".":
                position += 1
                let start = position
                while position < scalars.count, Self.isNameScalar(scalars[position]) { position += 1 }
                guard position > start else { throw fail("expected a member name after \".\"") }
                var name = String.UnicodeScalarView()
                name.append(contentsOf: scalars[start..<position])
                components.append(.member(String(name)))
            case "[":
                position += 1
                guard position < scalars.count else { throw fail("expected an index or a quoted name after \"[\"") }
                if scalars[position] == "\"" {
                    position += 1
                    var name = String.UnicodeScalarView()
                    var closed = false
                    while position < scalars.count {
                        let scalar = scalars[position]
                        if scalar == "\\" {
                            position += 1
                            guard position < scalars.count, scalars[position] == "\"" || scalars[position] == "\\"
                            else { throw fail("only \\\" and \\\\ escapes are allowed in a quoted name") }
                            name.append(scalars[position])
                        } else if scalar == "\"" {
                            closed = true
                            position += 1
                            break
                        } else {
                            name.append(scalar)
                        }
                        position += 1
                    }
                    guard closed else { throw fail("unterminated quoted name") }
                    components.append(.member(String(name)))
                } else {
                    let start = position
                    var index = 0
                    while position < scalars.count, ("0"..."9").contains(scalars[position]) {
                        let digit = Int(scalars[position].value - 48)
                        guard index <= (Int.max - digit) / 10 else { throw fail("index too large") }
                        index = index * 10 + digit
                        position += 1
                    }
                    guard position > start else { throw fail("expected an index or a quoted name after \"[\"") }
                    components.append(.index(index))
                }
                guard position < scalars.count, scalars[position] == "]" else { throw fail("expected \"]\"") }
                position += 1
            default:
                throw fail("expected \".\" or \"[\"")
            }
        }
        self.components = components
    }

    /// The path's text, in the form ``init(parsing:)`` reads: `.name` where the name allows, `["name"]` otherwise.
    public var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .member(let name):
                if !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isNameScalar) {
                    text += "." + name
                } else {
                    var escaped = ""
                    for character in name {
                        if character == "\"" || character == "\\" { escaped.append("\\") }
                        escaped.append(character)
                    }
                    text += "[\"" + escaped + "\"]"
                }
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// The value the path names in `value`, or `nil` when a step names a missing member, an index out of range, or
    /// steps into something that is not an object or an array.
    ///
    /// - Parameter value: The value to look into.
    /// - Returns: The value at the path, or `nil`.
    public func value(in value: JSONValue) -> JSONValue? {
        var current = value
        for component in components {
            switch component {
            case .member(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let index):
                guard let next = current[index] else { return nil }
                current = next
            }
        }
        return current
    }

    /// A copy of `value` with `newValue` at this path.
    ///
    /// Missing object members along the way are created as objects (a `null` counts as missing); an array index
    /// may name an existing element or the position just past the end (which appends).
    ///
    /// - Parameters:
    ///   - newValue: The value to place.
    ///   - value: The value to place it in.
    /// - Returns: The updated copy; the root path returns `newValue`.
    /// - Throws: ``JSONPathError`` naming the path and the step that goes through a value of another kind or an
    ///   index beyond the end.
    public func setting(_ newValue: JSONValue, in value: JSONValue) throws(JSONPathError) -> JSONValue {
        try Self.set(newValue, in: value, components: components[...], path: self)
    }

    private static func set(
        _ newValue: JSONValue,
        in value: JSONValue,
        components: ArraySlice<Component>,
        path: JSONPath
    ) throws(JSONPathError) -> JSONValue {
        guard let first = components.first else { return newValue }
        let step = path.components.count - components.count
        let rest = components.dropFirst()
        switch first {
        case .member(let name):
            var members: [String: JSONValue]
            switch value {
            case .object(let existing): members = existing
            case .null: members = [:]
            default:
                throw JSONPathError(
                    path: path.description,
                    offset: step,
                    reason: "step \(step) names member \"\(name)\" of a non-object"
                )
            }
            members[name] = try set(newValue, in: members[name] ?? .null, components: rest, path: path)
            return .object(members)
        case .index(let index):
            guard case .array(var elements) = value else {
                throw JSONPathError(
                    path: path.description,
                    offset: step,
                    reason: "step \(step) names element \(index) of a non-array"
                )
            }
            if index < elements.count {
                elements[index] = try set(newValue, in: elements[index], components: rest, path: path)
            } else if index == elements.count {
                elements.append(try set(newValue, in: .null, components: rest, path: path))
            } else {
                throw JSONPathError(
                    path: path.description,
                    offset: step,
                    reason: "step \(step) names element \(index) of an array of \(elements.count)"
                )
            }
            return .array(elements)
        }
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
    }
}

extension JSONPath: ExpressibleByStringLiteral {
    /// Creates a path from a literal, for use in code: `"$.category"`.
    ///
    /// A literal that is not a valid path is a programming error and stops the program with the parse error; use
    /// ``init(parsing:)`` for text that comes from outside.
    ///
    /// - Parameter value: The path's text.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure(error.description)
        }
    }
}

extension JSONPath: Codable {
    /// Decodes a path from its text.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``JSONPathError``'s description when the text is not a path.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the path as its text.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A path that could not be parsed, or a value that could not be placed at a path.
public struct JSONPathError: Error, Hashable, Sendable, CustomStringConvertible, CodedError {
    /// The path's text.
    public var path: String
    /// Where the problem is: a character offset (in Unicode scalars) when parsing, the step's position when placing.
    public var offset: Int
    /// What is wrong, for example `expected "]"`.
    public var reason: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - path: The path's text.
    ///   - offset: Where the problem is.
    ///   - reason: What is wrong.
    public init(path: String, offset: Int, reason: String) {
        self.path = path
        self.offset = offset
        self.reason = reason
    }

    /// `invalidJSONPath`.
    public var errorCode: String { "invalidJSONPath" }

    /// The path, the position and the reason, with the accepted syntax.
    public var description: String {
        "invalid JSON path \"\(path)\" at \(offset): \(reason) (paths look like $.name, $[\"odd name\"] or $.items[0])"
    }
}
