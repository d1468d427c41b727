/// A capability an agent can call through its ``AgentContext``: a `Sendable` value with a name, a description, a
/// parameter schema and an `async throws` call, shaped like FoundationModels' `Tool`.
///
/// Arguments arrive as a ``JSONValue``: the orchestrator checks them against ``parameters`` and then decodes them
/// into ``Arguments`` with ``JSONValueDecoder``; arguments that fail either check are refused before ``call(arguments:)``
/// runs. The result is encoded back into a ``JSONValue`` with ``JSONValueEncoder``.
///
/// A tool with typed ``Arguments`` need not write ``parameters``: by default they are derived from the type (see
/// ``ToolSchema/init(deriving:)``), so the schema and the type cannot drift apart.
///
/// ```swift
/// struct Weather: Tool {
///     struct Arguments: Decodable, Sendable { var city: String }
///     let name = "weather"
///     let description = "Current temperature in a city, in °C."
///     // parameters: derived, {"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"}
///     func call(arguments: Arguments) async throws -> Int { arguments.city == "Oslo" ? 3 : 20 }
/// }
/// ```
///
/// For raw JSON in and out, leave ``Arguments`` and ``Output`` as ``JSONValue`` (the defaults), or use
/// ``ClosureTool``.
///
/// Tools run only through an agent's context, never directly: every call is checked against the policy and
/// debited from the budget first. A tool should honour task cancellation: when the run times out or is cancelled,
/// the task running ``call(arguments:)`` is cancelled.
public protocol Tool<Arguments, Output>: Sendable {
    /// The decoded arguments the tool takes.
    associatedtype Arguments: Decodable & Sendable = JSONValue
    /// The value the tool returns; it is encoded into a ``JSONValue`` for the agent.
    associatedtype Output: Encodable & Sendable = JSONValue

    /// The tool's unique name: letters, digits, `_`, `-`, `.`, `:` and `/`. Policies match it with patterns.
    var name: String { get }
    /// What the tool does, in words a model can act on.
    var description: String { get }
    /// The schema the arguments must satisfy before the tool is called.
    ///
    /// The default derives it from ``Arguments`` (``ToolSchema/any`` when ``Arguments`` is ``JSONValue``). A
    /// declared schema is kept as it is, even when ``Arguments`` is typed: declare one to add what a type cannot
    /// say (descriptions, bounds, lengths); registration then checks that it and the type agree.
    var parameters: ToolSchema { get }
    /// Whether every call of the tool needs a person's approval first: a journaled run then pauses before the
    /// call (status `awaitingApproval`) until it is resumed with an approval or a denial. The default is `false`;
    /// a policy can also ask for approval by pattern (`StrictPolicy.requiresApproval`).
    var requiresApproval: Bool { get }

    /// Performs the tool's work.
    ///
    /// - Parameter arguments: Arguments that passed ``parameters`` and decoded into ``Arguments``.
    /// - Returns: The tool's result.
    /// - Throws: Any error; the agent receives it as a ``ToolError`` with code ``ToolError/Code/toolFailed``.
    func call(arguments: Arguments) async throws -> Output
}

extension Tool {
    /// The schema derived from ``Arguments`` with ``ToolSchema/init(deriving:)`` (cached per type), or
    /// ``ToolSchema/any`` when ``Arguments`` is ``JSONValue``.
    ///
    /// When ``Arguments`` cannot be derived (a dictionary, an enum with associated values, a recursive type, a type
    /// whose `init(from:)` refuses the probe value), the schema returned refuses every value, and registering the
    /// tool fails with ``ToolError/Code/schemaDerivationFailed`` naming the tool and the type: declare
    /// ``parameters``, or conform the type to ``ToolSchemaProviding``. It never falls back to accepting anything.
    public var parameters: ToolSchema { ToolSchema.parameters(for: Arguments.self) }

    /// `false`: calls run without approval unless the policy asks for it.
    public var requiresApproval: Bool { false }
}

/// A tool described for an agent or a model: its name, description and parameter schema, without its body.
///
/// The description keeps the length of its schema's JSON text, worked out when the description is made and again
/// whenever ``parameters`` changes, so that ``ConservativeTokenCounter`` can estimate a request's tools on every
/// model call without printing their schemas again.
public struct ToolDescription: Hashable, Codable, Sendable {
    /// The tool's name.
    public var name: String
    /// What the tool does.
    public var description: String
    /// The schema the arguments must satisfy.
    public var parameters: ToolSchema {
        didSet { parametersTextBytes = Self.textBytes(of: parameters) }
    }
    /// The UTF-8 length of `parameters.jsonSchema.jsonText()`, kept in step with ``parameters``.
    private(set) var parametersTextBytes: Int

    private enum CodingKeys: String, CodingKey {
        case name, description, parameters
    }

    /// Creates a description.
    ///
    /// - Parameters:
    ///   - name: The tool's name.
    ///   - description: What the tool does.
    ///   - parameters: The schema the arguments must satisfy.
    public init(name: String, description: String, parameters: ToolSchema) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.parametersTextBytes = Self.textBytes(of: parameters)
    }

    /// Decodes a description: `name`, `description` and `parameters` (a JSON Schema).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a field is missing or malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            description: try container.decode(String.self, forKey: .description),
            parameters: try container.decode(ToolSchema.self, forKey: .parameters)
        )
    }

    private static func textBytes(of schema: ToolSchema) -> Int { schema.jsonSchema.jsonText().utf8.count }
}
