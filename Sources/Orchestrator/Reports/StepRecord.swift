public import AgentAdapters
public import AgentPolicy

/// One step of a run: its input, output or error, timings, tool calls and model usage.
public struct StepRecord: Hashable, Codable, Sendable {
    /// The step's position in the run, from 0.
    public var index: Int
    /// The plan revision it belongs to.
    public var revision: Int
    /// The step's label, if the plan gave one.
    public var label: String?
    /// The step's input.
    public var input: JSONValue
    /// How the step ended.
    public var status: StepStatus
    /// The step's output, if it completed.
    public var output: JSONValue?
    /// The error, if it failed.
    public var error: ErrorRecord?
    /// When the step started, since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the step ended, since the run started.
    public var endNanoseconds: Nanoseconds
    /// The tool calls the step made, in the order they started.
    public var toolCalls: [ToolCallRecord]
    /// The model usage the step reported.
    public var usage: ModelUsage
}

/// One tool call: arguments, outcome and timings.
public struct ToolCallRecord: Hashable, Codable, Sendable {
    /// The tool's name.
    public var tool: String
    /// The arguments passed.
    public var arguments: JSONValue
    /// How the call ended.
    public var status: ToolCallStatus
    /// The tool's output, if it succeeded.
    public var output: JSONValue?
    /// The error, if it failed or was refused.
    public var error: ErrorRecord?
    /// When the call started (or was refused), since the run started.
    public var startNanoseconds: Nanoseconds
    /// When the call ended, since the run started.
    public var endNanoseconds: Nanoseconds
}

/// How a step ended; encoded as its case name.
public enum StepStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The step returned an output.
    case completed
    /// The step threw.
    case failed
    /// The run ended (timeout, cancellation, policy stop) while the step ran.
    case interrupted

    /// The case name.
    public var description: String { rawValue }
}

/// How a tool call ended; encoded as its case name.
public enum ToolCallStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The tool returned.
    case succeeded
    /// The tool threw.
    case failed
    /// The call was refused before the tool ran: unknown tool, invalid arguments or a policy limit.
    case refused
    /// The run ended while the tool ran.
    case interrupted

    /// The case name.
    public var description: String { rawValue }
}
