public import AgentPolicy

/// An agent driven by a ``ChatModel``: one governed model call per step, the tool calls it asks for run as a
/// governed batch, and a text answer (or a typed `Output`) ends the run.
///
/// ```swift
/// struct Ticket: Decodable { var title: String; var priority: Int }
/// let agent = ModelAgent(
///     name: "triage",
///     instructions: "File a ticket for the user's problem.",
///     model: model,
///     tools: try .named(["search_*"]),
///     output: Ticket.self
/// )
/// let report = await orchestrator.run(agent, task: "The app crashes on launch")
/// let ticket = try report.output(as: Ticket.self)
/// ```
///
/// The loop: the run's task becomes a user message of the run's transcript (``AgentContext/modelTranscript``);
/// each step asks the model once through ``AgentContext/respond(using:to:retry:tokenCounter:)`` (reserved,
/// recorded, retried under ``retry``), appends its answer, and, when the answer asks for tools, runs them through
/// ``AgentContext/callTools(_:)``, appends the results (refusals and errors included, readable by the model) and
/// returns a follow-up step for the next turn. The transcript is kept by the run, never in this value (one agent
/// serves many runs) and never in step inputs (a follow-up step's input is only its turn number).
///
/// A typed `Output` (anything `Decodable` but `String`) sends its JSON Schema, derived with
/// ``ToolSchema/init(deriving:)``, as the request's ``ModelRequest/responseSchema``. An answer that is not JSON,
/// violates the schema or does not decode goes back to the model with the problem, at most ``maxOutputRepairs``
/// times; then the run fails with ``ModelOutputError`` naming the type and the first problem. The step's output is
/// the answer's JSON, so the report's final output decodes back into `Output`. `ModelAgent<String>` (the initialiser without
/// `output:`) returns the answer's text.
///
/// Every limit of the run applies: steps (one per model turn), model calls, tokens, cost, tool calls (a batch
/// beyond the budget follows the policy's `StrictPolicy/toolBatchOverflow`), time.
///
/// **Hand-offs.** With ``handoffs``, the model is also offered one tool per target, `transfer_to_<name>` (as in the
/// OpenAI Agents SDK). When it calls one, the conversation goes on in the same run with that agent's instructions,
/// model and tools: same transcript, same ledger, same deadline. Each hand-off reserves one unit of the run's
/// `handoffs` limit (`StrictPolicy.maxHandoffs`, 5 by default) before the target takes over, so the (N+1)th ends
/// the run with a `maxHandoffs` violation and the target never runs. Other tool calls of the answer that hands off
/// are not run (the model reads why). Targets may hand off in turn, to their own targets or back. The turn steps
/// after a hand-off carry the active agent's name under `agent`, so `ExecutionReport.agentChain` lists the chain.
public struct ModelAgent<Output: Decodable>: Agent, HandoffTarget {
    /// The agent's name.
    public let name: String
    /// The system instructions sent with every request.
    public var instructions: String?
    /// The model.
    public let model: any ChatModel
    /// The tools the model may call.
    public var tools: ToolAccess
    /// How transient model failures are retried.
    public var retry: RetryPolicy
    /// The input estimate used when the model cannot count its input.
    public var tokenCounter: any TokenCounter
    /// How many times an answer that does not fit `Output` is sent back before the run fails; 2 by default.
    public var maxOutputRepairs: Int
    /// Generation options sent with every request (the governed call sets the maximum output tokens).
    public var options: ModelOptions
    /// The agents the model may hand the conversation to, each offered as a `transfer_to_<name>` tool.
    public var handoffs: [any HandoffTarget] = []
    /// What the `transfer_to_<name>` tool of another agent says about this one; a generic sentence when `nil`.
    public var handoffDescription: String?
    private let schema: Result<ToolSchema, SchemaDerivationError>?

    /// Creates an agent with a typed output.
    ///
    /// - Parameters:
    ///   - name: The agent's name.
    ///   - instructions: The system instructions.
    ///   - model: The model.
    ///   - tools: The tools the model may call; all by default.
    ///   - output: The output type; its schema is derived once, here.
    ///   - retry: How transient model failures are retried.
    ///   - tokenCounter: The input estimate when the model cannot count.
    ///   - maxOutputRepairs: How many times a non-conforming answer is sent back.
    ///   - options: Generation options.
    ///   - handoffs: The agents the model may hand the conversation to.
    ///   - handoffDescription: What other agents' `transfer_to_<name>` tool says about this one.
    public init(
        name: String,
        instructions: String? = nil,
        model: some ChatModel,
        tools: ToolAccess = .all,
        output: Output.Type,
        retry: RetryPolicy = .modelCalls,
        tokenCounter: any TokenCounter = ConservativeTokenCounter(),
        maxOutputRepairs: Int = 2,
        options: ModelOptions = ModelOptions(),
        handoffs: [any HandoffTarget] = [],
        handoffDescription: String? = nil
    ) {
        self.name = name
        self.handoffs = handoffs
        self.handoffDescription = handoffDescription
        self.instructions = instructions
        self.model = model
        self.tools = tools
        self.retry = retry
        self.tokenCounter = tokenCounter
        self.maxOutputRepairs = max(0, maxOutputRepairs)
        self.options = options
        if Output.self == String.self {
            schema = nil
        } else {
            do throws(SchemaDerivationError) {
                schema = .success(try ToolSchema(deriving: Output.self))
            } catch {
                schema = .failure(error)
            }
        }
    }

    /// The label of the follow-up steps the loop adds, one per model turn after the first.
    public static var turnLabel: String { "model turn" }

    /// Runs one model turn.
    ///
    /// - Parameters:
    ///   - step: The task (first step, or a revision's plan) or a follow-up turn.
    ///   - context: The run's governed context.
    /// - Returns: The answer (text, or `Output`'s JSON), or a tool summary with a follow-up step.
    /// - Throws: ``ModelOutputError`` after the last repair; the context's errors (`PolicyViolation`,
    ///   ``ModelError``, ``ToolError``).
    public func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        if step.label == Self.turnLabel, case .string(let active)? = step.input["agent"], active != name {
            guard let target = handoffTarget(named: active) else {
                throw ToolError(
                    code: .unknownTool,
                    tool: Self.transferPrefix + active,
                    message: "agent \"\(name)\" cannot reach agent \"\(active)\" through its hand-offs; the run's "
                        + "steps name an agent this one does not hand off to"
                )
            }
            return try await target.execute(step, context: context)
        }
        let turn = step.label == Self.turnLabel ? step.input["turn"]?.integerValue ?? 1 : 0
        var repairs = step.label == Self.turnLabel ? step.input["repairs"]?.integerValue ?? 0 : 0
        if step.label != Self.turnLabel {
            let text: String
            if case .string(let task) = step.input { text = task } else { text = step.input.jsonText() }
            context.appendToModelTranscript([.user(text)])
        }
        let schema = try self.schema.map { result throws(ModelOutputError) in
            switch result {
            case .success(let schema): return schema
            case .failure(let error):
                throw ModelOutputError(
                    code: .underivableOutput,
                    type: error.type,
                    field: "",
                    attempts: 0,
                    message: "the output type's schema cannot be derived: \(error.message)"
                )
            }
        }
        // `.all` hands the context's own array over (no per-turn copy). The request is a temporary: once the call
        // returns nothing here shares the run's transcript, so the appends below need not copy it (a model that
        // keeps its requests, as ScriptedModel does, still shares it).
        var offered: [ToolDescription]
        if case .all = tools {
            offered = context.tools
        } else {
            offered = context.tools.filter { tools.allows($0.name) }
        }
        if !handoffs.isEmpty { offered += handoffTools }
        let response = try await context.respond(
            using: model,
            to: ModelRequest(
                instructions: instructions,
                messages: context.modelTranscript,
                tools: offered,
                responseSchema: schema,
                options: options
            ),
            retry: retry,
            tokenCounter: tokenCounter
        )
        context.appendToModelTranscript([.assistant(response.text, toolCalls: response.toolCalls)])
        if let transfer = response.toolCalls.first(where: { handoffTarget(forTool: $0.name) != nil }),
            let target = handoffTarget(forTool: transfer.name)
        {
            // Reserved before the target runs: the (N+1)th hand-off ends the run here.
            try context.reserveHandoff(from: name, to: target.name)
            context.appendToModelTranscript(
                response.toolCalls.map { call in
                    call.id == transfer.id
                        ? .toolResult(
                            for: call.id,
                            content: JSONValue.object(["assistant": .string(target.name)]).jsonText()
                        )
                        : .toolResult(
                            for: call.id,
                            content: JSONValue.object([
                                "error": .string("not run: the conversation was handed to \(target.name)")
                            ]).jsonText(),
                            isError: true
                        )
                }
            )
            return StepResult(
                output: ["handoff": .string(target.name)],
                followUpSteps: [
                    AgentStep(
                        ["turn": .integer(turn + 1), "repairs": 0, "agent": .string(target.name)],
                        label: Self.turnLabel
                    )
                ]
            )
        }
        if !response.toolCalls.isEmpty {
            let outcomes = try await callTools(response.toolCalls, context: context)
            context.appendToModelTranscript(outcomes.map(\.resultMessage))
            let ran = outcomes.count { $0.status != .refused }
            return StepResult(
                output: ["toolCalls": .integer(Int64(outcomes.count)), "ran": .integer(Int64(ran))],
                followUpSteps: [next(turn + 1, repairs: repairs, step: step)]
            )
        }
        guard let schema else { return StepResult(output: .string(response.text)) }
        switch check(response.text, against: schema) {
        case .success(let value):
            return StepResult(output: value)
        case .failure(let problem):
            guard repairs < Int64(maxOutputRepairs) else {
                throw ModelOutputError(
                    code: .invalidOutput,
                    type: typeName(Output.self),
                    field: problem.field,
                    attempts: Int(repairs) + 1,
                    message: "the model's answer does not fit \(typeName(Output.self)) after \(repairs) "
                        + "repair(s): \(problem.summary); make the instructions clearer or raise maxOutputRepairs"
                )
            }
            repairs += 1
            context.appendToModelTranscript([
                .user(
                    "Your answer does not fit the required output (\(typeName(Output.self))): \(problem.summary). "
                        + "Answer again with only a JSON value that satisfies the response schema."
                )
            ])
            return StepResult(
                output: ["repair": .integer(repairs)],
                followUpSteps: [next(turn + 1, repairs: repairs, step: step)]
            )
        }
    }

    /// The next turn; after a hand-off it keeps naming the active agent.
    private func next(_ turn: Int64, repairs: Int64, step: AgentStep) -> AgentStep {
        var input: [String: JSONValue] = ["turn": .integer(turn), "repairs": .integer(repairs)]
        if step.label == Self.turnLabel, step.input["agent"] != nil { input["agent"] = .string(name) }
        return AgentStep(.object(input), label: Self.turnLabel)
    }

    /// The prefix of every hand-off tool's name.
    public static var transferPrefix: String { "transfer_to_" }

    /// The hand-off tools offered to the model, one per target.
    private var handoffTools: [ToolDescription] {
        handoffs.map { target in
            ToolDescription(
                name: Self.transferPrefix + target.name,
                description: target.handoffDescription
                    ?? "Hand the conversation to agent \"\(target.name)\", which continues it from here.",
                parameters: ToolSchema(kind: .object)
            )
        }
    }

    /// The direct target a `transfer_to_<name>` tool call names, if any.
    private func handoffTarget(forTool tool: String) -> (any HandoffTarget)? {
        guard tool.hasPrefix(Self.transferPrefix) else { return nil }
        let target = tool.dropFirst(Self.transferPrefix.count)
        return handoffs.first { $0.name == target }
    }

    /// The agent named `name` among this agent's targets and theirs, breadth first.
    private func handoffTarget(named target: String) -> (any HandoffTarget)? {
        var queue = handoffs[...]
        var seen: Set<String> = [name]
        while let next = queue.popFirst() {
            if next.name == target { return next }
            if seen.insert(next.name).inserted { queue += next.handoffs }
        }
        return nil
    }

    /// Runs the calls the agent may make as one governed batch; the others are refused here, as unknown tools.
    private func callTools(_ calls: [ModelToolCall], context: AgentContext) async throws -> [ToolCallOutcome] {
        guard tools != .all else { return try await context.callTools(calls) }
        let allowed = calls.filter { tools.allows($0.name) }
        var ran = try await context.callTools(allowed)[...]
        return calls.map { call in
            guard tools.allows(call.name) else {
                let error = ToolError(
                    code: .unknownTool,
                    tool: call.name,
                    message: "agent \"\(name)\" may not call tool \"\(call.name)\"; use one of the tools offered"
                )
                return ToolCallOutcome(call: call, status: .refused, error: ErrorRecord(error))
            }
            return ran.popFirst() ?? ToolCallOutcome(call: call, status: .refused)
        }
    }

    /// A problem with an answer: where, and what.
    struct OutputProblem: Error {
        var field: String
        var reason: String
        var summary: String { field.isEmpty ? reason : "field \"\(field)\": \(reason)" }
    }

    /// Parses, validates and decodes an answer; the JSON value when it fits.
    private func check(_ text: String, against schema: ToolSchema) -> Result<JSONValue, OutputProblem> {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Self.unfenced(text))
        } catch {
            return .failure(OutputProblem(field: "", reason: "the answer is not JSON (\(error))"))
        }
        if let violation = schema.validate(value) {
            return .failure(OutputProblem(field: violation.path, reason: violation.message))
        }
        do {
            _ = try JSONValueDecoder().decode(Output.self, from: value)
        } catch {
            let problem = CodingProblem(error)
            return .failure(OutputProblem(field: problem.field, reason: problem.reason))
        }
        return .success(value)
    }

    /// The text inside a Markdown code fence, if the whole answer is one; else the text.
    static func unfenced(_ text: String) -> String {
        var body = Substring(text).trimmingPrefix(while: \.isWhitespace)
        while let last = body.last, last.isWhitespace { body.removeLast() }
        guard body.hasPrefix("```"), body.hasSuffix("```"), body.count >= 6 else { return String(body) }
        body = body.dropFirst(3).dropLast(3)
        if let newline = body.firstIndex(of: "\n") { body = body[body.index(after: newline)...] }
        return String(body)
    }
}

extension ModelAgent where Output == String {
    /// Creates an agent whose output is the model's text answer.
    ///
    /// - Parameters:
    ///   - name: The agent's name.
    ///   - instructions: The system instructions.
    ///   - model: The model.
    ///   - tools: The tools the model may call; all by default.
    ///   - retry: How transient model failures are retried.
    ///   - tokenCounter: The input estimate when the model cannot count.
    ///   - options: Generation options.
    ///   - handoffs: The agents the model may hand the conversation to.
    ///   - handoffDescription: What other agents' `transfer_to_<name>` tool says about this one.
    public init(
        name: String,
        instructions: String? = nil,
        model: some ChatModel,
        tools: ToolAccess = .all,
        retry: RetryPolicy = .modelCalls,
        tokenCounter: any TokenCounter = ConservativeTokenCounter(),
        options: ModelOptions = ModelOptions(),
        handoffs: [any HandoffTarget] = [],
        handoffDescription: String? = nil
    ) {
        self.init(
            name: name,
            instructions: instructions,
            model: model,
            tools: tools,
            output: String.self,
            retry: retry,
            tokenCounter: tokenCounter,
            options: options,
            handoffs: handoffs,
            handoffDescription: handoffDescription
        )
    }
}
