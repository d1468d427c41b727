public import AgentPolicy

/// The governed capabilities an agent gets for one run: call registered tools, reserve and report model usage,
/// read the remaining budget, the time left and the run's metadata.
///
/// The context is the only way an agent reaches tools: there is no way to get a tool instance, and no way to
/// change the policy or the ledger. Every tool call is checked (policy allow/deny lists, the tool's schema) and
/// reserved from the budget **before** the tool's body runs:
///
/// ```swift
/// let total = try await context.callTool("calculator", arguments: ["expression": "2+2"])
/// ```
///
/// A refusal by the policy throws a `PolicyViolation` and stops the run at once (it is never retried). A call
/// to an unknown tool or with invalid arguments throws a ``ToolError`` the agent may handle.
///
/// `AgentContext` is `Sendable`; its methods may be called from concurrent child tasks of a step.
///
/// Once the run has ended, whatever ended it (the timeout, cancellation, a policy violation, shutdown), every
/// throwing method throws ``ToolError`` with code ``ToolError/Code/runEnded`` and no tool runs; usage reported then
/// is still billed to the budget (the model call happened) and throws too. `CancellationError` comes only from the
/// agent's own task being cancelled while the run goes on (for example a child task of a step that the agent
/// cancelled), or from a tool that threw it.
public struct AgentContext: Sendable {
    /// The run's execution id.
    public let executionID: String
    /// The name of the agent being run.
    public let agentName: String
    /// The run's task, unchanged.
    public let task: JSONValue
    /// Metadata the caller passed to the run, unchanged.
    public let metadata: [String: JSONValue]
    /// The tools this run may call (registered and allowed by the policy), sorted by name.
    public let tools: [ToolDescription]
    /// The id of the graph node this run belongs to, if it is part of a graph run.
    public let nodeID: String?
    let backend: any AgentContextBackend

    /// Creates a context over a backend; the orchestrator makes these.
    package init(
        executionID: String,
        agentName: String,
        task: JSONValue,
        metadata: [String: JSONValue],
        tools: [ToolDescription],
        nodeID: String?,
        backend: any AgentContextBackend
    ) {
        self.executionID = executionID
        self.agentName = agentName
        self.task = task
        self.metadata = metadata
        self.tools = tools
        self.nodeID = nodeID
        self.backend = backend
    }

    /// Calls the registered tool `name` with JSON arguments, under the run's policy.
    ///
    /// - Parameters:
    ///   - name: The tool's name.
    ///   - arguments: The arguments; they must satisfy the tool's ``Tool/parameters``.
    /// - Returns: The tool's output.
    /// - Throws: `PolicyViolation` when the policy refuses the call (the run then stops); ``ToolError`` for an
    ///   unknown tool, refused arguments or a failing tool, and with code ``ToolError/Code/runEnded`` once the run
    ///   has ended (for any reason); `CancellationError` only when the agent's own task is cancelled while the run
    ///   goes on.
    public func callTool(_ name: String, arguments: JSONValue = .object([:])) async throws -> JSONValue {
        // The caller's isolation, passed on explicitly: the backend then hops to it once, on entry, instead of
        // hopping back to it after binding the call's task-local invocation (see the requirement).
        try await backend.callTool(name, arguments: arguments, isolation: #isolation)
    }

    /// Calls the registered tool `name` with typed arguments and decodes its output.
    ///
    /// - Parameters:
    ///   - name: The tool's name.
    ///   - arguments: The arguments, encoded with ``JSONValueEncoder``.
    ///   - outputType: The type to decode the output into.
    /// - Returns: The decoded output.
    /// - Throws: As ``callTool(_:arguments:)``; ``ToolError`` with code ``ToolError/Code/invalidArguments`` when
    ///   the arguments do not encode (the tool is not called), or ``ToolError/Code/outputMismatch`` when the
    ///   tool's output does not decode into `Output`, naming the tool, the type and the field.
    public func callTool<Arguments: Encodable, Output: Decodable>(
        _ name: String,
        arguments: Arguments,
        returning outputType: Output.Type = Output.self
    ) async throws -> Output {
        let encoded: JSONValue
        do {
            encoded = try JSONValueEncoder().encode(arguments)
        } catch {
            let problem = CodingProblem(error)
            throw ToolError(
                code: .invalidArguments,
                tool: name,
                field: problem.field,
                message: "arguments for \"\(name)\" (\(typeName(Arguments.self))) do not encode: \(problem.summary)"
            )
        }
        let output = try await callTool(name, arguments: encoded)
        do {
            return try JSONValueDecoder().decode(Output.self, from: output)
        } catch {
            let problem = CodingProblem(error)
            throw ToolError(
                code: .outputMismatch,
                tool: name,
                field: problem.field,
                message: "the output of tool \"\(name)\" does not decode into \(typeName(Output.self)) "
                    + "(\(problem.summary)): ask for the type the tool returns"
            )
        }
    }

    /// Reserves an estimate of model usage before a model call; refused if it would pass a token or cost limit.
    ///
    /// Settle the reservation with ``reportUsage(_:for:)`` when the call returns, or give it back with
    /// ``releaseUsage(_:)`` if the call never happened.
    ///
    /// - Parameter estimate: The most the call may use (for example the prompt size plus `maxTokens`).
    /// - Returns: The reservation.
    /// - Throws: `PolicyViolation` (the run then stops), or ``ToolError`` with code ``ToolError/Code/runEnded``.
    public func reserveUsage(_ estimate: ModelUsage) throws -> UsageReservation {
        try backend.reserveUsage(estimate)
    }

    /// Reports the usage a reserved model call actually had.
    ///
    /// The usage is recorded even when it passes a limit; then the run stops at once.
    ///
    /// - Parameters:
    ///   - actual: The usage the model reported.
    ///   - reservation: The reservation from ``reserveUsage(_:)``.
    /// - Throws: `PolicyViolation` when a limit is passed (the run has then stopped); ``ToolError`` with code
    ///   ``ToolError/Code/runEnded`` when the run has already ended (the usage is still billed).
    public func reportUsage(_ actual: ModelUsage, for reservation: UsageReservation) throws {
        try backend.reportUsage(actual, for: reservation)
    }

    /// Reports model usage that was not reserved beforehand.
    ///
    /// - Parameter actual: The usage the model reported.
    /// - Throws: `PolicyViolation` when a limit is passed (the run has then stopped); ``ToolError`` with code
    ///   ``ToolError/Code/runEnded`` when the run has already ended (the usage is still billed).
    public func reportUsage(_ actual: ModelUsage) throws {
        try backend.reportUsage(actual, for: nil)
    }

    /// Gives back a reservation whose model call never happened.
    ///
    /// - Parameter reservation: The reservation from ``reserveUsage(_:)``.
    public func releaseUsage(_ reservation: UsageReservation) {
        backend.releaseUsage(reservation)
    }

    /// What is left of every budget (the tighter of the run's and any shared budget's).
    ///
    /// A model adapter can use it to cap its request, or tell the model how many tool calls remain.
    public var remainingBudget: RemainingBudget { backend.remainingBudget }

    /// The time left before the run's deadline, on the orchestrator's clock; never negative.
    ///
    /// In a journaled run each read is journaled, and a resume or replay returns the journaled reading.
    public var timeRemaining: Duration { backend.timeRemaining }

    /// The time since the run started, on the orchestrator's clock.
    ///
    /// In a journaled run each read is journaled, and a resume or replay returns the journaled reading.
    public var elapsed: Duration { backend.elapsed }

    /// The outputs of the steps completed so far in this run, in order.
    public var completedStepOutputs: [JSONValue] { backend.completedStepOutputs }

    /// Reserves one hand-off of the conversation from `agent` to `target` under the run's `handoffs` limit
    /// (`StrictPolicy.maxHandoffs`), before `target` takes over; ``ModelAgent`` calls it for its
    /// `transfer_to_<name>` tools.
    ///
    /// - Parameters:
    ///   - agent: The agent handing off.
    ///   - target: The agent taking over.
    /// - Throws: `PolicyViolation` of `maxHandoffs` when the limit is spent (the run ends with it);
    ///   ``ToolError`` with code ``ToolError/Code/runEnded`` once the run has ended.
    public func reserveHandoff(from agent: String, to target: String) throws {
        try backend.reserveHandoff(from: agent, to: target)
    }

    /// Sleeps for `duration` on the orchestrator's clock (a `ManualClock` from AgentTesting in tests).
    ///
    /// In a resumed or replayed journaled run, a sleep the recorded run went past returns at once (the journal holds
    /// what came after it); only a sleep the journal ends in waits, on the live clock.
    ///
    /// - Parameter duration: How long to sleep.
    /// - Throws: ``ToolError`` with code ``ToolError/Code/runEnded`` if the run has ended or ends during the sleep
    ///   (for any reason); `CancellationError` if only the agent's own task is cancelled while the run goes on.
    public func sleep(for duration: Duration) async throws {
        try await backend.sleep(for: duration)
    }
}

/// What backs an ``AgentContext``; the orchestrator implements it per run.
///
/// Every throwing requirement throws ``ToolError`` with code ``ToolError/Code/runEnded`` once the run has ended.
package protocol AgentContextBackend: Sendable {
    /// Checks, reserves and runs a call of the tool `name`; backs ``AgentContext/callTool(_:arguments:)``.
    func callTool(_ name: String, arguments: JSONValue) async throws -> JSONValue
    /// ``callTool(_:arguments:)`` on the caller's isolation, passed explicitly; what
    /// ``AgentContext/callTool(_:arguments:)`` calls.
    ///
    /// A backend that binds a task-local around the tool's body (`TaskLocal.withValue`, whose `isolation:`
    /// parameter the compiler hops to on entry and back to after the body) passes `isolation` on: the hops to it
    /// are then the ones it already made, one executor switch fewer per call than from a caller-isolated function.
    /// The default calls ``callTool(_:arguments:)``, which runs on the same isolation.
    func callTool(_ name: String, arguments: JSONValue, isolation: isolated (any Actor)?) async throws -> JSONValue
    /// Reserves estimated usage; backs ``AgentContext/reserveUsage(_:)``.
    func reserveUsage(_ estimate: ModelUsage) throws -> UsageReservation
    /// Settles a reservation with the actual usage, or records unreserved usage when `reservation` is `nil`.
    func reportUsage(_ actual: ModelUsage, for reservation: UsageReservation?) throws
    /// Gives back a reservation whose model call never happened.
    func releaseUsage(_ reservation: UsageReservation)
    /// What is left of every budget.
    var remainingBudget: RemainingBudget { get }
    /// The time left before the run's deadline; never negative.
    var timeRemaining: Duration { get }
    /// The time since the run started.
    var elapsed: Duration { get }
    /// The outputs of the steps completed so far.
    var completedStepOutputs: [JSONValue] { get }
    /// Sleeps on the orchestrator's clock.
    func sleep(for duration: Duration) async throws
    /// Makes a governed model call; backs ``AgentContext/respond(using:to:retry:tokenCounter:)``.
    func respond(
        using model: any ChatModel,
        to request: ModelRequest,
        retry: RetryPolicy,
        tokenCounter: any TokenCounter
    ) async throws -> ModelResponse
    /// Checks and reserves a batch of tool calls before running the reserved ones; backs
    /// ``AgentContext/callTools(_:)``.
    func callTools(_ calls: [ModelToolCall]) async throws -> [ToolCallOutcome]
    /// The run's model transcript.
    var modelTranscript: [ModelMessage] { get }
    /// Appends to the run's model transcript.
    func appendToModelTranscript(_ messages: [ModelMessage])
    /// Reserves one hand-off; backs ``AgentContext/reserveHandoff(from:to:)``.
    func reserveHandoff(from agent: String, to target: String) throws
}

extension AgentContextBackend {
    /// Calls ``callTool(_:arguments:)``, which inherits `isolation`.
    package func callTool(
        _ name: String,
        arguments: JSONValue,
        isolation: isolated (any Actor)?
    ) async throws -> JSONValue {
        try await callTool(name, arguments: arguments)
    }
}
