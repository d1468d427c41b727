/// One tool of an MCP server as a library ``Tool``, named `<prefix>.<tool>` (`time.get_current_time`).
///
/// Register it with the orchestrator like any tool: the run's policy (allow and deny patterns match the prefixed
/// name), per-tool caps, the tool-call budget, loop detection and the deadline apply unchanged. Arguments are
/// checked against ``parameters`` (the server's input schema, read by ``ToolSchema/init(mcpSchema:)``) before
/// anything is sent, so invalid arguments never reach the server.
///
/// The output is the result's `structuredContent` when present (checked against the server's output schema),
/// else its content blocks as a JSON array. A result with `isError: true` throws an ``MCPError`` with code
/// ``MCPError/Code/toolReportedError`` carrying the tool's text, which the agent receives as a ``ToolError``. The
/// server's `notifications/progress` for the call are reported through ``ToolInvocation/current``. When the task is
/// cancelled (the run's deadline, its cancellation) the server gets `notifications/cancelled`.
public struct MCPTool: Tool {
    /// The prefixed name: `<prefix>.<tool>`, with characters a library tool name cannot hold replaced by `_`.
    public let name: String
    /// The server's description (its title first, when it has one).
    public let description: String
    /// The input schema, as the library checks it.
    public let parameters: ToolSchema
    /// The tool as the server described it.
    public let definition: MCPToolDefinition
    /// The output schema, as the library checks the structured result, if the server gave one.
    public let outputSchema: ToolSchema?
    private let client: MCPClient

    /// Wraps one tool of `client`'s server.
    ///
    /// - Parameters:
    ///   - definition: The tool as `tools/list` described it.
    ///   - prefix: The name prefix (a valid name segment; see ``prefix(forServerName:)``).
    ///   - client: The started client that calls it.
    public init(definition: MCPToolDefinition, prefix: String, client: MCPClient) {
        self.definition = definition
        self.client = client
        self.name = prefix + "." + Self.nameSegment(definition.name, allowing: "./:")
        var text = definition.description
        if let title = definition.title, !title.isEmpty, title != definition.name {
            text = text.isEmpty ? title : title + ": " + text
        }
        self.description = text
        self.parameters = ToolSchema(mcpSchema: definition.inputSchema)
        self.outputSchema = definition.outputSchema.map(ToolSchema.init(mcpSchema:))
    }

    /// The server's hints about the tool.
    public var annotations: MCPToolAnnotations { definition.annotations }

    /// Calls the tool on the server.
    ///
    /// - Parameter arguments: Arguments that passed ``parameters``.
    /// - Returns: The structured result, or the content blocks.
    /// - Throws: ``MCPError`` (``MCPError/Code/toolReportedError``, ``MCPError/Code/serverError``,
    ///   ``MCPError/Code/connectionClosed``, ``MCPError/Code/invalidResult``), or `CancellationError`.
    public func call(arguments: JSONValue) async throws -> JSONValue {
        var onProgress: (@Sendable (MCPProgress) -> Void)?
        if let invocation = ToolInvocation.current {
            onProgress = { progress in
                invocation.reportProgress(progress.progress, total: progress.total, message: progress.message)
            }
        }
        let result = try await client.callTool(definition.name, arguments: arguments, onProgress: onProgress)
        if result.isError {
            let text = result.text
            throw MCPError(
                code: .toolReportedError,
                method: name,
                message: "\(client.configuration.serverLabel)'s tool \"\(definition.name)\" reported an error: "
                    + (text.isEmpty ? result.output.jsonText() : text)
            )
        }
        if let structured = result.structuredContent, let outputSchema,
            let violation = outputSchema.validate(structured)
        {
            throw MCPError(
                code: .invalidResult,
                method: name,
                message: "the structured result of \"\(definition.name)\" does not match its output schema at "
                    + "\(violation.path.isEmpty ? "the top level" : violation.path): \(violation.message)"
            )
        }
        return result.output
    }

    /// A prefix made from a server's `serverInfo.name`: letters, digits, `_` and `-` kept, anything else `_`;
    /// `mcp` for an empty name.
    ///
    /// - Parameter serverName: The server's name, such as `mcp-time`.
    /// - Returns: A valid tool-name segment.
    public static func prefix(forServerName serverName: String) -> String {
        serverName.isEmpty ? "mcp" : nameSegment(serverName, allowing: "")
    }

    /// The names of `tools` whose annotations satisfy `predicate`: patterns for a policy.
    ///
    /// ```swift
    /// let destructive = MCPTool.names(of: tools) { $0.mayDestroy }
    /// let policy = try StrictPolicy(budget: BudgetLimits(), deniedTools: destructive)
    /// ```
    ///
    /// - Parameters:
    ///   - tools: The tools.
    ///   - predicate: Which annotations to select.
    /// - Returns: The selected tools' prefixed names.
    public static func names(of tools: [MCPTool], where predicate: (MCPToolAnnotations) -> Bool) -> [String] {
        tools.filter { predicate($0.annotations) }.map(\.name)
    }

    private static func nameSegment(_ text: String, allowing extra: String) -> String {
        let allowed = Set(extra.unicodeScalars)
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isPlain =
                (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "-"
            scalars.append(isPlain || allowed.contains(scalar) ? scalar : "_")
        }
        return scalars.isEmpty ? "_" : String(scalars)
    }
}
