import AgentAdapters
@_spi(Internals) import AgentPolicy

/// What an agent's `AgentContext` asks of its run: tool calls, hand-offs, model usage, sleeps.
extension RunRuntime {
    func runEnded(_ tool: String) -> ToolError {
        ToolError(code: .runEnded, tool: tool, message: "the run has ended; no more tools run in it")
    }

    /// Throws ``ToolError/Code/runEnded`` once the run has ended, `CancellationError` if only the task was cancelled.
    func checkRunning(_ what: String) throws {
        if isTerminated { throw runEnded(what) }
        try Task.checkCancellation()
    }

    func refuse(_ tool: String, _ arguments: JSONValue, _ error: any Error) -> Int {
        if recorder != nil { return journaledRefuse(tool, arguments, error) }
        return update { $0.toolCallRefused(tool, arguments: arguments, error: error, at: $1) }
    }

    /// The registered tool `name`, once `arguments` pass its checks: nesting depth (checked without recursion first,
    /// since everything after, the schema, the loop-detection key and the report, walks the value), then its schema.
    ///
    /// - Throws: ``ToolError`` for an unknown tool or refused arguments.
    func checkedTool(_ name: String, arguments: JSONValue) throws -> RegisteredTool {
        let tool = try tools.tool(named: name)
        if arguments.nestingDepth() > JSONValue.maximumParsingDepth {
            throw ToolError(
                code: .invalidArguments,
                tool: name,
                field: "",
                message: "arguments for \"\(name)\" are nested more than \(JSONValue.maximumParsingDepth) levels deep"
            )
        }
        try tool.check(arguments)
        return tool
    }

    func callTool(_ name: String, arguments: JSONValue) async throws -> JSONValue {
        try await callTool(name, arguments: arguments, isolation: #isolation)
    }

    /// Checks, reserves and runs a call of the tool `name` on `isolation` (the agent code's, passed on by
    /// ``AgentContext/callTool(_:arguments:)``): the function hops to it on entry, and the task-local binding
    /// around the body, given the same isolation, makes no hop of its own but the one back after the body.
    func callTool(_ name: String, arguments: JSONValue, isolation: isolated (any Actor)?) async throws -> JSONValue {
        if recorder != nil { return try await journaledCallTool(name, arguments: arguments) }
        try checkRunning(name)
        do {
            try policy.checkPermission(toCall: name)
        } catch {
            _ = refuse(name, arguments, error)
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        let tool: RegisteredTool
        do {
            tool = try checkedTool(name, arguments: arguments)
            if tool.requiresApproval || policy.requiresApproval(toCall: name) {
                throw ToolError(
                    code: .approvalRequired,
                    tool: name,
                    message: "tool \"\(name)\" needs a person's approval before each call, and this run keeps no "
                        + "journal to pause in: run it with `run(_:task:policy:journal:metadata:sharedBudget:)`"
                )
            }
        } catch {
            _ = refuse(name, arguments, error)
            // Refusals are a ledger line like any other: beyond the limit (the run's or a shared one) the run stops.
            do {
                try budget.reserve(.refusedToolCalls, tool: name)
            } catch {
                terminate(.policyViolation(violation: error), violation: error)
                throw error
            }
            throw error
        }
        let key = arguments.jsonText()
        do {
            try budget.reserveToolCall(name, argumentsKey: key)
        } catch {
            _ = refuse(name, arguments, error)
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        guard let position = update({ $0.toolCallStarted(name, arguments: arguments, argumentsKey: key, at: $1) })
        else { throw runEnded(name) }
        let result: Result<JSONValue, any Error>
        do {
            // The tool may report progress through the task-local invocation; it becomes a run event.
            let target = progressTarget
            let invocation = ToolInvocation(toolName: name) { progress, total, message in
                target.runtime?.apply {
                    $0.toolProgress(name, progress: progress, total: total, message: message, at: $1)
                }
            }
            // The body is awaited directly and its error mapped here (as `RegisteredTool.call` would): one level,
            // and one executor hop, fewer per call.
            let body = tool.run
            result = .success(
                try await ToolInvocation.$current.withValue(
                    invocation,
                    operation: { try await body(arguments) },
                    isolation: isolation
                )
            )
        } catch {
            result = .failure(tool.failure(error))
        }
        // An identical call after a retryable failure is a retry, not a loop; after a success (or a failure that
        // will not go away) it is a repeat.
        if case .failure(let error as any RetryableError) = result, error.isRetryable {
            budget.forgiveRepeat(name, argumentsKey: key)
        }
        apply { $0.toolCallFinished(at: position, result: result, at: $1) }
        return try result.get()
    }

    func reserveHandoff(from agent: String, to target: String) throws {
        if isTerminated { throw runEnded("transfer_to_\(target)") }
        do {
            try budget.reserve(.handoffs)
        } catch {
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
    }

    func reserveUsage(_ estimate: ModelUsage) throws -> UsageReservation {
        if recorder != nil { return try journaledReserveUsage(estimate) }
        if isTerminated { throw runEnded("model") }
        let reservation: UsageReservation
        do {
            reservation = try budget.reserveUsage(estimate)
        } catch {
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        if isTerminated {
            budget.release(reservation)
            throw runEnded("model")
        }
        return reservation
    }

    func reportUsage(_ actual: ModelUsage, for reservation: UsageReservation?) throws {
        if recorder != nil { return try journaledReportUsage(actual, for: reservation) }
        var violation: PolicyViolation?
        do {
            if let reservation {
                try budget.settle(reservation, actual: actual)
            } else {
                try budget.recordUsage(actual)
            }
        } catch {
            violation = error
        }
        // After the run has ended the model call is still billed above (shared budgets must see it), but it adds
        // no record, event or violation.
        if isTerminated { throw runEnded("model") }
        apply { $0.usageReported(actual, at: $1) }
        if let violation {
            terminate(.policyViolation(violation: violation), violation: violation)
            throw violation
        }
    }

    func releaseUsage(_ reservation: UsageReservation) {
        budget.release(reservation)
        if recorder != nil { journaledReleaseUsage(reservation) }
    }

    var remainingBudget: RemainingBudget { budget.remaining }

    var timeRemaining: Duration {
        if recorder != nil { return journaledClockRead(.timeRemaining) }
        return max(.zero, deadline - time.now())
    }

    var elapsed: Duration {
        if recorder != nil { return journaledClockRead(.elapsed) }
        return time.now() - start
    }

    var completedStepOutputs: [JSONValue] { state.withLock { $0.completedStepOutputs } }

    func sleep(for duration: Duration) async throws {
        try checkRunning("sleep")
        // Resumed or replayed, a sleep the journal holds entries after (other than progress) has passed: the
        // recorded run went on, or ended, after it, and what came next is fed back. Only a sleep the journal ends
        // in waits, on the live clock.
        if let recorder, recorder.peek(apply: { applyFed($0) }) != nil { return }
        do {
            try await time.sleepUntil(time.now() + duration)
        } catch {
            if isTerminated { throw runEnded("sleep") }
            throw error
        }
    }

    /// Sleeps until the run's clock (active time since the run started, ``liveOffset``) reads `offset`; returns at
    /// once if it has already.
    func sleep(untilRunOffset offset: Nanoseconds) async throws {
        try checkRunning("sleep")
        do {
            try await time.sleepUntil(start + .nanoseconds(offset.rawValue))
        } catch {
            if isTerminated { throw runEnded("sleep") }
            throw error
        }
    }
}
