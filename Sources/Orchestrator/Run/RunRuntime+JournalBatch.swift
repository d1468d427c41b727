import AgentAdapters
import AgentPolicy

extension RunRuntime {
    /// ``callTools(_:)`` for a journaled run.
    ///
    /// 1. Every call is checked and reserved in order (refusals journaled), as a live batch does.
    /// 2. A call that needs approval is decided before any body runs: without a decision the run pauses there
    ///    (every reservation of the batch given back), a denial refuses that call only.
    /// 3. The intents of the admitted calls are journaled in order and stored (`.immediate`) before ANY body runs.
    /// 4. Results journaled by an earlier run are fed back by call id; the other bodies run concurrently (with the
    ///    same idempotency keys as their intents) and their results are journaled in call order, whatever order
    ///    the bodies finish in, so a resumed run's journal is the uninterrupted run's.
    func journaledCallTools(_ calls: [ModelToolCall]) async throws -> [ToolCallOutcome] {
        guard let recorder else { preconditionFailure("journaled batch without a journal") }
        let batchName = calls.first?.name ?? "tools"
        try checkRunning(batchName)
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
                for call in admitted { budget.refundToolCall(call.call.name, argumentsKey: call.key) }
                throw (error as? StopRun)?.violation ?? error
            }
        }
        var approved: [AdmittedCall] = []
        for (position, call) in admitted.enumerated() {
            guard call.tool.requiresApproval || policy.requiresApproval(toCall: call.call.name) else {
                approved.append(call)
                continue
            }
            do {
                try awaitApproval(call.call.name, arguments: call.call.arguments)
                approved.append(call)
            } catch let denial as ToolError where denial.code == .approvalDenied {
                budget.refundToolCall(call.call.name, argumentsKey: call.key)
                outcomes[call.index] = ToolCallOutcome(call: call.call, status: .refused, error: ErrorRecord(denial))
            } catch {
                // Paused (or ended): nothing of the batch has started; a paused run holds no reservation of it.
                for call in approved + admitted[position...] {
                    budget.refundToolCall(call.call.name, argumentsKey: call.key)
                }
                throw error
            }
        }
        var started: [(call: AdmittedCall, position: RunStateMachine.ToolCallPosition, id: String)] = []
        for (index, call) in approved.enumerated() {
            let (name, arguments) = (call.call.name, call.call.arguments)
            let probe = RunJournalEntry(
                .toolCallStarted,
                at: .zero,
                fields: ["tool": .string(name), "arguments": arguments]
            )
            let (position, entryPosition) = journaled(probe, durability: .immediate, ended: nil) {
                machine,
                time,
                _,
                _ in
                let (position, effects) = machine.toolCallStarted(
                    name,
                    arguments: arguments,
                    argumentsKey: call.key,
                    at: time
                )
                return (position, effects, [:])
            }
            guard let position, let entryPosition else {
                for call in approved[index...] { budget.refundToolCall(call.call.name, argumentsKey: call.key) }
                throw runEnded(batchName)
            }
            started.append((call, position, "\(recorder.journal.id)#\(entryPosition)"))
        }
        var results: [String: Result<JSONValue, any Error>] = [:]
        // Results journaled by an earlier run, by call id (in call order since results wait for earlier calls;
        // journals written before that hold them in finishing order, which feeding by id accepts as well).
        var pending = started
        while let next = recorder.peek(apply: { applyFed($0) }), next.kind == .toolCallFinished,
            let index = pending.firstIndex(where: { $0.id == next.string("callID") })
        {
            let call = pending.remove(at: index)
            let finish = finishToolCall(call.id, call.call.call.name, at: call.position, live: nil)
            guard case .result(let result) = finish else { throw runEnded(batchName) }
            results[call.id] = result
        }
        if let first = pending.first {
            // The journal ends here, or the run ended while the bodies ran (fed back, nothing runs).
            guard case .needsBody = finishToolCall(first.id, first.call.call.name, at: first.position, live: nil)
            else { throw runEnded(batchName) }
            // Every intent is on the store before any body starts.
            await flushJournal()
            if isTerminated { throw runEnded(batchName) }
            await withTaskGroup(of: (Int, Result<JSONValue, any Error>).self) { group in
                for (index, call) in pending.enumerated() {
                    group.addTask { (index, await self.journaledBody(call.call, id: call.id)) }
                }
                // Journaled in call order, not in the order the bodies finish: a result waits for the results of
                // the calls before it, so the journal (and its head hash) does not depend on scheduling. Every
                // intent is already stored, so a crash before a result is journaled only calls that tool again,
                // with the same idempotency key.
                var finished: [Result<JSONValue, any Error>?] = Array(repeating: nil, count: pending.count)
                var next = 0
                for await (index, result) in group {
                    finished[index] = result
                    while next < pending.count, let result = finished[next] {
                        let call = pending[next]
                        next += 1
                        if case .result(let recorded) = finishToolCall(
                            call.id,
                            call.call.call.name,
                            at: call.position,
                            live: result
                        ) {
                            results[call.id] = recorded
                        }
                    }
                }
            }
        }
        for call in started {
            guard let result = results[call.id] else { continue }
            if case .failure(let error) = result, ErrorRecord(error).isRetryable {
                budget.forgiveRepeat(call.call.call.name, argumentsKey: call.call.key)
            }
            switch result {
            case .success(let output):
                outcomes[call.call.index] = ToolCallOutcome(call: call.call.call, status: .succeeded, output: output)
            case .failure(let error):
                outcomes[call.call.index] = ToolCallOutcome(
                    call: call.call.call,
                    status: .failed,
                    error: ErrorRecord(error)
                )
            }
        }
        if let firstViolation, policy.toolBatchOverflow == .stopRun {
            terminate(.policyViolation(violation: firstViolation), violation: firstViolation)
            throw firstViolation
        }
        if isTerminated { throw runEnded(batchName) }
        return outcomes.enumerated().map { index, outcome in
            outcome ?? ToolCallOutcome(call: calls[index], status: .refused)
        }
    }

    /// Runs one body of a journaled batch with its call id and idempotency key; progress is journaled.
    private func journaledBody(_ call: AdmittedCall, id: String) async -> Result<JSONValue, any Error> {
        let name = call.call.name
        let invocation = ToolInvocation(toolName: name, callID: id, idempotencyKey: idempotencyKey(id)) {
            [weak self] progress, total, message in
            self?.journaledProgress(name, progress: progress, total: total, message: message)
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
