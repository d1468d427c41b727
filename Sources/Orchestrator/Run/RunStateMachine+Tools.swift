package import AgentAdapters
package import AgentPolicy

extension RunStateMachine {
    /// Records a tool call refused before it ran (unknown tool, invalid arguments, the policy or the budget said
    /// no), and emits the refusal.
    ///
    /// - Returns: The refusals so far in this run, and the effects.
    package mutating func toolCallRefused(
        _ tool: String,
        arguments: JSONValue,
        error: any Error,
        at time: Nanoseconds
    ) -> (Int, RunEffects) {
        guard !isTerminated else { return (refusedToolCalls, RunEffects()) }
        _ = appendToolCall(
            ToolCallRecord(
                tool: tool,
                arguments: arguments,
                status: .refused,
                output: nil,
                error: ErrorRecord(error),
                startNanoseconds: time,
                endNanoseconds: time
            )
        )
        countRefusal()
        emit(.toolCallRefused(tool: tool, reason: String(describing: error)), at: time)
        return (refusedToolCalls, effects())
    }

    /// A reserved tool call's body is about to start.
    ///
    /// - Returns: Where its record is, or `nil` if the run has ended (the effects then refund the reservation).
    package mutating func toolCallStarted(
        _ tool: String,
        arguments: JSONValue,
        argumentsKey: String,
        at time: Nanoseconds
    ) -> (ToolCallPosition?, RunEffects) {
        guard !isTerminated else {
            return (nil, RunEffects(refunds: [.toolCall(tool: tool, argumentsKey: argumentsKey)]))
        }
        let position = appendToolCall(
            ToolCallRecord(
                tool: tool,
                arguments: arguments,
                status: .interrupted,
                output: nil,
                error: nil,
                startNanoseconds: time,
                endNanoseconds: time
            )
        )
        countToolBody()
        emit(.toolCallStarted(tool: tool, arguments: arguments), at: time)
        return (position, effects())
    }

    /// A tool's body returned or threw; ignored once the run has ended (the record stays interrupted).
    package mutating func toolCallFinished(
        at position: ToolCallPosition,
        result: Result<JSONValue, any Error>,
        at time: Nanoseconds
    ) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        // The tool's name and the status, not a copy of the whole record (arguments, output, error).
        var finished: (tool: String, status: ToolCallStatus)?
        updateToolCall(at: position) { call in
            call.endNanoseconds = time
            switch result {
            case .success(let output):
                call.status = .succeeded
                call.output = output
            case .failure(let error):
                call.status = error is CancellationError ? .interrupted : .failed
                call.error = ErrorRecord(error)
            }
            finished = (call.tool, call.status)
        }
        guard let finished else { return effects() }
        if finished.status == .failed { countFailure() }
        emit(.toolCallFinished(tool: finished.tool, status: finished.status), at: time)
        return effects()
    }

    /// A running tool reported progress; ignored once the run has ended.
    package mutating func toolProgress(
        _ tool: String,
        progress: Double,
        total: Double?,
        message: String?,
        at time: Nanoseconds
    ) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        emit(.toolProgress(tool: tool, progress: progress, total: total, message: message), at: time)
        return effects()
    }

    /// Model usage was reported; recorded unless the run has ended.
    package mutating func usageReported(_ actual: ModelUsage, at time: Nanoseconds) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        addUsage(actual)
        emit(.usageRecorded(actual), at: time)
        return effects()
    }
}
