public import AgentPolicy

/// A tool call that could not be made or that failed: unknown tool, arguments refused, or the tool threw.
///
/// The agent receives it from ``AgentContext/callTool(_:arguments:)`` and may handle it (a model-driven agent can
/// show the message to the model and try again). If the agent lets it escape from a step, the run stops with
/// stop reason "tool failed". Registration mistakes (a duplicate or badly named tool) use the same type.
///
/// Policy refusals are not tool errors: they are `PolicyViolation`s and stop the run.
///
/// A `RetryableError` (its ``isRetryable`` and ``retryAfter``, for code ``Code/toolFailed``) and a `CodedError`
/// (its code and tool), so that retrying code and an `ErrorRecord` read both without knowing this type.
public struct ToolError: Error, Hashable, Codable, Sendable, CustomStringConvertible, RetryableError, CodedError {
    /// What went wrong.
    ///
    /// Codes are a struct with static members rather than an enum, so new codes never break a client's `switch`.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its stable name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// No tool of that name is registered; ``ToolError/registeredTools`` lists the ones that are.
        public static let unknownTool = Code(rawValue: "unknownTool")
        /// The arguments failed the tool's schema, or the tool's `Arguments` type refused them with an error of its
        /// own; the tool did not run. The caller should fix the arguments.
        public static let invalidArguments = Code(rawValue: "invalidArguments")
        /// The tool's schema and its `Arguments` type disagree: arguments that pass the schema do not decode into
        /// the type (at a call, or for the schema's smallest sample at registration). The tool did not run; the
        /// fault is the tool's, not the caller's. ``ToolError/field`` names the member, the message the type.
        public static let schemaMismatch = Code(rawValue: "schemaMismatch")
        /// The tool declares no ``Tool/parameters`` and the schema of its typed ``Tool/Arguments`` cannot be derived
        /// (see ``ToolSchema/init(deriving:)``); found at registration. The message names the tool, the type and
        /// why; declare `parameters` or conform the type to ``ToolSchemaProviding``.
        public static let schemaDerivationFailed = Code(rawValue: "schemaDerivationFailed")
        /// The tool ran, but its output does not decode into the type the caller asked for in
        /// ``AgentContext/callTool(_:arguments:returning:)``; ``ToolError/field`` names the member, the message the
        /// type. The tool call counts as made.
        public static let outputMismatch = Code(rawValue: "outputMismatch")
        /// The tool ran and threw, or its output could not be encoded.
        public static let toolFailed = Code(rawValue: "toolFailed")
        /// Two tools with the same name were registered.
        public static let duplicateTool = Code(rawValue: "duplicateTool")
        /// A tool's name is empty or has characters other than letters, digits, `_ - . : /`.
        public static let invalidToolName = Code(rawValue: "invalidToolName")
        /// The run has ended (timed out, cancelled or stopped by the policy); no more tools run in it.
        public static let runEnded = Code(rawValue: "runEnded")
        /// A person denied the call when a paused journaled run was resumed with a denial; the message carries their
        /// reason. The tool did not run.
        public static let approvalDenied = Code(rawValue: "approvalDenied")
        /// The call needs a person's approval (the tool declares it, or the policy's `requiresApproval` matches it)
        /// and the run keeps no journal to pause in: run it with a journal. The tool did not run.
        public static let approvalRequired = Code(rawValue: "approvalRequired")

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The tool concerned.
    public var tool: String
    /// For ``Code/invalidArguments`` and ``Code/schemaMismatch``, the path of the offending argument; for
    /// ``Code/outputMismatch``, the path in the output (`""` for the value as a whole).
    public var field: String?
    /// For ``Code/unknownTool`` and ``Code/duplicateTool``, the names registered, sorted.
    public var registeredTools: [String]?
    /// What went wrong and what to do about it.
    public var message: String
    /// For ``Code/toolFailed``: whether the tool's error said it may succeed if tried again (for example an HTTP 503
    /// from an error conforming to `RetryableError`). Graph runs retry such nodes.
    public var isRetryable: Bool
    /// For ``Code/toolFailed``: the tool's error's hint of how long to wait before trying again, if any.
    public var retryAfterNanoseconds: Nanoseconds?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - tool: The tool concerned.
    ///   - field: The offending argument's path, for invalid arguments.
    ///   - registeredTools: The names registered, for unknown or duplicate tools.
    ///   - message: What went wrong and what to do about it.
    ///   - isRetryable: Whether the tool's error may go away if the work is tried again.
    ///   - retryAfterNanoseconds: How long to wait before trying again, if the tool's error said.
    public init(
        code: Code,
        tool: String,
        field: String? = nil,
        registeredTools: [String]? = nil,
        message: String,
        isRetryable: Bool = false,
        retryAfterNanoseconds: Nanoseconds? = nil
    ) {
        self.code = code
        self.tool = tool
        self.field = field
        self.registeredTools = registeredTools
        self.message = message
        self.isRetryable = isRetryable
        self.retryAfterNanoseconds = retryAfterNanoseconds
    }

    /// A one-line summary naming the tool.
    public var description: String { "ToolError.\(code) (tool \"\(tool)\"): \(message)" }

    /// The tool's error's hint of how long to wait before trying again: ``retryAfterNanoseconds`` as a `Duration`.
    public var retryAfter: Duration? { retryAfterNanoseconds?.duration }

    /// The code's stable name, for an `ErrorRecord`.
    public var errorCode: String { code.rawValue }

    /// The tool concerned, for an `ErrorRecord`.
    public var errorTool: String? { tool }

    static func unknown(_ tool: String, registered: [String]) -> ToolError {
        let list = registered.isEmpty ? "none registered" : "registered: " + registered.joined(separator: ", ")
        return ToolError(
            code: .unknownTool,
            tool: tool,
            registeredTools: registered,
            message: "no tool named \"\(tool)\" (\(list))"
        )
    }
}
