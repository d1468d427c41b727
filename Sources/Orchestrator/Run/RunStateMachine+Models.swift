package import AgentAdapters
package import AgentPolicy

extension RunStateMachine {
    /// Where a started model call's record lives, so its finish finds it.
    package struct ModelCallPosition: Hashable, Sendable {
        /// The step index in the records, or `nil` for calls outside any step.
        package var step: Int?
        /// The call's index in that list.
        package var call: Int
    }

    /// How a started model call ended, as the machine takes it: a value, whatever the model did.
    package enum ModelCallOutcome: Sendable {
        /// The model answered; `usage` is what the call was billed, `estimated` when it is the reservation.
        case succeeded(finishReason: FinishReason, requestedTools: [String], usage: ModelUsage, estimated: Bool)
        /// The model threw.
        case failed(ErrorRecord)
        /// The calling task was cancelled while the model answered.
        case cancelled(ErrorRecord)
    }

    /// A reserved model call is about to be made.
    ///
    /// - Parameters:
    ///   - model: The model's name.
    ///   - attempt: The attempt number, from 1.
    ///   - maximumOutputTokens: The most output tokens it asks for.
    ///   - reservation: What it reserved.
    ///   - time: The clock reading.
    /// - Returns: Where its record is, or `nil` if the run has ended (the effects then give the reservation and the
    ///   `modelCalls` unit back), and the effects.
    package mutating func modelCallStarted(
        model: String,
        attempt: Int,
        maximumOutputTokens: Int64,
        reservation: UsageReservation,
        at time: Nanoseconds
    ) -> (ModelCallPosition?, RunEffects) {
        guard !isTerminated else { return (nil, RunEffects(refunds: [.modelCall(reservation)])) }
        let record = ModelCallRecord(
            model: model,
            attempt: attempt,
            status: .cancelled,
            maximumOutputTokens: maximumOutputTokens,
            reservedUsage: reservation.estimate,
            usage: .zero,
            usageEstimated: false,
            finishReason: nil,
            requestedTools: [],
            error: nil,
            startNanoseconds: time,
            endNanoseconds: time
        )
        let position = appendModelCall(record)
        inFlightModelCalls.append(position)
        modelCallCount += 1
        emit(.modelCallStarted(model: model, attempt: attempt, maximumOutputTokens: maximumOutputTokens), at: time)
        return (position, effects())
    }

    /// A piece of a streamed response arrived; emitted as an event unless the run has ended.
    package mutating func modelDeltaReceived(_ delta: ModelDelta, at time: Nanoseconds) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        emit(.modelDelta(delta), at: time)
        return effects()
    }

    /// A started model call ended; ignored once the run has ended (its record then says cancelled).
    package mutating func modelCallFinished(
        at position: ModelCallPosition,
        outcome: ModelCallOutcome,
        at time: Nanoseconds
    ) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        inFlightModelCalls.removeAll { $0 == position }
        var finished: ModelCallRecord?
        updateModelCall(at: position) { call in
            call.endNanoseconds = time
            switch outcome {
            case .succeeded(let reason, let tools, let usage, let estimated):
                call.status = .succeeded
                call.finishReason = reason
                call.requestedTools = tools
                call.usage = usage
                call.usageEstimated = estimated
            case .failed(let error):
                call.status = .failed
                call.error = error
            case .cancelled(let error):
                call.status = .cancelled
                call.error = error
            }
            finished = call
        }
        guard let finished else { return effects() }
        addUsage(finished.usage)
        emit(
            .modelCallFinished(
                model: finished.model,
                attempt: finished.attempt,
                status: finished.status,
                usage: finished.usage
            ),
            at: time
        )
        return effects()
    }

    /// A model call was refused before it was made (context window, no output token affordable): recorded, with
    /// a `modelCallFinished` event whose status is `refused`.
    package mutating func modelCallRefused(
        model: String,
        attempt: Int,
        error: any Error,
        at time: Nanoseconds
    ) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        _ = appendModelCall(
            ModelCallRecord(
                model: model,
                attempt: attempt,
                status: .refused,
                maximumOutputTokens: nil,
                reservedUsage: .zero,
                usage: .zero,
                usageEstimated: false,
                finishReason: nil,
                requestedTools: [],
                error: ErrorRecord(error),
                startNanoseconds: time,
                endNanoseconds: time
            )
        )
        emit(.modelCallFinished(model: model, attempt: attempt, status: .refused, usage: .zero), at: time)
        return effects()
    }

    /// A failed model call will be tried again after `delay`.
    package mutating func modelCallRetrying(
        model: String,
        failedAttempt: Int,
        delay: Nanoseconds,
        at time: Nanoseconds
    ) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        emit(.modelCallRetrying(model: model, failedAttempt: failedAttempt, delayNanoseconds: delay), at: time)
        return effects()
    }

    /// Appends messages to the run's model transcript; ignored once the run has ended (the report is frozen).
    package mutating func appendToTranscript(_ messages: [ModelMessage]) {
        guard !isTerminated else { return }
        modelTranscript.append(contentsOf: messages)
    }

    // MARK: Helpers

    /// Marks the model calls still in flight as cancelled at `time`: the run ended while they ran.
    mutating func cancelModelCallsInFlight(at time: Nanoseconds) {
        for position in inFlightModelCalls {
            updateModelCall(at: position) { call in
                call.status = .cancelled
                call.endNanoseconds = time
                if call.error == nil {
                    call.error = ErrorRecord(
                        type: "CancellationError",
                        message: "the run ended while model \"\(call.model)\" was answering; its reservation was "
                            + "given back"
                    )
                }
            }
        }
        inFlightModelCalls = []
    }

    private mutating func appendModelCall(_ call: ModelCallRecord) -> ModelCallPosition {
        if let current = currentStepIndex {
            appendModelCallToStep(current, call)
            return ModelCallPosition(step: current, call: modelCallCount(inStep: current) - 1)
        }
        modelCallsOutsideSteps.append(call)
        return ModelCallPosition(step: nil, call: modelCallsOutsideSteps.count - 1)
    }

    private mutating func updateModelCall(at position: ModelCallPosition, _ update: (inout ModelCallRecord) -> Void) {
        if let step = position.step {
            updateModelCallInStep(step, position.call, update)
        } else {
            update(&modelCallsOutsideSteps[position.call])
        }
    }
}
