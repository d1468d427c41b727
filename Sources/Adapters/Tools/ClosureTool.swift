/// A raw-JSON tool made of a closure.
///
/// ```swift
/// let add = ClosureTool(
///     name: "add",
///     description: "Adds two integers.",
///     parameters: .object(properties: ["a": .integer(), "b": .integer()], required: ["a", "b"])
/// ) { arguments in
///     .integer((arguments["a"]?.integerValue ?? 0) + (arguments["b"]?.integerValue ?? 0))
/// }
/// ```
public struct ClosureTool: Tool {
    /// The tool's name.
    public let name: String
    /// What the tool does.
    public let description: String
    /// The schema the arguments must satisfy.
    public let parameters: ToolSchema
    /// The closure itself: ``RegisteredTool`` calls it directly, one level (and one executor hop) fewer than
    /// ``call(arguments:)``.
    package let body: @Sendable (JSONValue) async throws -> JSONValue

    /// Creates a tool.
    ///
    /// - Parameters:
    ///   - name: The tool's name.
    ///   - description: What the tool does.
    ///   - parameters: The schema the arguments must satisfy; ``ToolSchema/any`` by default.
    ///   - body: The tool's work.
    public init(
        name: String,
        description: String,
        parameters: ToolSchema = .any,
        body: @escaping @Sendable (JSONValue) async throws -> JSONValue
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.body = body
    }

    /// Runs the closure.
    ///
    /// - Parameter arguments: Arguments that passed ``parameters``.
    /// - Returns: The closure's output.
    /// - Throws: What the closure throws.
    public func call(arguments: JSONValue) async throws -> JSONValue {
        try await body(arguments)
    }
}
