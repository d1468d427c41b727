import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph

extension Orchestrator {
    /// Validates a graph against the registry and configuration and resolves each node to its candidate agents.
    static func resolve(
        _ graph: AgentGraph,
        registry: AgentRegistry,
        configuration: GraphConfiguration
    ) throws(OrchestrationError) -> [String: NodePlan] {
        do {
            try graph.taskGraph.validate()
        } catch {
            throw OrchestrationError(code: .invalidGraph, nodes: error.nodes, message: error.message)
        }
        try RoutingPlan.validate(graph)
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
        plans.reserveCapacity(graph.nodes.count)
        let shared = NodePlan.Graph(nodes: graph.nodes, attemptsPerAgent: configuration.retryPolicy.maxAttempts)
        for (index, node) in graph.nodes.enumerated() {
            let candidates: [NodePlan.Candidate]
            switch node.performer {
            case .agent:
                // The node's own agent: the plan reads it from the node, so no array is kept per node.
                candidates = []
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
            plans[node.id] = NodePlan(graph: shared, index: index, candidates: candidates)
        }
        return plans
    }
}

extension Orchestrator {
    /// The executor's retry policies: each node's own (or the configuration's) with its attempts doubled when a
    /// fallback agent may take over.
    ///
    /// Only the nodes whose policy is not the configuration's are listed: a table of every node cost about 230
    /// bytes a node. An invalid configuration policy is listed for every node all the same (with `.none` as the
    /// default), so the executor's error names the first node, as it always has.
    static func retryPolicies(
        _ graph: AgentGraph,
        plans: [String: NodePlan],
        configuration: GraphConfiguration
    ) -> (default: RetryPolicy, perNode: [String: RetryPolicy]) {
        let listsEvery = configuration.retryPolicy.problem != nil
        var perNode: [String: RetryPolicy] = [:]
        for node in graph.nodes {
            let own = node.retryPolicy ?? configuration.retryPolicy
            let candidates = plans[node.id]?.candidateCount ?? 1
            var policy = own
            let (attempts, overflow) = own.maxAttempts.multipliedReportingOverflow(by: min(candidates, 2))
            policy.maxAttempts = overflow ? Int.max : attempts
            if listsEvery || policy != configuration.retryPolicy { perNode[node.id] = policy }
        }
        return (listsEvery ? .none : configuration.retryPolicy, perNode)
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
    /// Each node's reports, by the node's index in the graph (a table, not a dictionary keyed by id: at 100,000
    /// nodes a dictionary cost about 60 bytes a node).
    var reports: [[ExecutionReport]]
    var stopReason: StopReason?
    /// Each routing node's decision, from its last succeeded attempt.
    var routes: [String: RouteDecision] = [:]
    /// The ledger tables the node reports share.
    private var ledgerTables = LedgerTables()
    /// The event counts and totals of the last report recorded, for the next with the same to share.
    private var lastEvents: OutOfLine<EventCounts>?
    private var lastTotals: OutOfLine<RunTotals>?

    /// A state for a graph of `count` nodes.
    init(nodes count: Int) { reports = Array(repeating: [], count: count) }

    /// Keeps `report` as an attempt of node number `node`, sharing what it has in common with the reports kept before (its
    /// ledger table, its event counts and totals when the same as the last report's): the report reads the same.
    mutating func record(_ report: ExecutionReport, node: Int) {
        var report = report
        ledgerTables.share(&report.ledgers)
        if let lastEvents, lastEvents == report.sharedEvents {
            report.sharedEvents = lastEvents
        } else {
            lastEvents = report.sharedEvents
        }
        if let lastTotals, lastTotals == report.sharedTotals {
            report.sharedTotals = lastTotals
        } else {
            lastTotals = report.sharedTotals
        }
        reports[node].append(report)
    }

    mutating func stop(_ reason: StopReason) {
        if stopReason == nil { stopReason = reason }
    }
}

/// How a node is performed: its candidate agents (primary first) and their slots.
///
/// A plan is small (24 bytes): it refers to the node in the graph's own node array, shared by every plan rather
/// than copied into each, and keeps candidates (and a lock for the choice among them) only for a `named` or
/// `capability` node; a node performed by its own agent reads it from the node.
struct NodePlan: Sendable {
    struct Candidate: Sendable {
        let agent: any Agent
        let slots: AgentSlots?
    }

    /// What every plan of a graph shares: the graph's nodes and the configuration's attempts per agent.
    final class Graph: Sendable {
        let nodes: [AgentGraph.Node]
        let attemptsPerAgent: Int

        init(nodes: [AgentGraph.Node], attemptsPerAgent: Int) {
            self.nodes = nodes
            self.attemptsPerAgent = attemptsPerAgent
        }
    }

    /// A `named` or `capability` node's candidates, primary first, and the choice among them.
    private final class Choices: Sendable {
        let candidates: [Candidate]
        /// The chosen primary and fallback candidates, by index: the primary at the first attempt (the first with
        /// a free slot), the fallback at the first attempt past the primary's share (the next after the primary
        /// in registration order, preferring one with a free slot). `nil` for one candidate: nothing to choose.
        let choice: LockedState<(primary: Int?, fallback: Int?)>?

        init(_ candidates: [Candidate]) {
            self.candidates = candidates
            choice = candidates.count > 1 ? LockedState((nil, nil)) : nil
        }
    }

    private let graph: Graph
    /// The node's index in the graph.
    let index: Int
    /// `nil` for an `agent` node, whose one candidate is its own agent (see ``pick(attempt:attemptsPerAgent:)``).
    private let choices: Choices?

    init(graph: Graph, index: Int, candidates: [Candidate]) {
        self.graph = graph
        self.index = index
        choices = candidates.isEmpty ? nil : Choices(candidates)
    }

    /// The node.
    var node: AgentGraph.Node { graph.nodes[index] }

    /// The attempts each candidate agent gets: the node's retry policy's, or the configuration's.
    var attemptsPerAgent: Int { node.retryPolicy?.maxAttempts ?? graph.attemptsPerAgent }

    /// How many agents may perform the node.
    var candidateCount: Int { max(1, choices?.candidates.count ?? 1) }

    /// The candidate for `attempt`: the primary for the first `attemptsPerAgent` attempts, then one fallback.
    func pick(attempt: Int, attemptsPerAgent: Int) -> Candidate {
        guard let choices else {
            guard case .agent(let agent) = node.performer else { preconditionFailure("a resolved node has an agent") }
            return Candidate(agent: agent, slots: nil)
        }
        let candidates = choices.candidates
        // One candidate is the primary and has no fallback.
        guard let choice = choices.choice else { return candidates[0] }
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
