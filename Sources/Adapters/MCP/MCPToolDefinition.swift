/// A tool as a server's `tools/list` describes it: name, description, schemas and annotations.
public struct MCPToolDefinition: Hashable, Sendable {
    /// The tool's name on the server (without the client-side prefix).
    public var name: String
    /// Its display name (`title`, or `annotations.title`), if any.
    public var title: String?
    /// What it does.
    public var description: String
    /// Its arguments' JSON Schema, as sent.
    public var inputSchema: JSONValue
    /// Its structured result's JSON Schema, when the server gives one.
    public var outputSchema: JSONValue?
    /// Hints about its behaviour.
    public var annotations: MCPToolAnnotations

    /// Creates a definition.
    ///
    /// - Parameters:
    ///   - name: The tool's name on the server.
    ///   - title: Its display name.
    ///   - description: What it does.
    ///   - inputSchema: Its arguments' JSON Schema.
    ///   - outputSchema: Its structured result's JSON Schema.
    ///   - annotations: Hints about its behaviour.
    public init(
        name: String,
        title: String? = nil,
        description: String = "",
        inputSchema: JSONValue = ["type": "object"],
        outputSchema: JSONValue? = nil,
        annotations: MCPToolAnnotations = MCPToolAnnotations()
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
    }

    /// Reads one entry of a `tools/list` result, or `nil` without a string `name` and an object `inputSchema`.
    ///
    /// - Parameter json: The tool object.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let input = json["inputSchema"], input.objectValue != nil else {
            return nil
        }
        let annotations = json["annotations"] ?? [:]
        self.init(
            name: name,
            title: json["title"]?.stringValue ?? annotations["title"]?.stringValue,
            description: json["description"]?.stringValue ?? "",
            inputSchema: input,
            outputSchema: json["outputSchema"].flatMap { $0.objectValue == nil ? nil : $0 },
            annotations: MCPToolAnnotations(json: annotations)
        )
    }

    /// The definition in the JSON form `tools/list` uses.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name), "description": .string(description), "inputSchema": inputSchema,
        ]
        if let title { members["title"] = .string(title) }
        if let outputSchema { members["outputSchema"] = outputSchema }
        let hints = annotations.json
        if hints != [:] { members["annotations"] = hints }
        return .object(members)
    }
}

/// A server's hints about a tool's behaviour (untrusted unless the server is): kept on every ``MCPTool`` so that a
/// policy can be built from them, for example to deny destructive tools (see ``MCPTool/names(of:where:)``).
public struct MCPToolAnnotations: Hashable, Sendable {
    /// The tool does not modify its environment.
    public var readOnlyHint: Bool?
    /// The tool may perform destructive updates (meaningful when not read-only; the specification's default is
    /// `true`).
    public var destructiveHint: Bool?
    /// Calling the tool again with the same arguments has no additional effect.
    public var idempotentHint: Bool?
    /// The tool interacts with an open world of external entities.
    public var openWorldHint: Bool?

    /// Creates annotations; `nil` means the server did not say.
    ///
    /// - Parameters:
    ///   - readOnlyHint: Whether the tool is read-only.
    ///   - destructiveHint: Whether it may destroy.
    ///   - idempotentHint: Whether repeating a call has no more effect.
    ///   - openWorldHint: Whether it reaches an open world.
    public init(
        readOnlyHint: Bool? = nil,
        destructiveHint: Bool? = nil,
        idempotentHint: Bool? = nil,
        openWorldHint: Bool? = nil
    ) {
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }

    /// Reads an `annotations` object; members that are not Booleans are ignored.
    ///
    /// - Parameter json: The annotations object.
    public init(json: JSONValue) {
        self.init(
            readOnlyHint: json["readOnlyHint"]?.boolValue,
            destructiveHint: json["destructiveHint"]?.boolValue,
            idempotentHint: json["idempotentHint"]?.boolValue,
            openWorldHint: json["openWorldHint"]?.boolValue
        )
    }

    /// Whether the tool may destroy, reading the hints as the specification's defaults do: not read-only and not
    /// marked non-destructive.
    public var mayDestroy: Bool { readOnlyHint != true && destructiveHint != false }

    /// The annotations in JSON form (only the hints given).
    public var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let readOnlyHint { members["readOnlyHint"] = .bool(readOnlyHint) }
        if let destructiveHint { members["destructiveHint"] = .bool(destructiveHint) }
        if let idempotentHint { members["idempotentHint"] = .bool(idempotentHint) }
        if let openWorldHint { members["openWorldHint"] = .bool(openWorldHint) }
        return .object(members)
    }
}

/// The result of `tools/call`.
public struct MCPToolResult: Hashable, Sendable {
    /// The content blocks (text, image, audio, resource links, embedded resources), as sent.
    public var content: [JSONValue]
    /// The structured result, when the server gives one.
    public var structuredContent: JSONValue?
    /// Whether the tool reported an error.
    public var isError: Bool

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - content: The content blocks.
    ///   - structuredContent: The structured result.
    ///   - isError: Whether the tool reported an error.
    public init(content: [JSONValue], structuredContent: JSONValue? = nil, isError: Bool = false) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
    }

    /// Reads a `tools/call` result.
    ///
    /// - Parameters:
    ///   - json: The result.
    ///   - tool: The tool's name, for the error message.
    /// - Throws: ``MCPError`` with code ``MCPError/Code/invalidResult`` without a `content` array, or for an
    ///   `input_required` result (multi round-trip requests are not supported).
    public init(json: JSONValue, tool: String) throws(MCPError) {
        if let kind = json["resultType"]?.stringValue, kind != "complete" {
            throw MCPError(
                code: .invalidResult,
                method: tool,
                message: "tools/call of \"\(tool)\" returned resultType \"\(kind)\", which this client does not support"
            )
        }
        let structured = json["structuredContent"]
        guard let content = json["content"]?.arrayValue ?? (structured == nil ? nil : []) else {
            throw MCPError(
                code: .invalidResult,
                method: tool,
                message: "the tools/call result of \"\(tool)\" has no \"content\" array"
            )
        }
        self.init(content: content, structuredContent: structured, isError: json["isError"]?.boolValue ?? false)
    }

    /// The tool's output as the library sees it: ``structuredContent`` when present, else the content blocks as a
    /// JSON array.
    public var output: JSONValue { structuredContent ?? .array(content) }

    /// The text of the text blocks, joined by newlines: what an error result says.
    public var text: String {
        content.compactMap { $0["type"] == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
    }
}
