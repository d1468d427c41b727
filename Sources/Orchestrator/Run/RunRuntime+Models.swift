import AgentAdapters
@_spi(Internals) import AgentPolicy

extension RunRuntime {
    /// The governed model call: refuse what cannot fit, reserve, call, settle, record, retry transient failures.
    ///
    /// Budget locks are taken here, never inside the run's lock: the allowance is computed from a reading of the
    /// budget and reserved in one step of the budget's own lock, and a reservation refused because another run
    /// reserved meanwhile is computed again from the new reading, so shared budgets never overshoot.
    func respond(
        using model: any ChatModel,
        to request: ModelRequest,
        retry: RetryPolicy,
        tokenCounter: any TokenCounter
    ) async throws -> ModelResponse {
        let descriptor = model.descriptor
        let name = descriptor.name
        if recorder != nil {
            return try await journaledRespond(using: model, to: request, retry: retry, tokenCounter: tokenCounter)
        }
        try checkRunning(name)
        let counted = try? await model.countInputTokens(of: request)
        let input = max(1, (counted ?? nil) ?? tokenCounter.inputTokens(of: request))
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
                apply { $0.modelCallRefused(model: name, attempt: attempt, error: error, at: $1) }
                throw error
            }
            let (allowance, reservation) = try reserveModelCall(descriptor, request: request, input: input, attempt)
            var sent = request
            sent.options.maximumOutputTokens = allowance.maximumOutputTokens
            let started = update {
                $0.modelCallStarted(
                    model: name,
                    attempt: attempt,
                    maximumOutputTokens: allowance.maximumOutputTokens,
                    reservation: reservation,
                    at: $1
                )
            }
            guard let position = started else { throw runEnded(name) }
            let result: Result<ModelResponse, any Error>
            do {
                let sink = ModelDeltaSink { [self] delta in apply { $0.modelDeltaReceived(delta, at: $1) } }
                result = .success(try await model.respond(to: sent, streamingInto: sink))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success(let response):
                return try settle(response, of: descriptor, reservation: reservation, at: position)
            case .failure(let error):
                budget.release(reservation)
                let cancelled = error is CancellationError
                let record = ErrorRecord(error)
                apply {
                    $0.modelCallFinished(
                        at: position,
                        outcome: cancelled ? .cancelled(record) : .failed(record),
                        at: $1
                    )
                }
                if isTerminated { throw runEnded(name) }
                guard !cancelled, attempt < attempts, let retryable = error as? any RetryableError,
                    retryable.isRetryable
                else { throw error }
                let delay = retryable.retryAfter ?? retry.delay(afterAttempt: attempt, key: name)
                let failed = attempt
                apply { $0.modelCallRetrying(model: name, failedAttempt: failed, delay: Nanoseconds(delay), at: $1) }
                try await sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// Reserves one `modelCalls` unit and the call's usage; refusals end the run with the violation.
    func reserveModelCall(
        _ descriptor: ModelDescriptor,
        request: ModelRequest,
        input: Int64,
        _ attempt: Int
    ) throws -> (ModelCallAllowance, UsageReservation) {
        do {
            try budget.reserve(.modelCalls)
        } catch {
            refuseModelCall(descriptor.name, attempt, error)
            throw error
        }
        var lastRefusal: PolicyViolation?
        // Each refused reservation means another run took budget since the reading: the next reading is smaller,
        // so this converges; the bound only guards against a pathological stream of competitors.
        for _ in 0..<64 {
            let allowance: ModelCallAllowance
            do {
                allowance = try ModelCallAllowance.compute(
                    input: input,
                    descriptor: descriptor,
                    requested: request.options.maximumOutputTokens,
                    perCall: policy.maxOutputTokensPerModelCall,
                    left: budget.left,
                    limit: bindingLimit
                )
            } catch {
                lastRefusal = error
                break
            }
            do {
                return (allowance, try budget.reserveUsage(allowance.estimate))
            } catch {
                lastRefusal = error
            }
        }
        budget.refund(.modelCalls)
        let violation =
            lastRefusal
            ?? PolicyViolation(limit: .maxTokens, limitValue: policy.maxTokens, attempted: policy.maxTokens + 1)
        refuseModelCall(descriptor.name, attempt, violation)
        throw violation
    }

    private func refuseModelCall(_ model: String, _ attempt: Int, _ violation: PolicyViolation) {
        if recorder != nil {
            journaledModelCallRefused(model, attempt, violation)
        } else {
            apply { $0.modelCallRefused(model: model, attempt: attempt, error: violation, at: $1) }
        }
        terminate(.policyViolation(violation: violation), violation: violation)
    }

    /// The limit of `kind` in the budget of the chain (the run's, then each shared one) that has least left.
    private func bindingLimit(_ kind: BudgetKind) -> Int64 {
        var tightest: (left: Int64, limit: Int64)?
        var current: SharedBudget? = budget
        while let ledgerOwner = current {
            let ledger = ledgerOwner.ledger
            if let limit = ledger.limits[kind], let left = ledger.remaining[kind] {
                if tightest == nil || left < tightest!.left { tightest = (left, limit) }
            }
            current = ledgerOwner.parent
        }
        return tightest?.limit ?? 0
    }

    /// Bills a successful call: the reported tokens at the descriptor's prices, or the reservation when the
    /// provider reported none; a settlement past a limit ends the run (the usage is still recorded).
    private func settle(
        _ response: ModelResponse,
        of descriptor: ModelDescriptor,
        reservation: UsageReservation,
        at position: RunStateMachine.ModelCallPosition
    ) throws -> ModelResponse {
        let (used, estimated) = Self.billing(response, of: descriptor, reservation: reservation)
        var violation: PolicyViolation?
        do { try budget.settle(reservation, actual: used) } catch { violation = error }
        let outcome = RunStateMachine.ModelCallOutcome.succeeded(
            finishReason: response.finishReason,
            requestedTools: response.toolCalls.map(\.name),
            usage: used,
            estimated: estimated
        )
        apply { $0.modelCallFinished(at: position, outcome: outcome, at: $1) }
        if let violation {
            terminate(.policyViolation(violation: violation), violation: violation)
            throw violation
        }
        if isTerminated { throw runEnded(descriptor.name) }
        return response
    }

    /// What a successful call is billed: the reported tokens at the descriptor's prices, or the reservation (then
    /// `estimated` is `true`) when the provider reported none.
    static func billing(
        _ response: ModelResponse,
        of descriptor: ModelDescriptor,
        reservation: UsageReservation
    ) -> (usage: ModelUsage, estimated: Bool) {
        guard let reported = response.usage else { return (reservation.estimate, true) }
        let input = max(0, reported.inputTokens)
        let output = max(0, reported.outputTokens)
        let cost = descriptor.pricing?.cost(inputTokens: input, outputTokens: output) ?? 0
        return (ModelUsage(inputTokens: input, outputTokens: output, cost: cost), false)
    }

    /// The run's model transcript.
    var modelTranscript: [ModelMessage] { state.withLock { $0.modelTranscript } }

    /// Appends to the run's model transcript; ignored once the run has ended.
    func appendToModelTranscript(_ messages: [ModelMessage]) {
        state.withLock { $0.appendToTranscript(messages) }
    }
}
