public import AgentAdapters
public import AgentPolicy

/// A test double that plays a script: each step is a list of actions (tool calls, usage reports, sleeps,
/// outputs, failures), and each review returns the next scripted decision.
///
/// ```swift
/// let agent = ScriptedAgent(name: "researcher", steps: [
///     [.callTool("search", arguments: ["query": "swift"]), .output("found it")],
///     [.reportUsage(ModelUsage(inputTokens: 120, outputTokens: 40)), .output("summary")],
/// ])
/// ```
///
/// A step's output is its last ``Action/output(_:)``, or else the result of its last tool call, or else `null`.
/// The agent keeps no state between runs: the review for revision `r` is `reviews[r]`, or accept when the script
/// has none. Every revision replays the same steps.
public struct ScriptedAgent: Agent {
    /// One scripted action of a step.
    public enum Action: Hashable, Sendable {
        /// Calls a tool through the context; the result becomes the step's output unless an output follows.
        case callTool(String, arguments: JSONValue)
        /// Reserves `estimate`, then reports `actual` for it.
        case useModel(estimate: ModelUsage, actual: ModelUsage)
        /// Reports usage without a reservation.
        case reportUsage(ModelUsage)
        /// Sleeps on the orchestrator's clock.
        case sleep(Duration)
        /// Sets the step's output.
        case output(JSONValue)
        /// Throws an error with this message: the run ends with "agent failed".
        case fail(String)
    }

    /// The error a ``Action/fail(_:)`` action throws.
    public struct ScriptedFailure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The scripted message.
        public var message: String

        /// Creates a failure.
        ///
        /// - Parameter message: The scripted message.
        public init(message: String) { self.message = message }

        /// The scripted message.
        public var description: String { message }
    }

    /// The agent's name.
    public let name: String
    /// The steps, each a list of actions.
    public let steps: [[Action]]
    /// The review decision for each revision; accept beyond the end.
    public let reviews: [ReviewDecision]

    /// Creates a scripted agent.
    ///
    /// - Parameters:
    ///   - name: The agent's name.
    ///   - steps: The steps, each a list of actions.
    ///   - reviews: The review decision for each revision.
    public init(name: String, steps: [[Action]], reviews: [ReviewDecision] = []) {
        self.name = name
        self.steps = steps
        self.reviews = reviews
    }

    /// Plans one step per scripted step; the input is the step's number.
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and any review feedback.
    ///   - context: The run's governed context.
    /// - Returns: One step per scripted step.
    /// - Throws: Never; the signature matches `Agent` (AgentAdapters).
    public func plan(_ request: PlanRequest, context: AgentContext) async throws -> [AgentStep] {
        steps.indices.map { AgentStep(.integer(Int64($0)), label: "\(name) step \($0 + 1)") }
    }

    /// Plays the scripted actions of the step.
    ///
    /// - Parameters:
    ///   - step: The step; its input is the scripted step's number.
    ///   - context: The run's governed context.
    /// - Returns: The step's output.
    /// - Throws: ``ScriptedFailure``, or what the context throws.
    public func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        let number = Int(step.input.integerValue ?? 0)
        guard steps.indices.contains(number) else { return .output(.null) }
        var output: JSONValue = .null
        for action in steps[number] {
            switch action {
            case .callTool(let tool, let arguments):
                output = try await context.callTool(tool, arguments: arguments)
            case .useModel(let estimate, let actual):
                let reservation = try context.reserveUsage(estimate)
                try context.reportUsage(actual, for: reservation)
            case .reportUsage(let usage):
                try context.reportUsage(usage)
            case .sleep(let duration):
                try await context.sleep(for: duration)
            case .output(let value):
                output = value
            case .fail(let message):
                throw ScriptedFailure(message: message)
            }
        }
        return .output(output)
    }

    /// Returns the scripted decision for this revision, or accepts.
    ///
    /// - Parameters:
    ///   - request: The task, the revision number and the step outputs.
    ///   - context: The run's governed context.
    /// - Returns: The decision.
    /// - Throws: Never; the signature matches `Agent` (AgentAdapters).
    public func review(_ request: ReviewRequest, context: AgentContext) async throws -> ReviewDecision {
        reviews.indices.contains(request.revision) ? reviews[request.revision] : .accept
    }
}
