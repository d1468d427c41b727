public import AgentPolicy

/// How one tool call of a model response ended, from ``AgentContext/callTools(_:)``: its output, or the error the
/// model should read.
///
/// Every outcome becomes a tool-result message for the model (``resultMessage``): the output as JSON text, or, for a
/// refused or failed call, `{"error": …, "code": …}` with ``ModelMessage/isError`` set, so the model can read what
/// went wrong (an unknown tool, invalid arguments, a spent budget) and try something else.
public struct ToolCallOutcome: Hashable, Sendable {
    /// How a call of a batch ended.
    public enum Status: String, Hashable, Codable, Sendable, CaseIterable {
        /// The tool ran and returned.
        case succeeded
        /// The tool ran and threw.
        case failed
        /// The call never ran: an unknown tool, invalid arguments, the policy or the budget refused it.
        case refused
    }

    /// The call the model asked for.
    public var call: ModelToolCall
    /// How it ended.
    public var status: Status
    /// The tool's output, when it succeeded.
    public var output: JSONValue?
    /// The error, when it failed or was refused.
    public var error: ErrorRecord?

    /// Creates an outcome.
    ///
    /// - Parameters:
    ///   - call: The call the model asked for.
    ///   - status: How it ended.
    ///   - output: The tool's output, when it succeeded.
    ///   - error: The error, when it failed or was refused.
    public init(call: ModelToolCall, status: Status, output: JSONValue? = nil, error: ErrorRecord? = nil) {
        self.call = call
        self.status = status
        self.output = output
        self.error = error
    }

    /// The tool-result message to append to the transcript: the output's JSON text, or the error as
    /// `{"error": message, "code": code}` with ``ModelMessage/isError`` set.
    public var resultMessage: ModelMessage {
        if status == .succeeded {
            return .toolResult(for: call.id, content: (output ?? .null).jsonText())
        }
        var members: [String: JSONValue] = ["error": .string(error?.message ?? "the call did not run")]
        if let code = error?.code { members["code"] = .string(code) }
        return .toolResult(for: call.id, content: JSONValue.object(members).jsonText(), isError: true)
    }
}
