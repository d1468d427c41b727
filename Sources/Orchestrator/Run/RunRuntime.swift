import AgentAdapters
import AgentPolicy

/// The thin runtime around one run's ``RunStateMachine``: it holds the machine in one lock, reads the clock,
/// reserves budget, calls tools, and performs the effects the machine returns after releasing the lock.
///
/// No lock is held while another is taken or while events are delivered: the budget has its own lock, taken before
/// or after the run's; events go out through ``RunEffects`` once the run's lock is released.
final class RunRuntime: AgentContextBackend, Sendable {
    let identity: RunStateMachine.Identity
    let policy: StrictPolicy
    let budget: SharedBudget
    let tools: ToolRegistry
    let time: TimeSource
    let start: Duration
    let deadline: Duration
    private let route: EventRoute
    let state: LockedState<RunStateMachine>
    /// The run's journal, or `nil` for a run without one (nothing is built for it then).
    let recorder: RunRecorder?

    init(
        identity: RunStateMachine.Identity,
        policy: StrictPolicy,
        sharedBudget: SharedBudget?,
        tools: ToolRegistry,
        time: TimeSource,
        route: EventRoute,
        deadline: Duration? = nil,
        recorder: RunRecorder? = nil,
        resumedAt: Nanoseconds = .zero
    ) {
        self.identity = identity
        self.policy = policy
        self.budget = SharedBudget(policy.budgetLimits, parent: sharedBudget, coversOneRun: true)
        self.tools = tools
        self.time = time
        self.route = route
        // A resumed run's clock continues from its last journaled reading: time while it was down is not counted.
        let start = time.now() - .nanoseconds(resumedAt.rawValue)
        self.start = start
        self.recorder = recorder
        self.deadline = deadline.map { min(start + policy.timeout, $0) } ?? start + policy.timeout
        var machine = RunStateMachine(identity: identity, emitsEvents: route.isListenedTo)
        machine.journal.isEnabled = recorder != nil
        self.state = LockedState(machine)
    }

    /// The clock reading, as the machine takes it: time since the run started.
    private var offset: Nanoseconds { Nanoseconds(time.now() - start) }

    var elapsed: Duration { time.now() - start }

    var isTerminated: Bool { state.withLock { $0.isTerminated } }

    /// Applies `transition` to the machine under the lock, then performs its effects.
    ///
    /// The clock is read first, outside the lock: the machine takes the reading as a value, and no other lock
    /// (a manual clock has one) is ever taken while the run's is held.
    func update<Value>(_ transition: (inout RunStateMachine, Nanoseconds) -> (Value, RunEffects)) -> Value {
        let now = offset
        let (value, effects) = state.withLock { machine in transition(&machine, now) }
        perform(effects)
        return value
    }

    func apply(_ transition: (inout RunStateMachine, Nanoseconds) -> RunEffects) {
        let now = offset
        perform(state.withLock { machine in transition(&machine, now) })
    }

    /// Delivers events (and whatever is queued meanwhile), gives back budget, then resumes waiters.
    func perform(_ effects: RunEffects) {
        for refund in effects.refunds {
            switch refund {
            case .step: budget.refund(.steps)
            case .revision: budget.refund(.revisions)
            case .toolCall(let tool, let key): budget.refundToolCall(tool, argumentsKey: key)
            case .modelCall(let reservation):
                budget.refund(.modelCalls)
                budget.release(reservation)
            }
        }
        if var batch = effects.events {
            while true {
                let dropped = route.publish(batch)
                guard let next = state.withLock({ $0.delivered(dropped: dropped) }) else { break }
                batch = next
            }
        }
        for waiter in effects.resumptions { waiter.resume() }
    }

    // MARK: Driver operations

    func begin() { apply { $0.begin(at: $1) } }

    func startLifecycle() -> LifecycleMachine.Action? {
        if recorder != nil { return journaledStart() }
        return update { $0.start(at: $1) }
    }

    func planReady(_ plan: [AgentStep]) -> LifecycleMachine.Action? {
        if recorder != nil { return journaledPlanReady(plan) }
        return update { $0.planReady(plan, at: $1) }
    }

    /// Reserves the step and records its start; `false` if refused (the run has then stopped) or already over.
    func beginStep(_ step: AgentStep) -> Bool {
        do {
            try budget.reserve(.steps)
        } catch {
            // The driver, not the agent, holds control here: the agent's code has returned.
            terminate(.policyViolation(violation: error), violation: error, agentEnded: true)
            return false
        }
        if recorder != nil { return journaledStepStarted(step) }
        return update { $0.stepStarted(step, at: $1) }
    }

    func stepFinished(_ result: StepResult) -> LifecycleMachine.Action? {
        if recorder != nil { return journaledStepFinished(result) }
        return update { $0.stepFinished(result, at: $1) }
    }

    func reviewed(_ decision: ReviewDecision) -> LifecycleMachine.Action? {
        if case .revise = decision {
            do {
                try budget.reserve(.revisions)
            } catch {
                terminate(.policyViolation(violation: error), violation: error, agentEnded: true)
                return nil
            }
        }
        if recorder != nil { return journaledReviewed(decision) }
        return update { $0.reviewed(decision, at: $1) }
    }

    /// Ends the run because the agent threw `error` in the current phase.
    func agentThrew(_ error: any Error) {
        if recorder != nil { return journaledAgentThrew(error) }
        apply { $0.agentThrew(error, at: $1) }
    }

    /// Ends the run with `reason` unless it has ended already; the first reason wins.
    ///
    /// - Parameters:
    ///   - reason: Why the run ends.
    ///   - violation: The violation to record, if a limit ended it.
    ///   - agentEnded: Whether the agent's code had returned.
    ///   - instant: When the run ended, since its start; the clock's reading when `nil`. The deadline passes its
    ///     own instant, so a timed-out run lasts exactly its timeout whatever the scheduling delay.
    /// - Returns: Whether this call ended the run.
    @discardableResult
    func terminate(
        _ reason: StopReason,
        violation: PolicyViolation? = nil,
        agentEnded: Bool = false,
        at instant: Duration? = nil
    ) -> Bool {
        if let recorder {
            let ended = journaledTerminate(
                reason,
                violation: violation,
                agentEnded: agentEnded,
                at: instant.map { Nanoseconds($0) }
            )
            if violation != nil, budget.parent != nil { recorder.sharedBudgetRefused(violation) }
            return ended
        }
        return update { machine, now in
            machine.terminate(
                reason,
                violation: violation,
                agentEnded: agentEnded,
                at: instant.map { Nanoseconds($0) } ?? now
            )
        }
    }

    /// Ends the run at its deadline: the report says so whatever the delay in noticing it, the run lasting exactly
    /// its timeout.
    func expire() {
        let timeout = Nanoseconds(deadline - start)
        let violation = PolicyViolation(limit: .timeout, limitValue: timeout.rawValue, attempted: timeout.rawValue)
        terminate(.timedOut(timeout: timeout), violation: violation, at: deadline - start)
    }

    /// Suspends until the run has terminated.
    func waitForTermination() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            apply { machine, _ in machine.waitForTermination(waiter) }
        }
    }

    /// Marks the agent's code as ended (or never started).
    func agentWorkEnded() { apply { machine, _ in machine.agentWorkEnded() } }

    /// Whether the agent's code has returned (or never started).
    var hasAgentWorkEnded: Bool { state.withLock { $0.hasAgentWorkEnded } }

    /// Suspends until the agent's code has returned: at once unless the run abandoned it still running.
    func waitForAgentWork() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            apply { machine, _ in machine.waitForAgentWork(waiter) }
        }
    }

    // MARK: Report

    func makeReport() -> ExecutionReport {
        // Model calls still in flight when the run ended give their estimates back; usage they report later is
        // still billed (see reportUsage).
        budget.releaseAll()
        let ledger = budget.ledger.lines
        let shared = budget.parent?.ledger.lines
        let now = offset
        return state.withLock { machine in
            machine.report(
                ledger: ledger,
                sharedLedger: shared,
                timeout: Nanoseconds(policy.timeout),
                now: now
            )
        }
    }

    /// Publishes the final event, after every other event of the run.
    func publishFinished(_ report: ExecutionReport) { apply { machine, _ in machine.finished(report) } }

    // MARK: AgentContextBackend

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
            let invocation = ToolInvocation(toolName: name) { [weak self] progress, total, message in
                self?.apply { $0.toolProgress(name, progress: progress, total: total, message: message, at: $1) }
            }
            result = .success(
                try await ToolInvocation.$current.withValue(invocation) { try await tool.call(arguments) }
            )
        } catch {
            result = .failure(error)
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

    var timeRemaining: Duration { max(.zero, deadline - time.now()) }

    var completedStepOutputs: [JSONValue] { state.withLock { $0.completedStepOutputs } }

    func sleep(for duration: Duration) async throws {
        try checkRunning("sleep")
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
