import AgentAdapters
@_spi(Internals) import AgentPolicy

extension RunRuntime {
    /// How a journaled tool call's finish went.
    enum Finish {
        case result(Result<JSONValue, any Error>)
        case needsBody
        case ended
    }

    func journaledRefuse(_ tool: String, _ arguments: JSONValue, _ error: any Error) -> Int {
        let probe = RunJournalEntry(
            .toolCallRefused,
            at: .zero,
            fields: ["tool": .string(tool), "arguments": arguments]
        )
        return journaled(probe, ended: 0) { machine, time, fed, _ in
            let recorded = (try? fed?.decode(ErrorRecord.self, "error")) ?? ErrorRecord(error)
            let (count, effects) = machine.toolCallRefused(
                tool,
                arguments: arguments,
                error: JournaledError(errorRecord: recorded),
                at: time
            )
            return (count, effects, ["error": RunJournalEntry.encode(recorded)])
        }.0
    }

    /// ``callTool(_:arguments:)`` for a journaled run: the same checks and reservations, an intent entry stored
    /// durably before the body runs, results fed back from the journal instead of calling the tool again.
    func journaledCallTool(_ name: String, arguments: JSONValue) async throws -> JSONValue {
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
        } catch {
            _ = refuse(name, arguments, error)
            do {
                try budget.reserve(.refusedToolCalls, tool: name)
            } catch {
                terminate(.policyViolation(violation: error), violation: error)
                throw error
            }
            throw error
        }
        if tool.requiresApproval || policy.requiresApproval(toCall: name) {
            try awaitApproval(name, arguments: arguments)
        }
        let key = arguments.jsonText()
        do {
            try budget.reserveToolCall(name, argumentsKey: key)
        } catch {
            _ = refuse(name, arguments, error)
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        let probe = RunJournalEntry(
            .toolCallStarted,
            at: .zero,
            fields: ["tool": .string(name), "arguments": arguments]
        )
        let (started, entryPosition) = journaled(probe, durability: .immediate, ended: nil) { machine, time, _, _ in
            let (position, effects) = machine.toolCallStarted(name, arguments: arguments, argumentsKey: key, at: time)
            return (position, effects, [:])
        }
        guard let position = started, let entryPosition, let recorder else { throw runEnded(name) }
        let callID = "\(recorder.journal.id)#\(entryPosition)"
        var finish = finishToolCall(callID, name, at: position, live: nil)
        if case .needsBody = finish {
            // The intent is on the store before the body starts: a crash from here on resumes into this call again,
            // with the same idempotency key.
            await flushJournal()
            if isTerminated { throw runEnded(name) }
            let result: Result<JSONValue, any Error>
            do {
                let invocation = ToolInvocation(toolName: name, callID: callID, idempotencyKey: idempotencyKey(callID))
                {
                    [weak self] progress, total, message in
                    self?.journaledProgress(name, progress: progress, total: total, message: message)
                }
                result = .success(
                    try await ToolInvocation.$current.withValue(invocation) { try await tool.call(arguments) }
                )
            } catch {
                result = .failure(error)
            }
            finish = finishToolCall(callID, name, at: position, live: result)
        }
        guard case .result(let result) = finish else { throw runEnded(name) }
        if case .failure(let error) = result, ErrorRecord(error).isRetryable {
            budget.forgiveRepeat(name, argumentsKey: key)
        }
        return try result.get()
    }

    func finishToolCall(
        _ callID: String,
        _ name: String,
        at position: RunStateMachine.ToolCallPosition,
        live: Result<JSONValue, any Error>?
    ) -> Finish {
        let probe = RunJournalEntry(.toolCallFinished, at: .zero, fields: ["callID": .string(callID)])
        return journaled(probe, ended: .ended) { machine, time, fed, _ in
            let result: Result<JSONValue, any Error>
            if let fed {
                // Most calls succeed: look for the field before decoding (a failed decode builds an error text).
                if fed.fields["error"] != nil, let error = try? fed.decode(ErrorRecord.self, "error") {
                    result = .failure(JournaledError.rethrowable(error))
                } else {
                    result = .success(fed.fields["output"] ?? .null)
                }
            } else if let live {
                result = live
            } else {
                return (.needsBody, RunEffects(), nil)
            }
            let effects = machine.toolCallFinished(at: position, result: result, at: time)
            // A fed entry records nothing: its fields would be built only to be dropped.
            if fed != nil { return (.result(result), effects, nil) }
            var fields: EntryFields = ["tool": .string(name)]
            switch result {
            case .success(let output): fields["output"] = output
            case .failure(let error): fields["error"] = RunJournalEntry.encode(ErrorRecord(error))
            }
            return (.result(result), effects, fields)
        }.0
    }

    func journaledProgress(_ tool: String, progress: Double, total: Double?, message: String?) {
        let now = liveOffset
        let effects = state.withLock { machine -> RunEffects in
            guard !machine.isTerminated else { return RunEffects() }
            var fields: EntryFields = ["tool": .string(tool), "progress": .number(progress)]
            if let total { fields["total"] = .number(total) }
            if let message { fields["message"] = .string(message) }
            machine.journal.record(RunJournalEntry(.toolProgress, at: now, fields: fields))
            return machine.toolProgress(tool, progress: progress, total: total, message: message, at: now)
        }
        perform(effects)
    }

    /// Asks for approval of a call: pauses the run (journaled) unless the journal or this resume holds a decision;
    /// throws ``ToolError/Code/approvalDenied`` for a denial.
    func awaitApproval(_ name: String, arguments: JSONValue) throws {
        guard let recorder else { return }
        let argumentsHash = SHA256.hash(arguments.canonicalJSONBytes())
        let probe = RunJournalEntry(
            .approvalRequested,
            at: .zero,
            fields: ["tool": .string(name), "argumentsHash": .string(argumentsHash.description)]
        )
        let (requested, _) = journaled(probe, ended: ApprovalRequest?.none) { machine, _, fed, position in
            let request = ApprovalRequest(
                tool: name,
                arguments: arguments,
                argumentsHash: argumentsHash,
                policyHash: recorder.policyHash,
                callID: fed?.string("callID") ?? "\(recorder.journal.id)#\(position)"
            )
            machine.journal.pendingApproval = request
            return (
                request, RunEffects(),
                [
                    "arguments": arguments, "policyHash": .string(request.policyHash.description),
                    "callID": .string(request.callID),
                ]
            )
        }
        guard let request = requested else { throw runEnded(name) }
        let decisionProbe = RunJournalEntry(.approvalDecided, at: .zero, fields: ["callID": .string(request.callID)])
        let (decided, _) = journaled(decisionProbe, ended: (Bool, String?)?.none) { machine, _, fed, _ in
            if let fed {
                machine.journal.pendingApproval = nil
                return ((fed.bool("approved"), fed.string("reason")), RunEffects(), nil)
            }
            guard let decision = recorder.decision, decision.request == request else {
                return (nil, RunEffects(), nil)
            }
            machine.journal.pendingApproval = nil
            var fields: EntryFields = ["approved": .bool(decision.approved)]
            if let reason = decision.reason { fields["reason"] = .string(reason) }
            return ((decision.approved, decision.reason), RunEffects(), fields)
        }
        guard let (approved, reason) = decided else {
            if !isTerminated { terminate(.awaitingApproval(tool: name, callID: request.callID)) }
            throw runEnded(name)
        }
        if !approved {
            let denial = ToolError(
                code: .approvalDenied,
                tool: name,
                message: "a person denied the call of \"\(name)\" (\(request.callID)): \(reason ?? "no reason given")"
            )
            _ = refuse(name, arguments, denial)
            throw denial
        }
    }
}

extension RunRuntime {
    /// A journaled call's idempotency key: its call id (`<journal id>#<position>`) and the run's execution id, which
    /// the journal keeps, so the key is the same on every resume of the run and never shared with another run, even
    /// one in a journal of the same id (a journal deleted and started again, or the same id in another store).
    ///
    /// - Parameter callID: The call's id.
    /// - Returns: `<call id>@<execution id>`.
    func idempotencyKey(_ callID: String) -> String { "\(callID)@\(identity.executionID)" }
}
