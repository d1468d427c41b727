/// The first way a value fails a ``ToolSchema``, as returned by ``ToolSchema/validate(_:)``.
///
/// ``path`` locates the offending value: the root is the empty string `""`; object members are joined with `.`
/// (`"options.mode"`), array elements use brackets (`"items[2].name"`, `"[0]"` for a root array), and a member
/// whose name is not an identifier is written as a quoted subscript (`"headers[\"content-type\"]"`). For a missing
/// required property the path names the missing member. ``message`` says what was expected and what was found.
public struct SchemaViolation: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// Where the offending value is; `""` for the root.
    public var path: String
    /// What was expected and what was found, for example `value 11 is above maximum 10`.
    public var message: String

    /// Creates a violation.
    ///
    /// - Parameters:
    ///   - path: Where the offending value is; `""` for the root.
    ///   - message: What was expected and what was found.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, or just the message at the root.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
