import AgentAdapters
import AgentPolicy
import AgentTaskGraph

/// One run's shared state: the lifecycle machine, the records, the event sequence and the termination latch.
///
/// Everything that changes lives in one `LockedState`, so the driver, the agent's context (possibly from
/// concurrent child tasks), the deadline and the caller's cancellation can all act on the run; the first
/// termination wins, and from then on the records are frozen and no further events are published.
final class RunController: AgentContextBackend, Sendable {
    struct Record {
        var machine: LifecycleMachine
        var history: [PhaseTransition] = []
        var steps: [StepRecord] = []
        var currentStep: Int?
        var toolCallsOutsideSteps: [ToolCallRecord] = []
        var violations: [PolicyViolation] = []
        var usage: ModelUsage = .zero
        var toolBodies = 0
        var refusedToolCalls = 0
        var failedToolCalls = 0
        var sequence: Int64 = 0
        var counts = EventCounts()
        /// Whether the agent's code had returned when the run ended; set once, then, so reports are deterministic.
        var agentEndedAtTermination = false
        var waiter: CheckedContinuation<Void, Never>?
        var endTime: Duration?
    }

    let executionID: String
    let agentName: String
    let nodeID: String?
    let task: JSONValue
    let metadata: [String: JSONValue]
    let policy: StrictPolicy
    let budget: SharedBudget
    let tools: ToolRegistry
    let time: TimeSource
    let start: Duration
    let deadline: Duration
    private let hub: EventHub
    private let state: LockedState<Record>

    init(
        executionID: String,
        agentName: String,
        nodeID: String?,
        task: JSONValue,
        metadata: [String: JSONValue],
        policy: StrictPolicy,
        sharedBudget: SharedBudget?,
        tools: ToolRegistry,
        time: TimeSource,
        hub: EventHub,
        deadline: Duration? = nil
    ) {
        self.executionID = executionID
        self.agentName = agentName
        self.nodeID = nodeID
        self.task = task
        self.metadata = metadata
        self.policy = policy
        self.budget = SharedBudget(policy.budgetLimits, parent: sharedBudget)
        self.tools = tools
        self.time = time
        self.hub = hub
        let start = time.now()
        self.start = start
        self.deadline = deadline.map { min(start + policy.timeout, $0) } ?? start + policy.timeout
        self.state = LockedState(Record(machine: LifecycleMachine(task: task)))
    }

    var elapsed: Duration { time.now() - start }

    private var offset: Nanoseconds { Nanoseconds(time.now() - start) }

    // MARK: Events and phases (call under the lock)

    private func emit(_ kind: OrchestrationEvent.Kind, _ record: inout Record, at time: Nanoseconds? = nil) {
        record.sequence += 1
        record.counts.count(kind)
        guard hub.hasSubscribers else { return }
        let event = OrchestrationEvent(
            executionID: executionID,
            nodeID: nodeID,
            sequence: record.sequence,
            atNanoseconds: time ?? offset,
            kind: kind
        )
        record.counts.dropped += hub.publish(event)
    }

    private func enter(_ phase: LifecyclePhase, _ record: inout Record, at time: Nanoseconds? = nil) {
        let time = time ?? offset
        record.history.append(PhaseTransition(phase: phase, atNanoseconds: time))
        emit(.stateEntered(phase), &record, at: time)
    }

    /// Applies a machine transition, recording a phase change; `nil` once the run has terminated.
    private func advance(
        _ transition: (inout LifecycleMachine) throws(LifecycleMachine.IllegalEvent) -> LifecycleMachine.Action
    ) -> LifecycleMachine.Action? {
        let (action, waiter) = state.withLock {
            record -> (LifecycleMachine.Action?, CheckedContinuation<Void, Never>?) in
            guard record.machine.phase != .terminated else { return (nil, nil) }
            let before = record.machine.phase
            let action: LifecycleMachine.Action
            do {
                action = try transition(&record.machine)
            } catch {
                // The driver only sends events the machine accepts; anything else is a library bug.
                preconditionFailure("\(error)")
            }
            if case .terminate = action {
                return (action, terminateLocked(agentEnded: true, &record))
            }
            if record.machine.phase != before { enter(record.machine.phase, &record) }
            return (action, nil)
        }
        waiter?.resume()
        return action
    }

    func begin() {
        state.withLock { record in
            record.history.append(PhaseTransition(phase: .initial, atNanoseconds: .zero))
            emit(.runStarted(agent: agentName, task: task), &record)
            emit(.stateEntered(.initial), &record)
        }
    }

    // MARK: Driver operations

    func startLifecycle() -> LifecycleMachine.Action? {
        advance { machine throws(LifecycleMachine.IllegalEvent) in try machine.start() }
    }

    func planReady(_ steps: [AgentStep]) -> LifecycleMachine.Action? {
        advance { machine throws(LifecycleMachine.IllegalEvent) in try machine.planReady(steps) }
    }

    /// Reserves the step and records its start; `false` if refused (the run has then stopped) or already over.
    func beginStep(_ step: AgentStep) -> Bool {
        do {
            try budget.reserveStep()
        } catch {
            // The driver, not the agent, holds control here: the agent's code has returned.
            terminate(.policyViolation(violation: error), violation: error, agentEnded: true)
            return false
        }
        let started = state.withLock { record in
            guard record.machine.phase != .terminated else { return false }
            let now = offset
            record.steps.append(
                StepRecord(
                    index: step.index,
                    revision: step.revision,
                    label: step.label,
                    input: step.input,
                    status: .interrupted,
                    output: nil,
                    error: nil,
                    startNanoseconds: now,
                    endNanoseconds: now,
                    toolCalls: [],
                    usage: .zero
                )
            )
            record.currentStep = record.steps.count - 1
            emit(.stepStarted(index: step.index, revision: step.revision), &record)
            return true
        }
        // The run ended between the reservation and the start: the step never runs, so it is not billed.
        if !started { budget.refundStep() }
        return started
    }

    func stepFinished(_ result: StepResult) -> LifecycleMachine.Action? {
        let recorded = state.withLock { record -> Bool in
            guard record.machine.phase != .terminated, let current = record.currentStep else { return false }
            record.steps[current].status = .completed
            record.steps[current].output = result.output
            record.steps[current].endNanoseconds = offset
            record.currentStep = nil
            emit(.stepFinished(index: record.steps[current].index, status: .completed), &record)
            return true
        }
        guard recorded else { return nil }
        return advance { machine throws(LifecycleMachine.IllegalEvent) in try machine.stepFinished(result) }
    }

    func reviewed(_ decision: ReviewDecision) -> LifecycleMachine.Action? {
        if case .revise = decision {
            do {
                try budget.reserveRevision()
            } catch {
                terminate(.policyViolation(violation: error), violation: error, agentEnded: true)
                return nil
            }
        }
        let action = advance { machine throws(LifecycleMachine.IllegalEvent) in try machine.reviewed(decision) }
        if case .revise = decision, action == nil { budget.refundRevision() }
        return action
    }

    /// Ends the run because the agent threw `error` in the current phase.
    func agentThrew(_ error: any Error) {
        let reason: StopReason
        switch error {
        case let error as ToolError: reason = .toolFailed(error: ErrorRecord(error))
        default: reason = .agentFailed(error: ErrorRecord(error))
        }
        state.withLock { record in
            if let current = record.currentStep, record.machine.phase != .terminated {
                record.steps[current].status = .failed
                record.steps[current].error = ErrorRecord(error)
                record.steps[current].endNanoseconds = offset
                emit(.stepFinished(index: record.steps[current].index, status: .failed), &record)
                record.currentStep = nil
            }
        }
        terminate(reason, agentEnded: true)
    }

    // MARK: Termination

    /// Ends the run with `reason` unless it has ended already; the first reason wins.
    @discardableResult
    func terminate(_ reason: StopReason, violation: PolicyViolation? = nil, agentEnded: Bool = false) -> Bool {
        let (won, waiter) = state.withLock { record -> (Bool, CheckedContinuation<Void, Never>?) in
            guard record.machine.phase != .terminated else { return (false, nil) }
            if let violation {
                record.violations.append(violation)
                emit(.policyViolation(violation), &record)
            }
            _ = record.machine.terminate(reason)
            return (true, terminateLocked(agentEnded: agentEnded, &record))
        }
        waiter?.resume()
        return won
    }

    private func terminateLocked(agentEnded: Bool, _ record: inout Record) -> CheckedContinuation<Void, Never>? {
        let now = offset
        // Freeze what was in flight.
        if let current = record.currentStep {
            record.steps[current].endNanoseconds = now
            emit(.stepFinished(index: record.steps[current].index, status: .interrupted), &record, at: now)
            record.currentStep = nil
        }
        for step in record.steps.indices {
            for call in record.steps[step].toolCalls.indices
            where record.steps[step].toolCalls[call].status == .interrupted {
                record.steps[step].toolCalls[call].endNanoseconds = now
            }
        }
        record.agentEndedAtTermination = agentEnded
        record.endTime = now.duration
        enter(.terminated, &record, at: now)
        let waiter = record.waiter
        record.waiter = nil
        return waiter
    }

    /// Suspends until the run has terminated.
    func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { record -> Bool in
                if record.machine.phase == .terminated { return true }
                record.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }

    var isTerminated: Bool { state.withLock { $0.machine.phase == .terminated } }

    // MARK: Report

    func makeReport() -> ExecutionReport {
        // Model calls still in flight when the run ended give their estimates back; usage they report later is
        // still billed (see reportUsage).
        budget.releaseAll()
        let ownLedger = budget.ledger
        let sharedLines = budget.parent?.ledger.lines
        return state.withLock { record in
            let reason = record.machine.stopReason ?? .cancelled
            let duration = Nanoseconds(record.endTime ?? (time.now() - start))
            var ledger = ownLedger.lines
            ledger.append(
                BudgetLine(
                    budget: "refusedToolCalls",
                    limit: policy.maxRefusedToolCalls,
                    used: Int64(record.refusedToolCalls)
                )
            )
            ledger.append(
                BudgetLine(
                    budget: "timeNanoseconds",
                    limit: Nanoseconds(policy.timeout).rawValue,
                    used: duration.rawValue
                )
            )
            var counts = record.counts
            counts.emitted += 1
            counts.runFinished += 1
            let completed = record.steps.filter { $0.status == .completed }
            return ExecutionReport(
                executionID: executionID,
                agentName: agentName,
                nodeID: nodeID,
                task: task,
                metadata: metadata,
                status: reason.status,
                stopReason: reason,
                finalOutput: reason == .completed ? record.machine.finalOutput : nil,
                stepOutputs: completed.compactMap(\.output),
                steps: record.steps,
                toolCallsOutsideSteps: record.toolCallsOutsideSteps,
                totals: RunTotals(
                    steps: record.steps.count,
                    completedSteps: completed.count,
                    toolCalls: record.toolBodies,
                    refusedToolCalls: record.refusedToolCalls,
                    failedToolCalls: record.failedToolCalls,
                    usage: record.usage,
                    revisions: record.machine.revision
                ),
                ledger: ledger,
                sharedLedger: sharedLines,
                history: record.history,
                violations: record.violations,
                events: counts,
                agentStopped: record.agentEndedAtTermination,
                durationNanoseconds: duration
            )
        }
    }

    /// Publishes the final event. It is the last event of the run: everything else is suppressed after termination.
    func publishFinished(_ report: ExecutionReport) {
        state.withLock { record in
            record.sequence += 1
            let event = OrchestrationEvent(
                executionID: executionID,
                nodeID: nodeID,
                sequence: record.sequence,
                atNanoseconds: report.durationNanoseconds,
                kind: .runFinished(report)
            )
            _ = hub.publish(event)
        }
    }

    // MARK: AgentContextBackend

    private func runEnded(_ tool: String) -> ToolError {
        ToolError(code: .runEnded, tool: tool, message: "the run has ended; no more tools run in it")
    }

    /// Records a tool call refused before it ran, and emits the refusal.
    ///
    /// - Returns: The refusals so far in this run.
    @discardableResult
    private func recordRefusal(_ name: String, _ arguments: JSONValue, _ error: any Error) -> Int64 {
        state.withLock { record in
            guard record.machine.phase != .terminated else { return Int64(record.refusedToolCalls) }
            let now = offset
            let call = ToolCallRecord(
                tool: name,
                arguments: arguments,
                status: .refused,
                output: nil,
                error: ErrorRecord(error),
                startNanoseconds: now,
                endNanoseconds: now
            )
            append(call, &record)
            record.refusedToolCalls += 1
            emit(.toolCallRefused(tool: name, reason: String(describing: error)), &record)
            return Int64(record.refusedToolCalls)
        }
    }

    private func append(_ call: ToolCallRecord, _ record: inout Record) {
        if let current = record.currentStep {
            record.steps[current].toolCalls.append(call)
        } else {
            record.toolCallsOutsideSteps.append(call)
        }
    }

    func callTool(_ name: String, arguments: JSONValue) async throws -> JSONValue {
        try Task.checkCancellation()
        guard !isTerminated else { throw runEnded(name) }
        do {
            try policy.checkPermission(toCall: name)
        } catch {
            recordRefusal(name, arguments, error)
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        let tool: RegisteredTool
        do {
            tool = try tools.tool(named: name)
            // Checked without recursion first: everything after (schema, loop-detection key, report) walks the value.
            if arguments.nestingDepth() > JSONValue.maximumParsingDepth {
                throw ToolError(
                    code: .invalidArguments,
                    tool: name,
                    field: "",
                    message:
                        "arguments for \"\(name)\" are nested more than \(JSONValue.maximumParsingDepth) levels deep"
                )
            }
            try tool.check(arguments)
        } catch {
            let refusals = recordRefusal(name, arguments, error)
            if refusals > policy.maxRefusedToolCalls {
                let violation = PolicyViolation(
                    limit: .maxRefusedToolCalls,
                    limitValue: policy.maxRefusedToolCalls,
                    attempted: refusals,
                    tool: name,
                    message: "\(refusals) tool calls were refused for an unknown tool or invalid arguments; "
                        + "maxRefusedToolCalls is \(policy.maxRefusedToolCalls)"
                )
                terminate(.policyViolation(violation: violation), violation: violation)
                throw violation
            }
            throw error
        }
        let key = arguments.jsonText()
        do {
            try budget.reserveToolCall(name, argumentsKey: key)
        } catch {
            recordRefusal(name, arguments, error)
            terminate(.policyViolation(violation: error), violation: error)
            throw error
        }
        // Record the start; the position lets the finish find its record.
        let position: (step: Int?, call: Int)? = state.withLock { record in
            guard record.machine.phase != .terminated else { return nil }
            let now = offset
            let call = ToolCallRecord(
                tool: name,
                arguments: arguments,
                status: .interrupted,
                output: nil,
                error: nil,
                startNanoseconds: now,
                endNanoseconds: now
            )
            append(call, &record)
            record.toolBodies += 1
            emit(.toolCallStarted(tool: name, arguments: arguments), &record)
            if let current = record.currentStep {
                return (current, record.steps[current].toolCalls.count - 1)
            }
            return (nil, record.toolCallsOutsideSteps.count - 1)
        }
        guard let position else {
            // The run ended between the reservation and the start: the body never runs, so nothing is billed.
            budget.refundToolCall(name, argumentsKey: key)
            throw runEnded(name)
        }
        let result: Result<JSONValue, any Error>
        do {
            result = .success(
                try await tool.call(arguments) { error in
                    guard let error = error as? any RetryableError else { return (false, nil) }
                    return (error.isRetryable, error.retryAfter)
                }
            )
        } catch {
            result = .failure(error)
        }
        state.withLock { record in
            guard record.machine.phase != .terminated else { return }
            func update(_ call: inout ToolCallRecord) {
                call.endNanoseconds = offset
                switch result {
                case .success(let output):
                    call.status = .succeeded
                    call.output = output
                case .failure(let error):
                    call.status = error is CancellationError ? .interrupted : .failed
                    call.error = ErrorRecord(error)
                }
            }
            if let step = position.step {
                update(&record.steps[step].toolCalls[position.call])
                emit(.toolCallFinished(tool: name, status: record.steps[step].toolCalls[position.call].status), &record)
            } else {
                update(&record.toolCallsOutsideSteps[position.call])
                emit(.toolCallFinished(tool: name, status: record.toolCallsOutsideSteps[position.call].status), &record)
            }
            if case .failure(let error) = result, !(error is CancellationError) { record.failedToolCalls += 1 }
        }
        return try result.get()
    }

    func reserveUsage(_ estimate: ModelUsage) throws -> UsageReservation {
        guard !isTerminated else { throw runEnded("model") }
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
        guard !isTerminated else {
            // The run has ended, but the model call happened: bill it (shared budgets must see it) and give the
            // estimate back, without events or a new violation.
            if let reservation {
                try? budget.settle(reservation, actual: actual)
            } else {
                try? budget.recordUsage(actual)
            }
            throw runEnded("model")
        }
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
        state.withLock { record in
            guard record.machine.phase != .terminated else { return }
            record.usage += actual
            if let current = record.currentStep { record.steps[current].usage += actual }
            emit(.usageRecorded(actual), &record)
        }
        if let violation {
            terminate(.policyViolation(violation: violation), violation: violation)
            throw violation
        }
    }

    func releaseUsage(_ reservation: UsageReservation) { budget.release(reservation) }

    var remainingBudget: RemainingBudget { budget.remaining }

    var timeRemaining: Duration { max(.zero, deadline - time.now()) }

    var completedStepOutputs: [JSONValue] {
        state.withLock { record in record.steps.filter { $0.status == .completed }.compactMap(\.output) }
    }

    func sleep(for duration: Duration) async throws {
        try await time.sleepUntil(time.now() + duration)
    }
}
