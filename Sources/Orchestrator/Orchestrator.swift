public import AgentAdapters
public import AgentPolicy

/// Runs agents under a `StrictPolicy` and returns an ``ExecutionReport`` for every outcome.
///
/// Each run goes through INIT → PLAN → EXECUTE → REVIEW → TERMINATE. Steps, tool calls, tokens and cost are
/// reserved from the run's budget before the work starts; the run's timeout cancels in-flight work and the report
/// comes back at the deadline, also when the agent ignores cancellation. An orchestrator serves any number of
/// sequential and concurrent runs; runs share nothing unless you pass them one `SharedBudget`.
///
/// ```swift
/// let orchestrator = try Orchestrator(tools: [calculator])
/// let report = await orchestrator.run(agent, task: "What is 2+2?", policy: try StrictPolicy(maxSteps: 5))
/// print(report.status, report.finalOutput ?? "none")
/// ```
///
/// Inject a `ManualClock` and a seeded ``ExecutionIDGenerator`` for deterministic tests: two identical runs
/// then encode to byte-identical JSON.
///
/// The orchestrator never uses the main actor. ``run(_:task:policy:sharedBudget:metadata:)`` runs on the global
/// concurrent executor and may be called from any context; cancelling the calling task cancels the run.
public actor Orchestrator {
    /// Where agents' code runs.
    public enum AgentExecution: Hashable, Sendable {
        /// On threads of the orchestrator's own, made on demand up to `maximumThreads`. An agent that never yields
        /// (a busy loop) then occupies one of these threads, never one of Swift's cooperative pool, so the deadline
        /// and everything else keep running even when several agents spin at once. The default.
        case dedicatedThreads(maximumThreads: Int)
        /// On Swift's shared cooperative pool: a little faster per run, but as many busy-looping agents as there are
        /// cores starve the pool, and then deadlines fire only when a loop ends.
        case sharedPool
    }

    /// Settings for an orchestrator.
    public struct Configuration: Sendable {
        /// How many events each subscriber's stream buffers before it drops the oldest; 4,096 by default.
        public var eventBufferSize: Int = 4096
        /// Where agents' code runs; dedicated threads (at most 64) by default.
        public var agentExecution: AgentExecution = .dedicatedThreads(maximumThreads: 64)

        /// Creates the default configuration.
        public init() {}
    }

    /// The tools every run may call (subject to its policy).
    public nonisolated let tools: ToolRegistry
    /// The orchestrator's settings.
    public nonisolated let configuration: Configuration
    nonisolated let time: TimeSource
    nonisolated let clock: any Clock<Duration>
    nonisolated let ids: ExecutionIDGenerator
    nonisolated let hub = EventHub()
    nonisolated let agentThreads: AgentThreadPool?

    /// Creates an orchestrator.
    ///
    /// - Parameters:
    ///   - tools: The tools agents may call, by name.
    ///   - clock: The clock for timeouts, sleeps and report times; a `ManualClock` in tests.
    ///   - idGenerator: Makes execution ids; random by default.
    ///   - configuration: Other settings.
    /// - Throws: `ToolError` for a duplicate or badly named tool, listing what is registered.
    public init(
        tools: [any Tool] = [],
        clock: some Clock<Duration> = ContinuousClock(),
        idGenerator: ExecutionIDGenerator = .random(),
        configuration: Configuration = Configuration()
    ) throws(ToolError) {
        self.tools = try ToolRegistry(tools)
        self.time = TimeSource(clock)
        self.clock = clock
        self.ids = idGenerator
        self.configuration = configuration
        switch configuration.agentExecution {
        case .dedicatedThreads(let maximum): agentThreads = AgentThreadPool(maximum: maximum)
        case .sharedPool: agentThreads = nil
        }
    }

    deinit { hub.finish() }

    /// Subscribes to the events of every run, from now on.
    ///
    /// Each call returns a new stream. Delivery never waits for the subscriber: when its buffer is full, the oldest
    /// event is dropped, and the run's report counts the drop. The stream finishes when the orchestrator is
    /// released; releasing the stream (and its iterator) ends the subscription.
    ///
    /// - Parameter capacity: The buffer size; ``Configuration/eventBufferSize`` when `nil`.
    /// - Returns: The stream of events.
    public nonisolated func events(bufferingNewest capacity: Int? = nil) -> OrchestrationEventStream {
        hub.subscribe(bufferingNewest: capacity ?? configuration.eventBufferSize)
    }

    /// Runs `agent` on `task` under `policy` and returns the report, whatever happens.
    ///
    /// The run never throws: agent errors, tool errors, policy stops, the timeout and cancellation all end in a
    /// report with the matching ``StopReason``. At the deadline, or when the calling task is cancelled, the agent's
    /// task is cancelled and the report returns at once; an agent that ignores cancellation is abandoned (see
    /// ``ExecutionReport/agentStopped``) and released when it ends.
    ///
    /// - Parameters:
    ///   - agent: The agent to run.
    ///   - task: The task, passed to the agent's plan.
    ///   - policy: The run's limits; `StrictPolicy()` gives finite defaults.
    ///   - sharedBudget: A budget this run shares with others; every reservation must also succeed there.
    ///   - metadata: Values passed unchanged to the agent's context and the report.
    /// - Returns: The run's report.
    @concurrent
    public nonisolated func run(
        _ agent: some Agent,
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:]
    ) async -> ExecutionReport {
        await execute(
            agent,
            task: task,
            policy: policy,
            sharedBudget: sharedBudget,
            metadata: metadata,
            nodeID: nil,
            deadline: nil
        )
    }

    @concurrent
    nonisolated func execute(
        _ agent: some Agent,
        task: JSONValue,
        policy: StrictPolicy,
        sharedBudget: SharedBudget?,
        metadata: [String: JSONValue],
        nodeID: String?,
        deadline: Duration?
    ) async -> ExecutionReport {
        let controller = RunController(
            executionID: ids.next(),
            agentName: agent.name,
            nodeID: nodeID,
            task: task,
            metadata: metadata,
            policy: policy,
            sharedBudget: sharedBudget,
            tools: tools,
            time: time,
            hub: hub,
            deadline: deadline
        )
        controller.begin()
        if Task.isCancelled {
            controller.terminate(.cancelled, agentEnded: true)
        } else {
            await Self.superviseAgent(agent, controller, on: agentThreads)
        }
        let report = controller.makeReport()
        controller.publishFinished(report)
        return report
    }

    /// Runs the agent in its own task and returns when the run terminates: the agent finishing, the deadline,
    /// the caller's cancellation, or a policy stop, whichever comes first.
    ///
    /// This is the library's one unstructured task (the deadline escape): a task group cannot return before its
    /// children end, so an agent that ignores cancellation would hold the run past its deadline. The task is made
    /// here, in a nonisolated function, so it never runs on an actor; it is cancelled when the run ends and is
    /// released when the agent's code returns.
    @concurrent
    private static func superviseAgent(
        _ agent: some Agent,
        _ controller: RunController,
        on threads: AgentThreadPool?
    ) async {
        let work = Task(executorPreference: threads) { await drive(agent, controller) }
        let time = controller.time
        let deadline = controller.deadline
        let timeout = Nanoseconds(deadline - controller.start)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do { try await time.sleepUntil(deadline) } catch { return }
                let violation = PolicyViolation(
                    limit: .timeout,
                    limitValue: timeout.rawValue,
                    attempted: Nanoseconds(time.now() - controller.start).rawValue
                )
                controller.terminate(.timedOut(timeout: timeout), violation: violation)
            }
            await withTaskCancellationHandler {
                await controller.waitForTermination()
            } onCancel: {
                controller.terminate(.cancelled)
            }
            group.cancelAll()
        }
        work.cancel()
    }

    /// Drives the lifecycle: performs each action the machine returns and feeds the result back.
    private static func drive(_ agent: some Agent, _ controller: RunController) async {
        let context = AgentContext(
            executionID: controller.executionID,
            agentName: agent.name,
            task: controller.task,
            metadata: controller.metadata,
            tools: controller.policy.allowedTools.isEmpty && controller.policy.deniedTools.isEmpty
                ? controller.tools.descriptions
                : controller.tools.descriptions.filter { description in
                    (try? controller.policy.checkPermission(toCall: description.name)) != nil
                },
            nodeID: controller.nodeID,
            backend: controller
        )
        var action = controller.startLifecycle()
        while let current = action {
            do {
                switch current {
                case .plan(let request):
                    let steps = try await agent.plan(request, context: context)
                    action = controller.planReady(steps)
                case .execute(let step):
                    guard controller.beginStep(step) else { return }
                    let result = try await agent.execute(step, context: context)
                    action = controller.stepFinished(result)
                case .review(let request):
                    let decision = try await agent.review(request, context: context)
                    action = controller.reviewed(decision)
                case .terminate:
                    return
                }
            } catch {
                controller.agentThrew(error)
                return
            }
        }
    }
}
