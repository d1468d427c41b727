public import AgentAdapters
public import AgentPolicy

extension Orchestrator {
    /// Runs `agent` on `task` under `policy` and returns the report, whatever happens.
    ///
    /// The run never throws: agent errors, tool errors, policy stops, the timeout and cancellation all end in a
    /// report with the matching ``StopReason``. At the deadline, or when the calling task is cancelled, the agent's
    /// task is cancelled and the report returns at once; an agent that ignores cancellation is abandoned (see
    /// ``ExecutionReport/agentStopped``) and released when it ends.
    ///
    /// Before any agent code runs, exact tool names in the policy's allow and deny lists and per-tool caps must
    /// name registered tools (wildcard patterns may match nothing); otherwise the report comes back at once with
    /// ``StopReason/invalidPolicy(error:)`` naming the entry and the registered tools. After ``shutdown()`` the
    /// report comes back at once with ``StopReason/shutdown``.
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
        await perform(
            agent,
            makeRuntime(
                agent,
                task: task,
                policy: policy,
                sharedBudget: sharedBudget,
                metadata: metadata,
                nodeID: nil,
                deadline: nil
            )
        )
    }

    /// Starts `agent` on `task` under `policy` and returns a handle at once: the run's own events, its
    /// cancellation, its report.
    ///
    /// The run proceeds exactly as with ``run(_:task:policy:sharedBudget:metadata:)``; the handle's
    /// ``RunHandle/events`` carries only this run's events, from `runStarted` to `runFinished`, buffered and counted
    /// like the orchestrator-wide stream. The run belongs to the orchestrator, not to the calling task: cancelling
    /// the caller does not cancel it (call ``RunHandle/cancel()``), and ``shutdown()`` ends it and waits for it.
    ///
    /// - Parameters:
    ///   - agent: The agent to run.
    ///   - task: The task, passed to the agent's plan.
    ///   - policy: The run's limits.
    ///   - sharedBudget: A budget this run shares with others.
    ///   - metadata: Values passed unchanged to the agent's context, the report and every event.
    ///   - eventBufferSize: How many events the handle's stream buffers before it drops the oldest;
    ///     ``Configuration/eventBufferSize`` when `nil`.
    /// - Returns: The run's handle.
    public nonisolated func start(
        _ agent: some Agent,
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:],
        eventBufferSize: Int? = nil
    ) -> RunHandle {
        let listener = EventSubscriber(capacity: eventBufferSize ?? configuration.eventBufferSize)
        let runtime = makeRuntime(
            agent,
            task: task,
            policy: policy,
            sharedBudget: sharedBudget,
            metadata: metadata,
            nodeID: nil,
            deadline: nil,
            route: EventRoute(hub: hub, listeners: [listener])
        )
        // The handle outlives this call, so the run cannot be a child of the caller's task; the orchestrator keeps
        // it in its run table, and shutdown() ends it and waits for it.
        let report = Task { @concurrent in
            let report = await self.perform(agent, runtime)
            listener.finish()
            return report
        }
        return RunHandle(
            executionID: runtime.identity.executionID,
            events: OrchestrationEventStream(subscription: EventSubscription(subscriber: listener) {}),
            runtime: runtime,
            report: report
        )
    }

    nonisolated func makeRuntime(
        _ agent: some Agent,
        task: JSONValue,
        policy: StrictPolicy,
        sharedBudget: SharedBudget?,
        metadata: [String: JSONValue],
        nodeID: String?,
        deadline: Duration?,
        route: EventRoute? = nil
    ) -> RunRuntime {
        RunRuntime(
            identity: RunStateMachine.Identity(
                executionID: ids.next(),
                agentName: agent.name,
                nodeID: nodeID,
                task: task,
                metadata: metadata
            ),
            policy: policy,
            sharedBudget: sharedBudget,
            tools: tools,
            time: time,
            route: route ?? EventRoute(hub: hub, listeners: []),
            deadline: deadline
        )
    }

    /// Runs the lifecycle of an admitted run, or ends it at once; makes and publishes the report.
    @concurrent
    nonisolated func perform(_ agent: some Agent, _ runtime: RunRuntime) async -> ExecutionReport {
        runtime.begin()
        let admitted = await admit(runtime)
        // A run that may not start ends at once, before any agent code, with the reason.
        let refusal: StopReason? =
            if !admitted {
                .shutdown
            } else if let error = tools.unknownNames(in: runtime.policy) {
                .invalidPolicy(
                    error: ErrorRecord(
                        type: "OrchestrationError",
                        message: error.message,
                        code: error.code.rawValue,
                        tool: error.name
                    )
                )
            } else if Task.isCancelled {
                .cancelled
            } else {
                nil
            }
        if let refusal {
            runtime.terminate(refusal, agentEnded: true)
            runtime.agentWorkEnded()
        } else {
            await Self.superviseAgent(agent, runtime, on: agentThreads)
        }
        let report = runtime.makeReport()
        runtime.publishFinished(report)
        if admitted { await retire(runtime) }
        return report
    }

    /// Runs the agent in its own task and returns when the run terminates: the agent finishing, the deadline,
    /// the caller's cancellation, or a policy stop, whichever comes first.
    ///
    /// This is the library's one unstructured task per run (the deadline escape): a task group cannot return
    /// before its children end, so an agent that ignores cancellation would hold the run past its deadline. The
    /// task is made here, in a nonisolated function, so it never runs on an actor; it is cancelled when the run
    /// ends and is released when the agent's code returns.
    @concurrent
    static func superviseAgent(
        _ agent: some Agent,
        _ runtime: RunRuntime,
        on threads: AgentThreadPool?
    ) async {
        let work = Task(executorPreference: threads) {
            await drive(agent, runtime)
            runtime.agentWorkEnded()
        }
        if let timer = runtime.time.deadlineTimer, let ticket = timer.schedule(runtime, at: runtime.deadline) {
            await withTaskCancellationHandler {
                await runtime.waitForTermination()
            } onCancel: {
                runtime.terminate(.cancelled)
            }
            timer.cancel(ticket)
            work.cancel()
            return
        }
        // An injected clock: a sleeper on it until the deadline, beside the wait.
        let time = runtime.time
        let deadline = runtime.deadline
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do { try await time.sleepUntil(deadline) } catch { return }
                runtime.expire()
            }
            await withTaskCancellationHandler {
                await runtime.waitForTermination()
            } onCancel: {
                runtime.terminate(.cancelled)
            }
            group.cancelAll()
        }
        work.cancel()
    }

    /// Drives the lifecycle: performs each action the machine returns and feeds the result back.
    private static func drive(_ agent: some Agent, _ runtime: RunRuntime) async {
        let policy = runtime.policy
        let descriptions = runtime.tools.descriptions
        let context = AgentContext(
            executionID: runtime.identity.executionID,
            agentName: agent.name,
            task: runtime.identity.task,
            metadata: runtime.identity.metadata,
            tools: policy.allowedTools.isEmpty && policy.deniedTools.isEmpty
                ? descriptions
                : descriptions.filter { (try? policy.checkPermission(toCall: $0.name)) != nil },
            nodeID: runtime.identity.nodeID,
            backend: runtime
        )
        var action = runtime.startLifecycle()
        while let current = action {
            do {
                switch current {
                case .plan(let request):
                    let steps = try await agent.plan(request, context: context)
                    action = runtime.planReady(steps)
                case .execute(let step):
                    guard runtime.beginStep(step) else { return }
                    let result = try await agent.execute(step, context: context)
                    action = runtime.stepFinished(result)
                case .review(let request):
                    let decision = try await agent.review(request, context: context)
                    action = runtime.reviewed(decision)
                case .terminate:
                    return
                }
            } catch {
                runtime.agentThrew(error)
                return
            }
        }
    }
}

extension ToolRegistry {
    /// The first exact tool name in `policy` (allow list, deny list, per-tool caps) that names no registered tool.
    ///
    /// Wildcard patterns may match nothing; an exact name that matches nothing is almost always a typo, found here
    /// before any work instead of after the run has spent its budget.
    func unknownNames(in policy: StrictPolicy) -> OrchestrationError? {
        // The common policy names no tool at all: nothing to check, nothing to build.
        if policy.allowedTools.isEmpty, policy.deniedTools.isEmpty, policy.maxCallsPerTool.isEmpty { return nil }
        let exact: [(field: String, name: String)] =
            policy.allowedTools.map { ("allowedTools", $0.description) }
            + policy.deniedTools.map { ("deniedTools", $0.description) }
            + policy.maxCallsPerTool.keys.sorted().map { ("maxCallsPerTool", $0) }
        for entry in exact where !entry.name.contains("*") && (try? tool(named: entry.name)) == nil {
            return OrchestrationError(
                code: .unknownToolInPolicy,
                name: entry.name,
                registered: names,
                message: "the policy's \(entry.field) names \"\(entry.name)\", which is not a registered tool "
                    + "(\(OrchestrationError.listing(names))); fix the name or register the tool"
            )
        }
        return nil
    }
}
