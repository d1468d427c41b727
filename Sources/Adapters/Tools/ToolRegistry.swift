import AgentPolicy

/// The tools an orchestrator offers its agents, by name.
///
/// The orchestrator builds its registry from the tools given to its initialiser and shows it as `tools`; read
/// ``names`` and ``descriptions`` from it. Registration checks each name, refuses duplicates (naming what is
/// already registered) and checks that a typed tool's schema and `Arguments` type agree; the orchestrator's
/// initialiser throws the resulting ``ToolError``. Lookups of unknown names give a ``ToolError`` listing the
/// registered tools.
public struct ToolRegistry: Sendable {
    private var tools: [String: RegisteredTool] = [:]
    /// The tools again, in registration order, while there are at most ``scanned`` of them (empty beyond): a
    /// look-up compares a handful of names, which costs less than hashing the name for the dictionary once.
    private var few: [RegisteredTool] = []
    /// The most tools ``tool(named:)`` finds by comparing names.
    package static let scanned = 8

    /// Creates a registry holding `tools`.
    ///
    /// - Parameter tools: The tools to register.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/duplicateTool``, ``ToolError/Code/invalidToolName`` or
    ///   ``ToolError/Code/schemaMismatch`` (see ``register(_:)``).
    package init(_ tools: [any Tool] = []) throws(ToolError) {
        for tool in tools { try register(tool) }
    }

    /// Adds a tool.
    ///
    /// For a tool with a typed ``Tool/Arguments``, registration also checks that the tool's schema and its type
    /// agree: the smallest arguments the schema accepts (its required members, each at its simplest value) must
    /// decode into the type. A property the type requires but the schema does not, or a member whose kind differs,
    /// is refused here, before any run, instead of failing the first call. Values a type refuses on purpose (a
    /// custom `init(from:)` rejecting an empty string, say) are not checked.
    ///
    /// - Parameter tool: The tool to add.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/duplicateTool``, ``ToolError/Code/invalidToolName``, or
    ///   ``ToolError/Code/schemaMismatch`` naming the tool, its `Arguments` type and the field.
    package mutating func register(_ tool: some Tool) throws(ToolError) {
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
        let registered = try RegisteredTool(tool)
        tools[name] = registered
        few = tools.count <= Self.scanned ? few + [registered] : []
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
        if !few.isEmpty {
            for tool in few where tool.description.name == name { return tool }
            throw ToolError.unknown(name, registered: names)
        }
        guard let tool = tools[name] else { throw ToolError.unknown(name, registered: names) }
        return tool
    }
}
