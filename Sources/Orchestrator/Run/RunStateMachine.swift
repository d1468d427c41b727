package import AgentAdapters
package import AgentPolicy

/// Every rule of one agent run, as a value: lifecycle phase, step and tool-call records, counters, usage totals,
/// the stop decision and the events to publish.
///
/// The machine never reads a clock, makes an id, reserves budget or calls anything: each nondeterministic input
/// (the time, an agent step's result, a tool's result or error, a reservation's outcome) arrives as an argument,
/// so the same inputs always give the same records, and a journal can replay them. Each mutating method returns
/// the ``RunEffects`` the caller performs after releasing its lock: events to deliver, waiters to resume, budget
/// to give back.
///
/// The first termination wins; from then on every record is frozen and nothing is emitted, so late results of
/// abandoned agent code change nothing.
package struct RunStateMachine: Sendable {
    /// Who and what the run is: set once.
    package struct Identity: Sendable {
        /// The run's id.
        package var executionID: String
        /// The agent's name.
        package var agentName: String
        /// The graph node the run belongs to, if any.
        package var nodeID: String?
        /// The run's task.
        package var task: JSONValue
        /// The caller's metadata.
        package var metadata: [String: JSONValue]
    }

    /// Where a started tool call's record lives, so its finish finds it.
    package struct ToolCallPosition: Hashable, Sendable {
        /// The step index in the records, or `nil` for calls outside any step.
        package var step: Int?
        /// The call's index in that list.
        package var call: Int
    }

    /// The run's identity.
    package let identity: Identity
    /// The lifecycle: phase, plan, outputs, stop reason.
    package private(set) var lifecycle: LifecycleMachine
    /// The phases entered, in order.
    package private(set) var history: [PhaseTransition] = []
    /// One record per step started.
    package private(set) var steps: [StepRecord] = []
    /// Tool calls made outside steps.
    package private(set) var toolCallsOutsideSteps: [ToolCallRecord] = []
    /// Violations met.
    package private(set) var violations: [PolicyViolation] = []
    /// Usage recorded (negative figures count as zero; sums saturate).
    package private(set) var usage: ModelUsage = .zero
    /// Tool bodies started.
    package private(set) var toolBodies = 0
    /// Tool calls refused before they ran.
    package private(set) var refusedToolCalls = 0
    /// Tool calls whose body threw (cancellation aside).
    package private(set) var failedToolCalls = 0
    /// Event counts.
    package private(set) var counts = EventCounts()
    /// Whether the agent's code had returned when the run ended.
    package private(set) var agentStopped = false
    /// When the run ended, if it has.
    package private(set) var endTime: Nanoseconds?
    /// Governed model calls made outside steps.
    package internal(set) var modelCallsOutsideSteps: [ModelCallRecord] = []
    /// The run's model transcript, oldest first.
    package internal(set) var modelTranscript: [ModelMessage] = []
    /// Governed model calls made (each attempt; refusals not counted).
    package internal(set) var modelCallCount = 0
    /// The run's journal entries waiting to be stored (disabled for runs without a journal).
    package var journal = JournalOutbox()
    /// Where the model calls still in flight have their records.
    var inFlightModelCalls: [ModelCallPosition] = []
    private var currentStep: Int?
    private var sequence: Int64 = 0
    private var outbox = EventOutbox()
    private var terminationWaiters: [CheckedContinuation<Void, Never>] = []
    private var agentWorkHasEnded = false
    private var agentWorkWaiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a machine in INIT.
    ///
    /// - Parameters:
    ///   - identity: The run's identity.
    ///   - emitsEvents: Whether events are built for delivery (counts are kept either way).
    package init(identity: Identity, emitsEvents: Bool) {
        self.identity = identity
        self.lifecycle = LifecycleMachine(task: identity.task)
        self.outbox.isEnabled = emitsEvents
    }

    /// Who delivers the run's events: the deliverer ends a delivery with it, without the lock, when nothing was
    /// queued meanwhile.
    var deliveryLatch: DeliveryLatch { outbox.latch }

    /// Whether the run has ended.
    package var isTerminated: Bool { lifecycle.phase == .terminated }

    /// The outputs of the steps completed so far, in order.
    package var completedStepOutputs: [JSONValue] { steps.filter { $0.status == .completed }.compactMap(\.output) }

    // MARK: Lifecycle

    /// Records the run's start: `runStarted`, then INIT.
    package mutating func begin(at time: Nanoseconds) -> RunEffects {
        history.append(PhaseTransition(phase: .initial, atNanoseconds: time))
        emit(.runStarted(agent: identity.agentName, task: identity.task), at: time)
        emit(.stateEntered(.initial), at: time)
        return effects()
    }

    /// INIT → PLAN.
    package mutating func start(at time: Nanoseconds) -> (LifecycleMachine.Action?, RunEffects) {
        advance(at: time) { machine throws(LifecycleMachine.IllegalEvent) in try machine.start() }
    }

    /// The agent's plan arrived.
    package mutating func planReady(
        _ plan: [AgentStep],
        at time: Nanoseconds
    ) -> (LifecycleMachine.Action?, RunEffects) {
        advance(at: time) { machine throws(LifecycleMachine.IllegalEvent) in try machine.planReady(plan) }
    }

    /// A reserved step starts; `false` if the run ended meanwhile (the effects then refund the step).
    package mutating func stepStarted(_ step: AgentStep, at time: Nanoseconds) -> (Bool, RunEffects) {
        guard !isTerminated else { return (false, RunEffects(refunds: [.step])) }
        steps.append(
            StepRecord(
                index: step.index,
                revision: step.revision,
                label: step.label,
                input: step.input,
                status: .interrupted,
                output: nil,
                error: nil,
                startNanoseconds: time,
                endNanoseconds: time,
                toolCalls: [],
                usage: .zero
            )
        )
        currentStep = steps.count - 1
        emit(.stepStarted(index: step.index, revision: step.revision), at: time)
        return (true, effects())
    }

    /// The current step returned.
    package mutating func stepFinished(
        _ result: StepResult,
        at time: Nanoseconds
    ) -> (LifecycleMachine.Action?, RunEffects) {
        guard !isTerminated, let current = currentStep else { return (nil, RunEffects()) }
        steps[current].status = .completed
        steps[current].output = result.output
        steps[current].endNanoseconds = time
        currentStep = nil
        emit(.stepFinished(index: steps[current].index, status: .completed), at: time)
        return advance(at: time) { machine throws(LifecycleMachine.IllegalEvent) in try machine.stepFinished(result) }
    }

    /// REVIEW decided; a revision must already be reserved (the effects refund it if the run ended meanwhile).
    package mutating func reviewed(
        _ decision: ReviewDecision,
        at time: Nanoseconds
    ) -> (LifecycleMachine.Action?, RunEffects) {
        var (action, effects) = advance(at: time) { machine throws(LifecycleMachine.IllegalEvent) in
            try machine.reviewed(decision)
        }
        if case .revise = decision, action == nil { effects.refunds.append(.revision) }
        return (action, effects)
    }

    /// The agent threw `error` in the current phase: the step (if any) fails and the run ends.
    package mutating func agentThrew(_ error: any Error, at time: Nanoseconds) -> RunEffects {
        guard !isTerminated else { return RunEffects() }
        if let current = currentStep {
            steps[current].status = .failed
            steps[current].error = ErrorRecord(error)
            steps[current].endNanoseconds = time
            emit(.stepFinished(index: steps[current].index, status: .failed), at: time)
            currentStep = nil
        }
        let reason: StopReason =
            error is ToolError || (error as? JournaledFailure)?.isToolError == true
            ? .toolFailed(error: ErrorRecord(error)) : .agentFailed(error: ErrorRecord(error))
        return terminate(reason, agentEnded: true, at: time).1
    }

    /// Ends the run with `reason` unless it has ended; the first reason wins.
    ///
    /// - Parameters:
    ///   - reason: Why the run ends.
    ///   - violation: The violation to record, if a limit ended it.
    ///   - agentEnded: Whether the agent's code had returned (the driver holds control).
    ///   - time: The clock reading.
    /// - Returns: Whether this call ended the run, and the effects (waiters to resume, events).
    package mutating func terminate(
        _ reason: StopReason,
        violation: PolicyViolation? = nil,
        agentEnded: Bool = false,
        at time: Nanoseconds
    ) -> (Bool, RunEffects) {
        guard !isTerminated else { return (false, RunEffects()) }
        if let violation {
            violations.append(violation)
            emit(.policyViolation(violation), at: time)
        }
        _ = lifecycle.terminate(reason)
        return (true, finishTermination(agentEnded: agentEnded, at: time))
    }

    /// Registers a waiter for the end of the run; resumed at once (in the effects) if it has ended.
    package mutating func waitForTermination(_ waiter: CheckedContinuation<Void, Never>) -> RunEffects {
        guard isTerminated else {
            terminationWaiters.append(waiter)
            return RunEffects()
        }
        return RunEffects(resumptions: [waiter])
    }

    /// Whether the agent's code has returned (or never started).
    package var hasAgentWorkEnded: Bool { agentWorkHasEnded }

    /// The agent's code has returned (or never started): wakes everyone waiting for abandoned work to end.
    package mutating func agentWorkEnded() -> RunEffects {
        agentWorkHasEnded = true
        defer { agentWorkWaiters = [] }
        return RunEffects(resumptions: agentWorkWaiters)
    }

    /// Registers a waiter for the end of the agent's code; resumed at once (in the effects) if it has ended.
    package mutating func waitForAgentWork(_ waiter: CheckedContinuation<Void, Never>) -> RunEffects {
        guard agentWorkHasEnded else {
            agentWorkWaiters.append(waiter)
            return RunEffects()
        }
        return RunEffects(resumptions: [waiter])
    }

    // MARK: Internals

    private mutating func advance(
        at time: Nanoseconds,
        _ transition: (inout LifecycleMachine) throws(LifecycleMachine.IllegalEvent) -> LifecycleMachine.Action
    ) -> (LifecycleMachine.Action?, RunEffects) {
        guard !isTerminated else { return (nil, effects()) }
        let before = lifecycle.phase
        let action: LifecycleMachine.Action
        do {
            action = try transition(&lifecycle)
        } catch {
            // The driver only sends events the machine accepts; anything else is a library bug.
            preconditionFailure("\(error)")
        }
        if case .terminate = action { return (action, finishTermination(agentEnded: true, at: time)) }
        if lifecycle.phase != before { enter(lifecycle.phase, at: time) }
        return (action, effects())
    }

    private mutating func finishTermination(agentEnded: Bool, at time: Nanoseconds) -> RunEffects {
        if let current = currentStep {
            steps[current].endNanoseconds = time
            emit(.stepFinished(index: steps[current].index, status: .interrupted), at: time)
            currentStep = nil
        }
        for step in steps.indices {
            for call in steps[step].toolCalls.indices where steps[step].toolCalls[call].status == .interrupted {
                steps[step].toolCalls[call].endNanoseconds = time
            }
        }
        for call in toolCallsOutsideSteps.indices where toolCallsOutsideSteps[call].status == .interrupted {
            toolCallsOutsideSteps[call].endNanoseconds = time
        }
        cancelModelCallsInFlight(at: time)
        agentStopped = agentEnded
        endTime = time
        enter(.terminated, at: time)
        var effects = effects()
        effects.resumptions = terminationWaiters
        terminationWaiters = []
        return effects
    }

    private mutating func enter(_ phase: LifecyclePhase, at time: Nanoseconds) {
        history.append(PhaseTransition(phase: phase, atNanoseconds: time))
        emit(.stateEntered(phase), at: time)
    }

    /// Counts `kind` and, when events are built, queues it with the next sequence number.
    mutating func emit(_ kind: consuming OrchestrationEvent.Kind, at time: Nanoseconds) {
        counts.count(kind)
        queue(kind, at: time)
    }

    /// Numbers `kind` and queues it, when events are built.
    private mutating func queue(_ kind: consuming OrchestrationEvent.Kind, at time: Nanoseconds) {
        sequence += 1
        guard outbox.isEnabled else { return }
        outbox.append(
            OrchestrationEvent(
                executionID: identity.executionID,
                nodeID: identity.nodeID,
                metadata: identity.metadata,
                sequence: sequence,
                atNanoseconds: time,
                kind: kind
            )
        )
    }

    /// The effects of a mutation: the queued events, if this caller is to deliver them.
    mutating func effects() -> RunEffects {
        guard let events = outbox.take() else { return RunEffects() }
        var effects = RunEffects(events: events)
        effects.subscribers = outbox.subscribers
        return effects
    }

    /// A delivery finished with `dropped` drops; returns the events queued meanwhile, to deliver next.
    package mutating func delivered(dropped: Int) -> [OrchestrationEvent]? {
        counts.dropped += dropped
        return outbox.finishDelivery()
    }

    /// A delivery finished with `dropped` drops, having read the hub's subscribers as `subscribers`: keeps the
    /// snapshot for the next delivery and returns the events queued meanwhile, to deliver next.
    mutating func delivered(dropped: Int, subscribers: SubscriberSnapshot?) -> [OrchestrationEvent]? {
        outbox.subscribers = subscribers
        return delivered(dropped: dropped)
    }

    /// Queues the final event, with the report, after everything else.
    package mutating func finished(_ report: ExecutionReport) -> RunEffects {
        // Counted in the report already (it is made before this event exists).
        queue(.runFinished(report), at: report.durationNanoseconds)
        return effects()
    }

    // MARK: Record helpers for the extensions

    mutating func appendToolCall(_ call: ToolCallRecord) -> ToolCallPosition {
        if let current = currentStep {
            steps[current].toolCalls.append(call)
            return ToolCallPosition(step: current, call: steps[current].toolCalls.count - 1)
        }
        toolCallsOutsideSteps.append(call)
        return ToolCallPosition(step: nil, call: toolCallsOutsideSteps.count - 1)
    }

    mutating func updateToolCall(at position: ToolCallPosition, _ update: (inout ToolCallRecord) -> Void) {
        if let step = position.step {
            update(&steps[step].toolCalls[position.call])
        } else {
            update(&toolCallsOutsideSteps[position.call])
        }
    }

    /// The step being executed, if any.
    var currentStepIndex: Int? { currentStep }

    mutating func appendModelCallToStep(_ step: Int, _ call: ModelCallRecord) { steps[step].modelCalls.append(call) }

    func modelCallCount(inStep step: Int) -> Int { steps[step].modelCalls.count }

    mutating func updateModelCallInStep(_ step: Int, _ call: Int, _ update: (inout ModelCallRecord) -> Void) {
        update(&steps[step].modelCalls[call])
    }

    mutating func countToolBody() { toolBodies += 1 }
    mutating func countRefusal() { refusedToolCalls += 1 }
    mutating func countFailure() { failedToolCalls += 1 }

    mutating func addUsage(_ actual: ModelUsage) {
        usage += actual
        if let current = currentStep { steps[current].usage += actual }
    }
}
