public import AgentPolicy

extension AgentContext {
    /// Makes one governed call of `model`: refused if it cannot fit, reserved before it is made, recorded, settled
    /// from the reported usage, and retried on transient failures.
    ///
    /// Before the call:
    /// - the input is estimated (the model's own ``ChatModel/countInputTokens(of:)``, else `tokenCounter`); an input
    ///   that leaves no room in the model's context window throws ``ModelError`` with code
    ///   ``ModelError/Code/contextWindowExceeded``, naming the model and both numbers (the run goes on);
    /// - one `modelCalls` unit is reserved, and the output maximum is computed: the smallest of the policy's
    ///   per-call maximum, the request's and the model's own maximum, the output tokens left, the tokens left minus
    ///   the input, the output the cost left pays for after the input, and the context window minus the input
    ///   ("left" is the tighter of the run's and any shared budget's). Below one token the call is refused with a
    ///   `PolicyViolation` naming the binding limit, and the run stops; a request is never sent with a maximum of 0;
    /// - the input estimate, the maximum output and their cost (from ``ModelDescriptor/pricing``) are reserved.
    ///
    /// The request is sent with ``ModelOptions/maximumOutputTokens`` set to that maximum. Streamed deltas become
    /// `modelDelta` events of the run. The call is billed from the usage the provider reports, priced from the
    /// descriptor (never from the model's own figure); when the provider reports none, the reservation counts as
    /// used and the record says so. A failed call gives its usage reservation back but keeps its `modelCalls` unit
    /// (the provider was called). Transient ``ModelError``s are retried under `retry` (its delays, or the error's
    /// `retryAfter`, slept on the orchestrator's clock); each attempt is reserved and recorded with its number, and
    /// none counts as a loop.
    ///
    /// The call does not touch ``modelTranscript``: append the messages you want kept.
    ///
    /// - Parameters:
    ///   - model: The model to call.
    ///   - request: The request; its ``ModelOptions/maximumOutputTokens``, if set, is one more upper bound.
    ///   - retry: How transient failures are retried; `RetryPolicy.modelCalls` by default.
    ///   - tokenCounter: The estimate used when the model cannot count its input.
    /// - Returns: The model's response.
    /// - Throws: ``ModelError`` (context window, or the model's last error); `PolicyViolation` when the budget
    ///   refuses the call or its usage passes a limit (the run has then stopped); ``ToolError`` with code
    ///   ``ToolError/Code/runEnded`` once the run has ended (a run that ends during the call gives the reservation
    ///   back and records the call as cancelled); `CancellationError` when only the calling task is cancelled.
    public func respond(
        using model: some ChatModel,
        to request: ModelRequest,
        retry: RetryPolicy = .modelCalls,
        tokenCounter: any TokenCounter = ConservativeTokenCounter()
    ) async throws -> ModelResponse {
        try await backend.respond(using: model, to: request, retry: retry, tokenCounter: tokenCounter)
    }

    /// Runs the tool calls of one model response under the run's policy: every call is checked and reserved, in
    /// order, before any runs; the reserved ones run concurrently; the rest are refused without running.
    ///
    /// With 10 tool calls left and 20 asked, exactly the first 10 affordable calls run. What happens to the
    /// refused ones follows the policy's `StrictPolicy/toolBatchOverflow`: with
    /// `ToolBatchOverflow/tellModel` they come back as refused outcomes the model can read; with
    /// `ToolBatchOverflow/stopRun` the run stops with the first refusal's violation once the reserved calls have
    /// finished, and this method throws it. Unknown tools and invalid arguments are refused outcomes too (they
    /// count toward `maxRefusedToolCalls`, as with ``callTool(_:arguments:)``); tool errors are failed outcomes.
    ///
    /// - Parameter calls: The tool calls of one model response, in order.
    /// - Returns: One outcome per call, in the order of `calls`.
    /// - Throws: `PolicyViolation` when the run stops (`ToolBatchOverflow/stopRun`, or `maxRefusedToolCalls`
    ///   passed); ``ToolError`` with code ``ToolError/Code/runEnded`` once the run has ended; `CancellationError`
    ///   when only the calling task is cancelled.
    public func callTools(_ calls: [ModelToolCall]) async throws -> [ToolCallOutcome] {
        try await backend.callTools(calls)
    }

    /// The run's model transcript, oldest first: kept by the run (one per run, never in the agent value), and
    /// written to the report's `modelTranscript`.
    public var modelTranscript: [ModelMessage] { backend.modelTranscript }

    /// Appends messages to the run's model transcript; ignored once the run has ended.
    ///
    /// - Parameter messages: The messages, oldest first.
    public func appendToModelTranscript(_ messages: [ModelMessage]) {
        backend.appendToModelTranscript(messages)
    }
}

extension RetryPolicy {
    /// The default retry of a governed model call: three attempts in all, waiting 500 ms then 1 s (doubling, at
    /// most 8 s), or what the provider's `retry-after` says.
    public static let modelCalls = RetryPolicy.exponential(
        maxAttempts: 3,
        initialDelay: .milliseconds(500),
        maxDelay: .seconds(8)
    )
}

/// The model and batch requirements of ``AgentContextBackend``, with defaults that refuse, for backends that
/// serve tools only.
extension AgentContextBackend {
    /// Refuses: this backend runs no conversation that could be handed off.
    package func reserveHandoff(from agent: String, to target: String) throws {
        throw ToolError(
            code: .unknownTool,
            tool: "transfer_to_\(target)",
            message: "agent \"\(agent)\" cannot hand off here: this context runs no conversation"
        )
    }

    /// Refuses: this backend makes no model calls.
    package func respond(
        using model: any ChatModel,
        to request: ModelRequest,
        retry: RetryPolicy,
        tokenCounter: any TokenCounter
    ) async throws -> ModelResponse {
        throw ModelError(
            code: .invalidRequest,
            model: model.descriptor.name,
            message: "this context makes no model calls; run the agent through an Orchestrator"
        )
    }

    /// Calls the tools one by one through ``callTool(_:arguments:)``.
    package func callTools(_ calls: [ModelToolCall]) async throws -> [ToolCallOutcome] {
        var outcomes: [ToolCallOutcome] = []
        for call in calls {
            do {
                let output = try await callTool(call.name, arguments: call.arguments)
                outcomes.append(ToolCallOutcome(call: call, status: .succeeded, output: output))
            } catch {
                outcomes.append(ToolCallOutcome(call: call, status: .failed, error: ErrorRecord(error)))
            }
        }
        return outcomes
    }

    /// No transcript.
    package var modelTranscript: [ModelMessage] { [] }

    /// Keeps nothing.
    package func appendToModelTranscript(_ messages: [ModelMessage]) {}
}
