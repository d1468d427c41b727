import AgentPolicy

/// The tools an orchestrator offers its agents, by name.
///
/// Registration checks each name and refuses duplicates, naming what is already registered. Lookups of unknown
/// names give a ``ToolError`` listing the registered tools.
public struct ToolRegistry: Sendable {
    private var tools: [String: RegisteredTool] = [:]

    /// Creates a registry holding `tools`.
    ///
    /// - Parameter tools: The tools to register.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/duplicateTool`` or ``ToolError/Code/invalidToolName``.
    public init(_ tools: [any Tool] = []) throws(ToolError) {
        for tool in tools { try register(tool) }
    }

    /// Adds a tool.
    ///
    /// - Parameter tool: The tool to add.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/duplicateTool`` or ``ToolError/Code/invalidToolName``.
    public mutating func register(_ tool: some Tool) throws(ToolError) {
        let name = tool.name
        do {
            try ToolPattern.validateToolName(name, field: "name")
        } catch {
            throw ToolError(code: .invalidToolName, tool: name, message: error.message)
        }
        guard tools[name] == nil else {
            throw ToolError(
                code: .duplicateTool,
                tool: name,
                registeredTools: names,
                message: "a tool named \"\(name)\" is already registered (registered: \(names.joined(separator: ", ")))"
            )
        }
        tools[name] = RegisteredTool(tool)
        descriptions = names.compactMap { tools[$0]?.description }
    }

    /// The registered names, sorted.
    public var names: [String] { tools.keys.sorted() }

    /// The registered tools' descriptions, sorted by name.
    public private(set) var descriptions: [ToolDescription] = []

    /// Returns the tool named `name`.
    ///
    /// - Parameter name: The tool's name.
    /// - Returns: The registered tool.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/unknownTool``, listing the registered names.
    package func tool(named name: String) throws(ToolError) -> RegisteredTool {
        guard let tool = tools[name] else { throw ToolError.unknown(name, registered: names) }
        return tool
    }
}

/// A type-erased registered tool: checks and decodes arguments, runs the body, encodes the result.
package struct RegisteredTool: Sendable {
    package let description: ToolDescription
    private let body: @Sendable (JSONValue) async throws -> JSONValue
    private let decodeArguments: @Sendable (JSONValue) throws -> Void

    init<T: Tool>(_ tool: T) {
        description = ToolDescription(name: tool.name, description: tool.description, parameters: tool.parameters)
        if T.Arguments.self == JSONValue.self, T.Output.self == JSONValue.self {
            body = { arguments in
                // Both casts succeed: the types were just compared.
                try await tool.call(arguments: arguments as! T.Arguments) as! JSONValue
            }
            decodeArguments = { _ in }
        } else {
            body = { arguments in
                let decoded = try JSONValueDecoder().decode(T.Arguments.self, from: arguments)
                let output = try await tool.call(arguments: decoded)
                return try JSONValueEncoder().encode(output)
            }
            decodeArguments = { arguments in _ = try JSONValueDecoder().decode(T.Arguments.self, from: arguments) }
        }
    }

    /// Checks the arguments against the schema and that they decode, without running the tool.
    ///
    /// - Throws: ``ToolError`` with code ``ToolError/Code/invalidArguments`` naming the field.
    package func check(_ arguments: JSONValue) throws(ToolError) {
        let name = description.name
        if let violation = description.parameters.validate(arguments) {
            throw ToolError(
                code: .invalidArguments,
                tool: name,
                field: violation.path,
                message: "arguments for \"\(name)\" refused: \(violation.path.isEmpty ? "" : violation.path + ": ")"
                    + violation.message
            )
        }
        do {
            try decodeArguments(arguments)
        } catch {
            let field = (error as? DecodingError).map(Self.path(of:)) ?? ""
            throw ToolError(
                code: .invalidArguments,
                tool: name,
                field: field,
                message: "arguments for \"\(name)\" do not decode: \(error)"
            )
        }
    }

    /// Runs the tool's body on arguments that passed ``check(_:)``.
    ///
    /// - Parameters:
    ///   - arguments: Arguments that passed ``check(_:)``.
    ///   - retryability: Reads whether the tool's error may go away if tried again, and a retry-after hint.
    /// - Returns: The tool's output.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/toolFailed``, or `CancellationError` unchanged.
    package func call(
        _ arguments: JSONValue,
        retryability: (any Error) -> (isRetryable: Bool, retryAfter: Duration?) = { _ in (false, nil) }
    ) async throws -> JSONValue {
        do {
            return try await body(arguments)
        } catch let error as CancellationError {
            throw error
        } catch {
            let (isRetryable, retryAfter) = retryability(error)
            throw ToolError(
                code: .toolFailed,
                tool: description.name,
                message: "tool \"\(description.name)\" failed: \(error)",
                isRetryable: isRetryable,
                retryAfterNanoseconds: retryAfter.map(Nanoseconds.init)
            )
        }
    }

    private static func path(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return render(context.codingPath)
        case .keyNotFound(let key, let context):
            return render(context.codingPath + [key])
        @unknown default:
            return ""
        }
    }

    private static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }
}
