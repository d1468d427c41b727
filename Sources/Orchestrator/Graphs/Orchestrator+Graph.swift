public import AgentAdapters
@_spi(Internals) public import AgentPolicy
import AgentTaskGraph

extension Orchestrator {
    /// Runs a graph of agents under one run-level policy and returns the graph report.
    ///
    /// Steps, tokens, tool calls, cost and the deadline form one ledger shared by every node, exact under
    /// concurrency; a node's own policy can only tighten it, and its limits cover all of the node's attempts. A node starts as soon as its dependencies succeed
    /// (no level barriers), with at most ``GraphConfiguration/maxConcurrency`` in flight. A policy violation in any
    /// node, or the deadline, stops the whole run: no new node starts, nodes in flight are cancelled, and the
    /// report says which limit stopped it. A node naming a capability runs the first agent offering it that has a
    /// free slot; after a retryable failure has used up its attempts, the next agent with that capability gets the
    /// same number of attempts (the report names the agent that produced the output).
    ///
    /// Everything is validated before any agent runs; only that validation throws.
    ///
    /// - Parameters:
    ///   - graph: The graph.
    ///   - task: The run's task, passed to every node's task builder (by default under the key `input` of the
    ///     node's task object).
    ///   - policy: The run-level policy.
    ///   - configuration: Scheduling settings.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others, if any.
    ///   - metadata: Values passed unchanged to every node's agent context.
    /// - Returns: The graph report.
    /// - Throws: ``OrchestrationError`` for an invalid graph, an unknown agent or a capability nobody offers.
    @concurrent
    public nonisolated func run(
        _ graph: AgentGraph,
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:]
    ) async throws(OrchestrationError) -> AgentGraphReport {
        let plans = try prepare(graph, policy: policy, configuration: configuration, registry: registry)
        let events = GraphEventEmitter(
            executionID: ids.next(),
            metadata: metadata,
            route: EventRoute(hub: hub, listeners: []),
            time: time
        )
        return try await runGraph(
            graph,
            plans: plans,
            task: task,
            policy: policy,
            configuration: configuration,
            sharedBudget: sharedBudget,
            events: events
        )
    }

    /// Starts a graph of agents and returns a handle at once: the graph's own events (and its node runs'), its
    /// cancellation, its report.
    ///
    /// The run proceeds as with ``run(_:task:policy:configuration:registry:sharedBudget:metadata:)``; the graph is
    /// validated here, before anything runs, so only this call throws for an invalid graph. The run belongs to the
    /// orchestrator, not to the calling task: cancel it with ``GraphRunHandle/cancel()``; ``shutdown()`` ends its
    /// node runs.
    ///
    /// - Parameters:
    ///   - graph: The graph.
    ///   - task: The run's task, passed to every node's task builder.
    ///   - policy: The run-level policy.
    ///   - configuration: Scheduling settings.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others, if any.
    ///   - metadata: Values passed unchanged to every node's agent context and every event.
    ///   - eventBufferSize: How many events the handle's stream buffers before it drops the oldest;
    ///     ``Configuration/eventBufferSize`` when `nil`.
    /// - Returns: The run's handle.
    /// - Throws: ``OrchestrationError`` for an invalid graph, an unknown agent or a capability nobody offers.
    public nonisolated func start(
        _ graph: AgentGraph,
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:],
        eventBufferSize: Int? = nil
    ) throws(OrchestrationError) -> GraphRunHandle {
        let plans = try prepare(graph, policy: policy, configuration: configuration, registry: registry)
        let listener = EventSubscriber(capacity: eventBufferSize ?? self.configuration.eventBufferSize)
        let events = GraphEventEmitter(
            executionID: ids.next(),
            metadata: metadata,
            route: EventRoute(hub: hub, listeners: [listener]),
            time: time
        )
        // The handle outlives this call: the graph runs in a task of its own (see RunHandle).
        let run = Task { @concurrent () -> Result<AgentGraphReport, OrchestrationError> in
            defer { listener.finish() }
            do throws(OrchestrationError) {
                return .success(
                    try await self.runGraph(
                        graph,
                        plans: plans,
                        task: task,
                        policy: policy,
                        configuration: configuration,
                        sharedBudget: sharedBudget,
                        events: events
                    )
                )
            } catch {
                return .failure(error)
            }
        }
        return GraphRunHandle(
            executionID: events.executionID,
            events: OrchestrationEventStream(subscription: EventSubscription(subscriber: listener) {}),
            task: run
        )
    }

    /// Validates everything a graph run needs before any agent runs.
    nonisolated func prepare(
        _ graph: AgentGraph,
        policy: StrictPolicy,
        configuration: GraphConfiguration,
        registry: AgentRegistry
    ) throws(OrchestrationError) -> [String: NodePlan] {
        let plans = try Self.resolve(graph, registry: registry, configuration: configuration)
        for policy in [policy] + graph.nodes.compactMap(\.policy) {
            if let error = tools.unknownNames(in: policy) { throw error }
        }
        return plans
    }

    /// Runs a validated graph; `durable` journals it (node runs in node journals) or feeds it from its journal.
    /// `deadline` is an enclosing run's deadline on the orchestrator's time scale (a workflow's), if earlier.
    @concurrent
    nonisolated func runGraph(
        _ graph: AgentGraph,
        plans: [String: NodePlan],
        task: JSONValue,
        policy: StrictPolicy,
        configuration: GraphConfiguration,
        sharedBudget: SharedBudget?,
        events: GraphEventEmitter,
        durable: GraphRecorder? = nil,
        deadline enclosing: Duration? = nil
    ) async throws(OrchestrationError) -> AgentGraphReport {
        let metadata = events.metadata
        let runBudget = SharedBudget(policy.budgetLimits, parent: sharedBudget)
        // A resumed graph's clock continues from its last journaled reading: time while it was down is not counted.
        let resumedAt = Duration.nanoseconds(durable?.resumedAt.rawValue ?? 0)
        let began = time.now()
        let start = began - resumedAt
        // A replay's report takes its times from the journal; its live deadline only stops node code that loops:
        // the full timeout from the replay's own start, not what the original graph had left.
        let guarded = durable?.isReplay == true ? began : start
        let deadline = enclosing.map { min($0, guarded + policy.timeout) } ?? guarded + policy.timeout
        let state = LockedState(GraphRunState(nodes: graph.nodes.count))
        let time = self.time
        // A node with its own policy gets one budget for all its attempts, drawing on the run's.
        let nodeBudgets: [String: SharedBudget] = graph.nodes.reduce(into: [:]) { budgets, node in
            if let own = node.policy { budgets[node.id] = SharedBudget(own.budgetLimits, parent: runBudget) }
        }

        let retries = Self.retryPolicies(graph, plans: plans, configuration: configuration)
        // A journaled graph pauses when node runs await approval, once nothing else can run.
        let pauses = durable.map { _ in GraphPauses(graph.taskGraph, maxConcurrency: configuration.maxConcurrency) }
        let executor = TaskGraphExecutor(
            configuration: TaskGraphExecutor.Configuration(
                maxConcurrency: configuration.maxConcurrency,
                failureMode: configuration.failureMode,
                // The deadline also covers what happens between node runs: backoff sleeps, waiting for a slot.
                runTimeout: max(.zero, deadline - began),
                retryPolicy: retries.default,
                nodeRetryPolicies: retries.perNode,
                outputNode: graph.outputNode,
                onEvent: { event in
                    events.emit(event)
                    // Journaled first: a listener that reacts to the event finds the decision recorded. What the
                    // executor settles because the graph paused is no decision: it is not journaled.
                    let isDecision = pauses?.observe(event) ?? true
                    if let durable, isDecision {
                        if case .nodeStarted(let node, let attempt, _) = event, let plan = plans[node] {
                            // The executor announces starts in start order: the journal holds them in that order.
                            let candidate = plan.pick(attempt: attempt, attemptsPerAgent: max(1, plan.attemptsPerAgent))
                            durable.recordStart(node: node, attempt: attempt, agent: candidate.agent.name)
                        } else {
                            durable.observe(event)
                        }
                    }
                }
            ),
            clock: clock
        )
        let routing = RoutingPlan(graph)
        var execution: TaskGraphReport<JSONValue>
        let body: @Sendable (NodeInvocation<JSONValue>) async throws -> JSONValue = { invocation in
            guard let plan = plans[invocation.node] else { throw CancellationError() }
            if time.now() >= deadline {
                // The deadline stops the graph; the executor reports this node cancelled.
                state.withLock { $0.stop(.timedOut(timeout: Nanoseconds(policy.timeout))) }
                throw CancellationError()
            }
            let attemptsPerAgent = max(1, plan.attemptsPerAgent)
            let candidate = plan.pick(attempt: invocation.attempt, attemptsPerAgent: attemptsPerAgent)
            if let slots = candidate.slots, !slots.hasFreeSlot {
                events.emit(.nodeWaitingForSlot(agent: candidate.agent.name), node: invocation.node)
                durable?.record(
                    .slotWaited,
                    node: invocation.node,
                    attempt: invocation.attempt,
                    ["agent": .string(candidate.agent.name)]
                )
            }
            let lease = try await candidate.slots?.acquire()
            defer { lease?.release() }
            let nodeTask =
                plan.node.task?(task, invocation.dependencyOutputs)
                ?? .object(["input": task, "dependencies": .object(invocation.dependencyOutputs)])
            let nodePolicy = plan.node.policy.map { policy.tightened(by: $0) } ?? policy
            let report: ExecutionReport
            if let durable {
                let run = DurableNodeRun(
                    // Derived from the journaled graph id, so a resumed graph gives a node the id it had.
                    executionID: "\(events.executionID).\(invocation.node).\(invocation.attempt)",
                    node: invocation.node,
                    attempt: invocation.attempt,
                    task: nodeTask,
                    policy: nodePolicy,
                    sharedBudget: nodeBudgets[invocation.node] ?? runBudget,
                    metadata: metadata,
                    deadline: deadline,
                    route: events.route
                )
                // A journal failure (a divergence, a store error) is recorded in `durable`; the graph stops.
                guard let journaled = await self.performDurableNode(candidate.agent, run, graph: durable) else {
                    throw AgentGraphStop()
                }
                report = journaled
            } else {
                report = await self.perform(
                    candidate.agent,
                    self.makeRuntime(
                        candidate.agent,
                        task: nodeTask,
                        policy: nodePolicy,
                        sharedBudget: nodeBudgets[invocation.node] ?? runBudget,
                        metadata: metadata,
                        nodeID: invocation.node,
                        deadline: deadline,
                        route: events.route
                    )
                )
            }
            state.withLock { $0.record(report, node: plan.index) }
            if let pauses, report.status == .awaitingApproval, let request = report.pendingApproval {
                // Paused: the other nodes that can still run do first; then the graph stops, awaiting approval.
                await pauses.pause(node: invocation.node, attempt: invocation.attempt, request: request)
                guard pauses.pending != nil else { throw CancellationError() }
                throw AgentGraphStop()
            }
            switch report.stopReason {
            case .completed:
                let output = report.finalOutput ?? .null
                guard !routing.isEmpty else { return output }
                // A journaled decision is followed, not taken again: predicates and routers need not be pure.
                if let journaled = durable?.journaledRoute(node: invocation.node, attempt: invocation.attempt) {
                    state.withLock { $0.routes[invocation.node] = journaled }
                    return output
                }
                let decision: RouteDecision?
                do throws(RoutingFailure) {
                    decision = try routing.decide(invocation.node, output: output)
                } catch {
                    throw AgentNodeFailure(report: ErrorRecord(type: "RoutingError", message: error.message))
                }
                if let decision {
                    durable?.record(.routed, node: invocation.node, attempt: invocation.attempt, decision.fields)
                    state.withLock { $0.routes[invocation.node] = decision }
                }
                return output
            case .policyViolation(let violation, _):
                state.withLock { $0.stop(.policyViolation(violation: violation, node: invocation.node)) }
                throw AgentGraphStop()
            case .timedOut where time.now() >= deadline, .cancelled where time.now() >= deadline:
                // The graph's deadline ended this node's run (the run's own timer or the executor's, whichever
                // fired first): the node is cancelled by the deadline, the graph is timed out.
                state.withLock { $0.stop(.timedOut(timeout: Nanoseconds(policy.timeout))) }
                throw CancellationError()
            case .cancelled:
                throw CancellationError()
            case .shutdown:
                // The orchestrator is shutting down: the whole graph stops, and says why.
                state.withLock { $0.stop(.shutdown) }
                throw AgentGraphStop()
            case .invalidPolicy(let error), .journalFailed(let error):
                throw AgentNodeFailure(report: error, isRetryable: false)
            case .agentFailed(let error), .toolFailed(let error):
                throw AgentNodeFailure(report: error, isRetryable: error.isRetryable)
            case .timedOut, .rejected, .nodeFailed, .awaitingApproval:
                throw AgentNodeFailure(report: ErrorRecord(type: "StopReason", message: "\(report.stopReason)"))
            }
        }
        do {
            if routing.isEmpty {
                execution = try await executor.run(graph.taskGraph, body: body)
            } else {
                execution = try await executor.run(
                    graph.taskGraph,
                    routing: { node, _ in state.withLock { $0.routes[node].map { Set($0.taken) } } },
                    body: body
                )
            }
        } catch {
            // The graph was validated above; what is left is a configuration the executor refuses (a retry policy).
            let code: OrchestrationError.Code =
                error.code == .invalidConfiguration ? .invalidConfiguration : .invalidGraph
            throw OrchestrationError(code: code, nodes: error.nodes, message: error.message)
        }

        let recorded = state.withLock { $0 }
        if case .timedOut? = recorded.stopReason, execution.status == .failed {
            // The graph's deadline ended it, noticed by a node first (its run reached the deadline, or a node
            // started past it) rather than by the executor's own timer: which comes first is a race, and the
            // execution timed out either way, so the report says so whichever won (a replay then gives the same).
            execution.status = .timedOut
        }
        var stopReason: StopReason
        switch execution.status {
        case .succeeded: stopReason = .completed
        case .cancelled: stopReason = recorded.stopReason ?? .cancelled
        case .timedOut: stopReason = .timedOut(timeout: Nanoseconds(policy.timeout))
        case .stopped: stopReason = recorded.stopReason ?? .cancelled
        case .awaitingApproval, .failed:
            let failed = execution.nodes.first { $0.status == .failed || $0.status == .timedOut }
            stopReason = recorded.stopReason ?? .nodeFailed(node: failed?.id ?? "")
        }
        let pending = pauses?.pending
        if let first = pending?.first {
            stopReason = .awaitingApproval(tool: first.request.tool, callID: first.request.callID)
        }
        if let durable {
            if let pending {
                durable.recordPause(pending)
            } else {
                durable.record(
                    .graphFinished,
                    node: nil,
                    attempt: nil,
                    ["stopReason": RunJournalEntry.encode(stopReason)]
                )
            }
            // The report's times are the journal's, so a resumed or replayed graph reports the recorded ones.
            execution = durable.retimed(execution, graph: graph.taskGraph)
        }
        var ledger = runBudget.ledger.lines
        ledger.append(
            BudgetLine(
                budget: "timeNanoseconds",
                limit: Nanoseconds(policy.timeout).rawValue,
                used: execution.durationNanoseconds.rawValue
            )
        )
        var report = AgentGraphReport(
            executionID: events.executionID,
            status: stopReason.status,
            stopReason: stopReason,
            finalOutput: execution.finalOutput,
            nodes: execution.nodes.map { record in
                let attempts = plans[record.id].map { recorded.reports[$0.index] } ?? []
                return AgentGraphReport.NodeRecord(
                    id: record.id,
                    status: record.status,
                    agent: attempts.last?.agentName,
                    attempts: attempts,
                    output: record.output,
                    routedTo: record.status == .succeeded ? recorded.routes[record.id]?.taken : nil,
                    skipReason: record.status == .skippedByBranch
                        ? Self.skipReason(of: record.id, in: graph, execution: execution, routes: recorded.routes)
                        : nil
                )
            },
            execution: execution,
            ledger: ledger
        )
        report.pendingApprovals = pending
        if let durable {
            await durable.flush()
            report.journalHeadHash = durable.headHash
        }
        events.emit(.graphFinished(report), node: nil)
        return report
    }
}
