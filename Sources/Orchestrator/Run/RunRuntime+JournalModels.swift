import AgentAdapters
import AgentPolicy

extension RunRuntime {
    /// How a journaled model call's attempt ended.
    private enum ModelFinish {
        case result(Result<ModelResponse, any Error>, usage: ModelUsage, estimated: Bool, fed: Bool)
        case needsCall
        case ended
    }

    /// ``respond(using:to:retry:tokenCounter:)`` for a journaled run: the same checks, reservations and retries,
    /// each journaled; a journaled response (or error) is fed back and the model is not called again. An attempt
    /// journaled as started but not finished is made again.
    ///
    /// Streamed deltas are not journaled: the response carries the text, and a resumed or replayed call emits no
    /// delta events (the report holds none).
    func journaledRespond(
        using model: any ChatModel,
        to request: ModelRequest,
        retry: RetryPolicy,
        tokenCounter: any TokenCounter
    ) async throws -> ModelResponse {
        guard let recorder else { preconditionFailure("journaled model call without a journal") }
        let descriptor = model.descriptor
        let name = descriptor.name
        try checkRunning(name)
        let requestHash = SHA256.hash(RunJournalEntry.encode(request).canonicalJSONBytes()).description
        // The model is asked to count only when the journal holds no count to feed back.
        let counted: Int64? = recorder.isFeeding ? nil : ((try? await model.countInputTokens(of: request)) ?? nil)
        let estimate = max(1, counted ?? tokenCounter.inputTokens(of: request))
        let requested = RunJournalEntry(
            .modelCallRequested,
            at: .zero,
            fields: ["model": .string(name), "requestHash": .string(requestHash)]
        )
        let (fedInput, _) = journaled(requested, ended: Int64?.none) { _, _, fed, _ in
            (fed?.integer("input") ?? estimate, RunEffects(), ["input": .integer(estimate)])
        }
        guard let input = fedInput else { throw runEnded(name) }
        let attempts = max(1, retry.maxAttempts)
        var attempt = 1
        while true {
            try checkRunning(name)
            if input >= descriptor.contextWindowTokens {
                let error = ModelError(
                    code: .contextWindowExceeded,
                    model: name,
                    message: "the request's estimated input of \(input) tokens does not fit the context window of "
                        + "\(descriptor.contextWindowTokens) tokens of model \"\(name)\" (with room for output); "
                        + "shorten the transcript or use a model with a larger window"
                )
                journaledModelCallRefused(name, attempt, error)
                throw error
            }
            let (allowance, reservation) = try reserveJournaledModelCall(descriptor, request, input, attempt)
            let startProbe = RunJournalEntry(
                .modelCallStarted,
                at: .zero,
                fields: ["model": .string(name), "attempt": .integer(Int64(attempt))]
            )
            let (started, _) = journaled(startProbe, ended: RunStateMachine.ModelCallPosition?.none) {
                machine,
                time,
                _,
                _ in
                let (position, effects) = machine.modelCallStarted(
                    model: name,
                    attempt: attempt,
                    maximumOutputTokens: allowance,
                    reservation: reservation,
                    at: time
                )
                return (
                    position, effects,
                    [
                        "maximumOutputTokens": .integer(allowance),
                        "reserved": RunJournalEntry.encode(reservation.estimate),
                        "requestHash": .string(requestHash),
                    ]
                )
            }
            guard let position = started else {
                budget.refund(.modelCalls)
                budget.release(reservation)
                throw runEnded(name)
            }
            var finish = finishModelCall(name, attempt, descriptor, reservation, at: position, live: nil)
            if case .needsCall = finish {
                var sent = request
                sent.options.maximumOutputTokens = allowance
                let result: Result<ModelResponse, any Error>
                do {
                    let sink = ModelDeltaSink { [self] delta in apply { $0.modelDeltaReceived(delta, at: $1) } }
                    result = .success(try await model.respond(to: sent, streamingInto: sink))
                } catch {
                    result = .failure(error)
                }
                finish = finishModelCall(name, attempt, descriptor, reservation, at: position, live: result)
            }
            guard case .result(let result, let used, _, _) = finish else { throw runEnded(name) }
            switch result {
            case .success(let response):
                var violation: PolicyViolation?
                do { try budget.settle(reservation, actual: used) } catch { violation = error }
                if let violation {
                    terminate(.policyViolation(violation: violation), violation: violation)
                    throw violation
                }
                if isTerminated { throw runEnded(name) }
                return response
            case .failure(let error):
                budget.release(reservation)
                if isTerminated { throw runEnded(name) }
                let record = ErrorRecord(error)
                guard !(error is CancellationError), attempt < attempts, record.isRetryable else { throw error }
                let delay =
                    record.retryAfterNanoseconds.map { Duration.nanoseconds($0.rawValue) }
                    ?? retry.delay(afterAttempt: attempt, key: name)
                let retrying = RunJournalEntry(
                    .modelCallRetrying,
                    at: .zero,
                    fields: ["model": .string(name), "failedAttempt": .integer(Int64(attempt))]
                )
                let failed = attempt
                let (due, _) = journaled(retrying, ended: Nanoseconds?.none) { machine, time, fed, _ in
                    let journaledDelay = fed?.integer("delay").map { Nanoseconds(rawValue: $0) } ?? Nanoseconds(delay)
                    let effects = machine.modelCallRetrying(
                        model: name,
                        failedAttempt: failed,
                        delay: journaledDelay,
                        at: time
                    )
                    // When the wait ends, on the run's active-time clock (journals before the field: at + delay).
                    let due = Nanoseconds(rawValue: fed?.integer("due") ?? time.rawValue + journaledDelay.rawValue)
                    return (
                        due, effects,
                        ["delay": .integer(Nanoseconds(delay).rawValue), "due": .integer(due.rawValue)]
                    )
                }
                guard let due else { throw runEnded(name) }
                // A wait the journal holds entries after (other than progress) has passed; one the journal ends in
                // (a crash while waiting) waits only what remains of it on the run's clock, which continues from
                // the journal's latest reading.
                if !recorder.isReplay, recorder.peek(apply: { applyFed($0) }) == nil {
                    try await sleep(untilRunOffset: due)
                }
                attempt += 1
            }
        }
    }

    /// Reserves an attempt: the journaled allowance and reservation when the journal holds the attempt's start,
    /// else as a live call does. Returns the maximum output tokens and the reservation.
    private func reserveJournaledModelCall(
        _ descriptor: ModelDescriptor,
        _ request: ModelRequest,
        _ input: Int64,
        _ attempt: Int
    ) throws -> (Int64, UsageReservation) {
        guard let recorder, let next = recorder.peek(apply: { applyFed($0) }), next.kind == .modelCallStarted,
            next.string("model") == descriptor.name, next.integer("attempt") == Int64(attempt),
            let allowance = next.integer("maximumOutputTokens"),
            let estimate = try? next.decode(ModelUsage.self, "reserved")
        else {
            let (allowance, reservation) = try reserveModelCall(descriptor, request: request, input: input, attempt)
            return (allowance.maximumOutputTokens, reservation)
        }
        do {
            try budget.reserve(.modelCalls)
            do {
                return (allowance, try budget.reserveUsage(estimate))
            } catch {
                budget.refund(.modelCalls)
                throw error
            }
        } catch {
            // The run's own ledger is rebuilt in journal order, so only a shared budget can refuse here.
            fail(
                DurableRunError(
                    code: .sharedBudgetExceeded,
                    journal: recorder.journal.id,
                    message: "the shared budget cannot take the journaled model call to \"\(descriptor.name)\" "
                        + "(\(error)): resume with a shared budget that has room for the run's consumption"
                )
            )
            throw runEnded(descriptor.name)
        }
    }

    private func finishModelCall(
        _ name: String,
        _ attempt: Int,
        _ descriptor: ModelDescriptor,
        _ reservation: UsageReservation,
        at position: RunStateMachine.ModelCallPosition,
        live: Result<ModelResponse, any Error>?
    ) -> ModelFinish {
        let probe = RunJournalEntry(
            .modelCallFinished,
            at: .zero,
            fields: ["model": .string(name), "attempt": .integer(Int64(attempt))]
        )
        return journaled(probe, ended: ModelFinish.ended) { machine, time, fed, _ in
            let result: Result<ModelResponse, any Error>
            var used = ModelUsage.zero
            var estimated = false
            if let fed {
                if let response = try? fed.decode(ModelResponse.self, "response") {
                    result = .success(response)
                    used = (try? fed.decode(ModelUsage.self, "usage")) ?? .zero
                    estimated = fed.bool("estimated")
                } else if let error = try? fed.decode(ModelError.self, "modelError") {
                    result = .failure(error)
                } else {
                    let record = (try? fed.decode(ErrorRecord.self, "error")) ?? ErrorRecord(type: "", message: "")
                    result = .failure(JournaledError.rethrowable(record))
                }
            } else if let live {
                result = live
                if case .success(let response) = live {
                    (used, estimated) = Self.billing(response, of: descriptor, reservation: reservation)
                }
            } else {
                return (.needsCall, RunEffects(), nil)
            }
            var fields: EntryFields = [:]
            let outcome: RunStateMachine.ModelCallOutcome
            switch result {
            case .success(let response):
                outcome = .succeeded(
                    finishReason: response.finishReason,
                    requestedTools: response.toolCalls.map(\.name),
                    usage: used,
                    estimated: estimated
                )
                fields["response"] = RunJournalEntry.encode(response)
                fields["usage"] = RunJournalEntry.encode(used)
                fields["estimated"] = .bool(estimated)
            case .failure(let error):
                let record = ErrorRecord(error)
                outcome = error is CancellationError ? .cancelled(record) : .failed(record)
                fields["error"] = RunJournalEntry.encode(record)
                if let modelError = error as? ModelError { fields["modelError"] = RunJournalEntry.encode(modelError) }
            }
            let effects = machine.modelCallFinished(at: position, outcome: outcome, at: time)
            return (.result(result, usage: used, estimated: estimated, fed: fed != nil), effects, fields)
        }.0
    }

    /// Journals a model call refused before it was made.
    func journaledModelCallRefused(_ model: String, _ attempt: Int, _ error: any Error) {
        let probe = RunJournalEntry(
            .modelCallRefused,
            at: .zero,
            fields: ["model": .string(model), "attempt": .integer(Int64(attempt))]
        )
        _ = journaled(probe, ended: ()) { machine, time, fed, _ in
            let recorded = (try? fed?.decode(ErrorRecord.self, "error")) ?? ErrorRecord(error)
            let effects = machine.modelCallRefused(
                model: model,
                attempt: attempt,
                error: JournaledError(errorRecord: recorded),
                at: time
            )
            return ((), effects, ["error": RunJournalEntry.encode(recorded)])
        }
    }
}
