public import AgentAdapters
public import AgentPolicy
public import AgentTaskGraph

extension Orchestrator {
    /// How a graph of agents is scheduled.
    public struct GraphConfiguration: Sendable {
        /// The most node runs in flight at once; at least 1.
        public var maxConcurrency: Int
        /// What a failed node does to the rest of the graph.
        public var failureMode: TaskGraphExecutor.FailureMode
        /// How often to try a node whose agent fails with a retryable error, unless the node says otherwise.
        public var retryPolicy: RetryPolicy

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - maxConcurrency: The most node runs in flight at once.
        ///   - failureMode: What a failed node does to the rest of the graph.
        ///   - retryPolicy: How often to try a node on retryable failures.
        public init(
            maxConcurrency: Int = 8,
            failureMode: TaskGraphExecutor.FailureMode = .failFast,
            retryPolicy: RetryPolicy = .none
        ) {
            self.maxConcurrency = maxConcurrency
            self.failureMode = failureMode
            self.retryPolicy = retryPolicy
        }
    }

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
        let plans = try Self.resolve(graph, registry: registry, configuration: configuration)
        for policy in [policy] + graph.nodes.compactMap(\.policy) {
            if let error = tools.unknownNames(in: policy) { throw error }
        }
        let runBudget = SharedBudget(policy.budgetLimits, parent: sharedBudget)
        let start = time.now()
        let deadline = start + policy.timeout
        let state = LockedState(GraphRunState())
        let time = self.time
        // A node with its own policy gets one budget for all its attempts, drawing on the run's.
        let nodeBudgets: [String: SharedBudget] = graph.nodes.reduce(into: [:]) { budgets, node in
            if let own = node.policy { budgets[node.id] = SharedBudget(own.budgetLimits, parent: runBudget) }
        }

        var retryPolicies: [String: RetryPolicy] = [:]
        for node in graph.nodes {
            let own = node.retryPolicy ?? configuration.retryPolicy
            let candidates = plans[node.id]?.candidates.count ?? 1
            var policy = own
            let (attempts, overflow) = own.maxAttempts.multipliedReportingOverflow(by: min(candidates, 2))
            policy.maxAttempts = overflow ? Int.max : attempts
            retryPolicies[node.id] = policy
        }
        let executor = TaskGraphExecutor(
            configuration: TaskGraphExecutor.Configuration(
                maxConcurrency: configuration.maxConcurrency,
                failureMode: configuration.failureMode,
                // The deadline also covers what happens between node runs: backoff sleeps, waiting for a slot.
                runTimeout: policy.timeout,
                nodeRetryPolicies: retryPolicies,
                outputNode: graph.outputNode
            ),
            clock: clock
        )
        let execution: TaskGraphReport<JSONValue>
        do {
            execution = try await executor.run(graph.taskGraph) { (invocation: NodeInvocation<JSONValue>) in
                guard let plan = plans[invocation.node] else { throw CancellationError() }
                if time.now() >= deadline {
                    // The deadline stops the graph; the executor reports this node cancelled.
                    state.withLock { $0.stop(.timedOut(timeout: Nanoseconds(policy.timeout))) }
                    throw CancellationError()
                }
                let attemptsPerAgent = max(1, plan.attemptsPerAgent)
                let candidate = plan.pick(attempt: invocation.attempt, attemptsPerAgent: attemptsPerAgent)
                let lease = try await candidate.slots?.acquire()
                defer { lease?.release() }
                let nodeTask =
                    plan.node.task?(task, invocation.dependencyOutputs)
                    ?? .object(["input": task, "dependencies": .object(invocation.dependencyOutputs)])
                let nodePolicy = plan.node.policy.map { policy.tightened(by: $0) } ?? policy
                let report = await self.execute(
                    candidate.agent,
                    task: nodeTask,
                    policy: nodePolicy,
                    sharedBudget: nodeBudgets[invocation.node] ?? runBudget,
                    metadata: metadata,
                    nodeID: invocation.node,
                    deadline: deadline
                )
                state.withLock { $0.record(report, node: invocation.node) }
                switch report.stopReason {
                case .completed:
                    return report.finalOutput ?? .null
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
                case .invalidPolicy(let error):
                    throw AgentNodeFailure(report: error, isRetryable: false)
                case .agentFailed(let error), .toolFailed(let error):
                    throw AgentNodeFailure(report: error, isRetryable: error.isRetryable)
                case .timedOut, .rejected, .nodeFailed:
                    throw AgentNodeFailure(report: ErrorRecord(type: "StopReason", message: "\(report.stopReason)"))
                }
            }
        } catch {
            // The graph was validated above; what is left is a configuration the executor refuses (a retry policy).
            let code: OrchestrationError.Code =
                error.code == .invalidConfiguration ? .invalidConfiguration : .invalidGraph
            throw OrchestrationError(code: code, nodes: error.nodes, message: error.message)
        }

        let recorded = state.withLock { $0 }
        var ledger = runBudget.ledger.lines
        ledger.append(
            BudgetLine(
                budget: "timeNanoseconds",
                limit: Nanoseconds(policy.timeout).rawValue,
                used: execution.durationNanoseconds.rawValue
            )
        )
        let stopReason: StopReason
        switch execution.status {
        case .succeeded: stopReason = .completed
        case .cancelled: stopReason = recorded.stopReason ?? .cancelled
        case .timedOut: stopReason = .timedOut(timeout: Nanoseconds(policy.timeout))
        case .stopped: stopReason = recorded.stopReason ?? .cancelled
        case .failed:
            let failed = execution.nodes.first { $0.status == .failed || $0.status == .timedOut }
            stopReason = recorded.stopReason ?? .nodeFailed(node: failed?.id ?? "")
        }
        return AgentGraphReport(
            status: stopReason.status,
            stopReason: stopReason,
            finalOutput: execution.finalOutput,
            nodes: execution.nodes.map { record in
                let attempts = recorded.reports[record.id, default: []]
                return AgentGraphReport.NodeRecord(
                    id: record.id,
                    status: record.status,
                    agent: attempts.last?.agentName,
                    attempts: attempts,
                    output: record.output
                )
            },
            execution: execution,
            ledger: ledger
        )
    }

    private static func resolve(
        _ graph: AgentGraph,
        registry: AgentRegistry,
        configuration: GraphConfiguration
    ) throws(OrchestrationError) -> [String: NodePlan] {
        do {
            try graph.taskGraph.validate()
        } catch {
            throw OrchestrationError(code: .invalidGraph, nodes: error.nodes, message: error.message)
        }
        if let output = graph.outputNode, !graph.nodes.contains(where: { $0.id == output }) {
            throw OrchestrationError(
                code: .invalidGraph,
                nodes: [output],
                message: "the output node \"\(output)\" is not a node of the graph"
            )
        }
        guard configuration.maxConcurrency >= 1 else {
            throw OrchestrationError(
                code: .invalidConfiguration,
                message: "maxConcurrency is \(configuration.maxConcurrency); it must be at least 1"
            )
        }
        var plans: [String: NodePlan] = [:]
        for node in graph.nodes {
            let candidates: [NodePlan.Candidate]
            switch node.performer {
            case .agent(let agent):
                candidates = [NodePlan.Candidate(agent: agent, slots: nil)]
            case .named(let name):
                guard let entry = registry.entry(name) else {
                    throw OrchestrationError(
                        code: .unknownAgent,
                        nodes: [node.id],
                        name: name,
                        registered: registry.names,
                        message: "node \"\(node.id)\" names agent \"\(name)\", which is not registered "
                            + "(\(OrchestrationError.listing(registry.names)))"
                    )
                }
                candidates = [NodePlan.Candidate(agent: entry.agent, slots: entry.slots)]
            case .capability(let capability):
                let names = registry.agents(offering: capability)
                guard !names.isEmpty else {
                    throw OrchestrationError(
                        code: .noAgentForCapability,
                        nodes: [node.id],
                        name: capability,
                        registered: registry.capabilities,
                        message: "node \"\(node.id)\" needs capability \"\(capability)\", which no registered agent "
                            + "offers (offered: \(registry.capabilities.joined(separator: ", ")))"
                    )
                }
                candidates = names.compactMap { registry.entry($0) }.map {
                    NodePlan.Candidate(agent: $0.agent, slots: $0.slots)
                }
            }
            plans[node.id] = NodePlan(
                node: node,
                candidates: candidates,
                attemptsPerAgent: (node.retryPolicy ?? configuration.retryPolicy).maxAttempts,
                choice: LockedState((nil, nil))
            )
        }
        return plans
    }
}

/// The stop signal a node throws when the whole graph must stop (a policy violation or the deadline).
struct AgentGraphStop: TaskGraphStopSignal {}

/// A node's agent run failed; retryable when the agent's error said so.
struct AgentNodeFailure: RetryableError, CustomStringConvertible {
    var report: ErrorRecord
    var isRetryable = false
    var retryAfter: Duration? { report.retryAfterNanoseconds?.duration }
    var description: String { report.description }
}

/// What a graph run collects while it goes: each node's reports, and the first reason to stop.
struct GraphRunState: Sendable {
    var reports: [String: [ExecutionReport]] = [:]
    var stopReason: StopReason?

    mutating func record(_ report: ExecutionReport, node: String) { reports[node, default: []].append(report) }

    mutating func stop(_ reason: StopReason) {
        if stopReason == nil { stopReason = reason }
    }
}

/// How a node is performed: its candidate agents (primary first) and their slots.
struct NodePlan: Sendable {
    struct Candidate: Sendable {
        let agent: any Agent
        let slots: AgentSlots?
    }

    let node: AgentGraph.Node
    let candidates: [Candidate]
    let attemptsPerAgent: Int
    /// The chosen primary and fallback candidates, by index: the primary at the first attempt (the first with a free
    /// slot), the fallback at the first attempt past the primary's share (the next after the primary in
    /// registration order, preferring one with a free slot).
    let choice: LockedState<(primary: Int?, fallback: Int?)>

    /// The candidate for `attempt`: the primary for the first `attemptsPerAgent` attempts, then one fallback.
    func pick(attempt: Int, attemptsPerAgent: Int) -> Candidate {
        let index = choice.withLock { choice in
            let primary = choice.primary ?? candidates.firstIndex { $0.slots?.hasFreeSlot ?? true } ?? 0
            choice.primary = primary
            guard attempt > attemptsPerAgent, candidates.count > 1 else { return primary }
            if let fallback = choice.fallback { return fallback }
            let others = (1..<candidates.count).map { (primary + $0) % candidates.count }
            let fallback = others.first { candidates[$0].slots?.hasFreeSlot ?? true } ?? others[0]
            choice.fallback = fallback
            return fallback
        }
        return candidates[index]
    }
}
