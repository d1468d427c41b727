import AgentAdapters
@_spi(Internals) import AgentPolicy

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
    /// Who delivers the run's events (the machine's), read by the deliverer without the run's lock.
    private let latch: DeliveryLatch
    /// The run's journal, or `nil` for a run without one (nothing is built for it then).
    let recorder: RunRecorder?
    /// Where the run's tool calls report progress: this runtime, weakly.
    let progressTarget = ProgressTarget()

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
        // A replay takes every reading from its journal, the recorded timeout included; its live deadline only
        // stops agent code that loops: the full timeout from the replay's own start, not what the original had left.
        let guarded = recorder?.isReplay == true ? time.now() : start
        self.deadline = deadline.map { min(guarded + policy.timeout, $0) } ?? guarded + policy.timeout
        var machine = RunStateMachine(identity: identity, emitsEvents: route.isListenedTo)
        machine.journal.isEnabled = recorder != nil
        if let recorder { machine.journal.continueChain(recorder.chain) }
        self.latch = machine.deliveryLatch
        self.state = LockedState(machine)
        progressTarget.attach(self)
    }

    /// The clock reading, as the machine takes it: time since the run started.
    private var offset: Nanoseconds { Nanoseconds(time.now() - start) }

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
    func perform(_ effects: consuming RunEffects) {
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
        // Taken out of the effects, so that the batch is the one reference to its storage and the last subscriber
        // can move the events out of it instead of copying them.
        if var batch = effects.events.take() {
            // The hub's subscriber list as the run's previous delivery found it: no hub lock while it is current.
            var subscribers = effects.subscribers.take()
            while true {
                let lent = subscribers?.version
                let dropped = route.publish(moving: &batch, subscribers: &subscribers)
                // Nothing to record (no drop, the same snapshot) and nothing queued meanwhile: the delivery ends
                // without the run's lock. Otherwise the lock records the drops and the snapshot and hands over the
                // events queued meanwhile.
                if dropped == 0, subscribers?.version == lent, latch.releaseIfNothingQueued() { break }
                let kept = subscribers
                guard let next = state.withLock({ $0.delivered(dropped: dropped, subscribers: kept) }) else { break }
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
}

/// Where a run's tools report progress: the run's runtime, held weakly, so that a tool that keeps its
/// `ToolInvocation` past the call does not keep the run alive (and makes no cycle through a tool the run holds).
///
/// One per run, made with the runtime, which attaches itself at the end of its initialiser. Each tool call's
/// progress closure captures the target strongly, one retain, where a weak capture of the runtime formed and
/// destroyed a weak reference per call; a report reads the runtime under the target's own lock (reports are
/// rare next to calls).
final class ProgressTarget: Sendable {
    private struct Weak {
        weak var runtime: RunRuntime?
    }

    private let weak = LockedState(Weak())

    /// Points the target at `runtime`; the runtime's initialiser does, once.
    func attach(_ runtime: RunRuntime) { weak.withLock { $0.runtime = runtime } }

    /// The runtime, or `nil` once it is gone.
    var runtime: RunRuntime? { weak.withLock { $0.runtime } }
}
