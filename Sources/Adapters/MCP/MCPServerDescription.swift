/// A server as its answer to `initialize` describes it.
public struct MCPServerDescription: Hashable, Sendable {
    /// `serverInfo.name`, such as `mcp-time`.
    public var name: String
    /// `serverInfo.version`.
    public var version: String
    /// `serverInfo.title`, if given.
    public var title: String?
    /// The protocol revision the server chose, one of ``MCPClient/supportedProtocolVersions``.
    public var protocolVersion: String
    /// The server's capabilities, as sent.
    public var capabilities: JSONValue
    /// The server's instructions for the client, if any.
    public var instructions: String?

    /// Creates a description.
    ///
    /// - Parameters:
    ///   - name: The server's name.
    ///   - version: The server's version.
    ///   - title: Its display name.
    ///   - protocolVersion: The negotiated protocol revision.
    ///   - capabilities: The server's capabilities.
    ///   - instructions: The server's instructions, if any.
    public init(
        name: String,
        version: String,
        title: String? = nil,
        protocolVersion: String,
        capabilities: JSONValue = [:],
        instructions: String? = nil
    ) {
        self.name = name
        self.version = version
        self.title = title
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.instructions = instructions
    }

    /// Whether the server says it sends `notifications/tools/list_changed`.
    public var sendsToolListChanges: Bool { capabilities["tools"]?["listChanged"]?.boolValue ?? false }

    /// Reads an `initialize` result, checking the protocol version.
    init(initializeResult result: JSONValue, serverLabel: String) throws(MCPError) {
        guard let version = result["protocolVersion"]?.stringValue else {
            throw MCPError(
                code: .invalidResult,
                method: "initialize",
                message: "\(serverLabel)'s initialize result has no string \"protocolVersion\""
            )
        }
        guard MCPClient.supportedProtocolVersions.contains(version) else {
            throw MCPError(
                code: .unsupportedProtocolVersion,
                method: "initialize",
                message: "\(serverLabel) chose protocol version \"\(version)\"; this client speaks "
                    + MCPClient.supportedProtocolVersions.joined(separator: ", ") + ". Use a server version that "
                    + "supports one of them."
            )
        }
        let info = result["serverInfo"]
        self.init(
            name: info?["name"]?.stringValue ?? "",
            version: info?["version"]?.stringValue ?? "",
            title: info?["title"]?.stringValue,
            protocolVersion: version,
            capabilities: result["capabilities"] ?? [:],
            instructions: result["instructions"]?.stringValue
        )
    }
}
