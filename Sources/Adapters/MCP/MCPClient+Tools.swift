extension MCPClient {
    /// The most pages ``listTools()`` follows before it concludes the server's cursors loop.
    public static let maximumToolPages = 1000

    /// Lists the server's tools, following `nextCursor` until the last page.
    ///
    /// - Returns: Every tool, in the server's order.
    /// - Throws: ``MCPError`` (``MCPError/Code/invalidResult`` for a malformed page or a cursor loop, or a
    ///   request's errors), or `CancellationError`.
    public func listTools() async throws -> [MCPToolDefinition] {
        var tools: [MCPToolDefinition] = []
        var cursor: String?
        var seen: Set<String> = []
        for _ in 0..<Self.maximumToolPages {
            let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
            let result = try await request("tools/list", params: params)
            guard let page = result["tools"]?.arrayValue else {
                throw invalid("a tools/list result has no \"tools\" array")
            }
            for (index, entry) in page.enumerated() {
                guard let tool = MCPToolDefinition(json: entry) else {
                    throw invalid("tools/list entry \(index) has no string \"name\" or no object \"inputSchema\"")
                }
                tools.append(tool)
            }
            guard let next = result["nextCursor"]?.stringValue else { return tools }
            guard seen.insert(next).inserted else {
                throw invalid("tools/list returned the cursor \"\(next)\" twice; the server's pagination loops")
            }
            cursor = next
        }
        throw invalid("tools/list has more than \(Self.maximumToolPages) pages")
    }

    /// The server's tools as library tools named `<prefix>.<tool>`.
    ///
    /// - Parameter prefix: The name prefix; by default the server's `serverInfo.name` made into a valid name
    ///   segment (``MCPTool/prefix(forServerName:)``).
    /// - Returns: One ``MCPTool`` per server tool.
    /// - Throws: The errors of ``listTools()``.
    public func tools(prefix: String? = nil) async throws -> [MCPTool] {
        let prefix = prefix ?? MCPTool.prefix(forServerName: server?.name ?? "")
        return try await listTools().map { MCPTool(definition: $0, prefix: prefix, client: self) }
    }

    /// Calls a tool on the server (`tools/call`), with no timeout of its own: cancel the task to stop it.
    ///
    /// - Parameters:
    ///   - name: The tool's name on the server (without prefix).
    ///   - arguments: Its arguments.
    ///   - onProgress: Receives the server's progress notifications for this call; when given, the request
    ///     carries a progress token (its id).
    /// - Returns: The result; check ``MCPToolResult/isError``.
    /// - Throws: ``MCPError``, or `CancellationError` after `notifications/cancelled` was sent.
    public func callTool(
        _ name: String,
        arguments: JSONValue,
        onProgress: (@Sendable (MCPProgress) -> Void)? = nil
    ) async throws -> MCPToolResult {
        let result = try await send(
            "tools/call",
            params: { id in
                var params: [String: JSONValue] = ["name": .string(name), "arguments": arguments]
                if onProgress != nil { params["_meta"] = ["progressToken": id.json] }
                return .object(params)
            },
            timeout: nil,
            onProgress: onProgress
        )
        return try MCPToolResult(json: result, tool: name)
    }

    private func invalid(_ message: String) -> MCPError {
        MCPError(code: .invalidResult, method: "tools/list", message: "\(configuration.serverLabel): " + message)
    }
}
