import AgentAdapters
import AgentPolicy

extension RunRuntime {
    /// A call of a batch that passed every check and holds its reservation.
    struct AdmittedCall: Sendable {
        var index: Int
        var tool: RegisteredTool
        var call: ModelToolCall
        var key: String
    }

    /// Checks and reserves every call of a model response, in order, before any runs; runs the reserved ones
    /// concurrently; refuses the rest without running them (see ``AgentContext/callTools(_:)``).
    func callTools(_ calls: [ModelToolCall]) async throws -> [ToolCallOutcome] {
        if recorder != nil { return try await journaledCallTools(calls) }
        try checkRunning(calls.first?.name ?? "tools")
        var outcomes: [ToolCallOutcome?] = Array(repeating: nil, count: calls.count)
        var admitted: [AdmittedCall] = []
        var firstViolation: PolicyViolation?
        for (index, call) in calls.enumerated() {
            do {
                admitted.append(try admit(call, at: index))
            } catch let violation as PolicyViolation {
                firstViolation = firstViolation ?? violation
                outcomes[index] = ToolCallOutcome(call: call, status: .refused, error: ErrorRecord(violation))
            } catch let refusal as RefusedCall {
                outcomes[index] = ToolCallOutcome(call: call, status: .refused, error: ErrorRecord(refusal.error))
            } catch {
                // Too many refusals: the run has stopped; nothing admitted has started, so give it all back.
                for call in admitted { budget.refundToolCall(call.call.name, argumentsKey: call.key) }
                throw (error as? StopRun)?.violation ?? error
            }
        }
        var started: [(AdmittedCall, RunStateMachine.ToolCallPosition)] = []
        for call in admitted {
            let position = update {
                $0.toolCallStarted(call.call.name, arguments: call.call.arguments, argumentsKey: call.key, at: $1)
            }
            if let position { started.append((call, position)) }
        }
        if isTerminated { throw runEnded(calls.first?.name ?? "tools") }
        for (index, result) in await runBodies(started.map(\.0)) {
            let (call, position) = started[index]
            if case .failure(let error as any RetryableError) = result, error.isRetryable {
                budget.forgiveRepeat(call.call.name, argumentsKey: call.key)
            }
            apply { $0.toolCallFinished(at: position, result: result, at: $1) }
            switch result {
            case .success(let output):
                outcomes[call.index] = ToolCallOutcome(call: call.call, status: .succeeded, output: output)
            case .failure(let error):
                outcomes[call.index] = ToolCallOutcome(call: call.call, status: .failed, error: ErrorRecord(error))
            }
        }
        if let firstViolation, policy.toolBatchOverflow == .stopRun {
            terminate(.policyViolation(violation: firstViolation), violation: firstViolation)
            throw firstViolation
        }
        if isTerminated { throw runEnded(calls.first?.name ?? "tools") }
        return outcomes.enumerated().map { index, outcome in
            outcome ?? ToolCallOutcome(call: calls[index], status: .refused)
        }
    }

    /// A call refused for an unknown tool or invalid arguments: the model is told; the run goes on.
    struct RefusedCall: Error {
        var error: any Error
    }

    /// Checks one call and reserves it; throws a `PolicyViolation` (policy or budget refusal), a ``RefusedCall``
    /// (unknown tool, invalid arguments), or the violation of `maxRefusedToolCalls` after stopping the run.
    func admit(_ call: ModelToolCall, at index: Int) throws -> AdmittedCall {
        let name = call.name
        let arguments = call.arguments
        do {
            try policy.checkPermission(toCall: name)
        } catch {
            _ = refuse(name, arguments, error)
            throw error
        }
        let tool: RegisteredTool
        do {
            tool = try checkedTool(name, arguments: arguments)
        } catch {
            _ = refuse(name, arguments, error)
            do {
                try budget.reserve(.refusedToolCalls, tool: name)
            } catch {
                terminate(.policyViolation(violation: error), violation: error)
                throw StopRun(violation: error)
            }
            throw RefusedCall(error: error)
        }
        let key = arguments.jsonText()
        do {
            try budget.reserveToolCall(name, argumentsKey: key)
        } catch {
            _ = refuse(name, arguments, error)
            throw error
        }
        return AdmittedCall(index: index, tool: tool, call: call, key: key)
    }

    /// The run stopped on a refusal limit: rethrown to the agent as the violation.
    struct StopRun: Error {
        var violation: PolicyViolation
    }

    /// Runs the bodies, concurrently when there are several; results by position in `calls`.
    private func runBodies(_ calls: [AdmittedCall]) async -> [(Int, Result<JSONValue, any Error>)] {
        if calls.count == 1 { return [(0, await body(calls[0]))] }
        return await withTaskGroup(of: (Int, Result<JSONValue, any Error>).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { (index, await self.body(call)) }
            }
            var results: [(Int, Result<JSONValue, any Error>)] = []
            results.reserveCapacity(calls.count)
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }
        }
    }

    /// Runs one body with the task-local ``ToolInvocation`` set, as ``callTool(_:arguments:)`` does, so the tool's
    /// progress reports become run events.
    private func body(_ call: AdmittedCall) async -> Result<JSONValue, any Error> {
        let name = call.call.name
        let target = progressTarget
        let invocation = ToolInvocation(toolName: name) { progress, total, message in
            target.runtime?.apply {
                $0.toolProgress(name, progress: progress, total: total, message: message, at: $1)
            }
        }
        do {
            return .success(
                try await ToolInvocation.$current.withValue(invocation) {
                    try await call.tool.call(call.call.arguments)
                }
            )
        } catch {
            return .failure(error)
        }
    }
}
