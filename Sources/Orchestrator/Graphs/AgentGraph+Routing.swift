public import AgentAdapters
import AgentPolicy
public import AgentTaskGraph

extension AgentGraph {
    /// A routing function: reads a router node's output and returns the ids of the successors to take.
    public typealias RouterFunction = @Sendable (_ output: JSONValue) -> [String]

    /// How a router node chooses which of its successors to take, by their node ids.
    ///
    /// Two ways a user reaches for:
    ///
    /// - ``output(_:otherwise:)``: the node's agent names them in its output, a string or an array of strings at
    ///   a JSON path (a classifier answering `{"category": "billing"}` routes with `.output("$.category")` to the
    ///   successor whose id is `billing`).
    /// - ``function(_:otherwise:)``: a Swift closure registered under a name in ``AgentGraph/routers`` reads the
    ///   output and returns the ids.
    ///
    /// When the choice names nothing (a missing path, `null`, an empty list) the router takes ``otherwise``
    /// (empty: no successor, every branch ends `skippedByBranch`). A name that is not a successor of the node fails
    /// the node: its agent or function answered something the graph does not have. ``otherwise`` and the function's
    /// name are checked when the graph is validated. An edge from a router may also carry a condition; it is taken
    /// when the router chose it and its condition holds.
    public struct Router: Sendable, Hashable {
        /// Where the choice comes from.
        public enum Choice: Sendable, Hashable {
            /// The node's output at this path: a successor's id, or an array of them.
            case output(JSONPath)
            /// The routing function registered under this name.
            case function(String)
        }

        /// Where the choice comes from.
        public var choice: Choice
        /// The successors taken when the choice names none.
        public var otherwise: [String]

        /// Creates a router.
        ///
        /// - Parameters:
        ///   - choice: Where the choice comes from.
        ///   - otherwise: The successors taken when the choice names none.
        public init(_ choice: Choice, otherwise: [String] = []) {
            self.choice = choice
            self.otherwise = otherwise
        }

        /// A router whose node's output names the successors at `path`.
        ///
        /// - Parameters:
        ///   - path: Where the output names them: a string or an array of strings.
        ///   - otherwise: The successors taken when the output names none.
        /// - Returns: The router.
        public static func output(_ path: JSONPath, otherwise: [String] = []) -> Router {
            Router(.output(path), otherwise: otherwise)
        }

        /// A router that calls the routing function registered under `name` in ``AgentGraph/routers``.
        ///
        /// - Parameters:
        ///   - name: The function's name.
        ///   - otherwise: The successors taken when the function returns none.
        /// - Returns: The router.
        public static func function(_ name: String, otherwise: [String] = []) -> Router {
            Router(.function(name), otherwise: otherwise)
        }
    }

    /// The label each edge with a condition or from a router carries in diagrams: the condition's text
    /// (`$.category == "billing"`) and, from a router, what it must choose (`route = billing`, or
    /// `classifyTicket → billing` for a function).
    public var edgeLabels: [TaskGraph.Edge: String] {
        var labels: [TaskGraph.Edge: String] = [:]
        let routers = Dictionary(nodes.compactMap { node in node.router.map { (node.id, $0) } }) { first, _ in first }
        for node in nodes {
            for dependency in node.dependencies {
                var parts: [String] = []
                switch routers[dependency]?.choice {
                case .output(let path)?: parts.append("\(path) = \(node.id)")
                case .function(let name)?: parts.append("\(name) → \(node.id)")
                case nil: break
                }
                if let condition = node.conditions[dependency] { parts.append(condition.description) }
                if !parts.isEmpty { labels[TaskGraph.Edge(dependency, node.id)] = parts.joined(separator: " && ") }
            }
        }
        return labels
    }

    /// The edges a run took: from each node that succeeded to each successor it routed to.
    ///
    /// - Parameter report: The run's report.
    /// - Returns: The edges taken.
    public func takenEdges(in report: AgentGraphReport) -> Set<TaskGraph.Edge> {
        var taken = Set<TaskGraph.Edge>()
        for node in nodes {
            for dependency in node.dependencies {
                guard let record = report.node(dependency), record.status == .succeeded else { continue }
                if record.routedTo?.contains(node.id) ?? true { taken.insert(TaskGraph.Edge(dependency, node.id)) }
            }
        }
        return taken
    }

    /// The graph as a Mermaid flowchart with the conditions on its edges; with a report, each node's status and
    /// the path taken (taken edges thick, others dotted).
    ///
    /// - Parameter report: A run's report, to show what happened.
    /// - Returns: The Mermaid text.
    public func mermaid(report: AgentGraphReport? = nil) -> String {
        taskGraph.mermaid(
            statuses: report?.execution.statuses ?? [:],
            edgeLabels: edgeLabels,
            taken: report.map { takenEdges(in: $0) }
        )
    }

    /// The graph as a Graphviz DOT digraph with the conditions on its edges; with a report, each node's status and
    /// the path taken (taken edges bold, others dashed).
    ///
    /// - Parameter report: A run's report, to show what happened.
    /// - Returns: The DOT text.
    public func graphvizDOT(report: AgentGraphReport? = nil) -> String {
        taskGraph.graphvizDOT(
            statuses: report?.execution.statuses ?? [:],
            edgeLabels: edgeLabels,
            taken: report.map { takenEdges(in: $0) }
        )
    }
}

/// Where a node routed: the successors it took, and why each other one was not taken.
struct RouteDecision: Sendable, Hashable {
    /// The successors taken, in declaration order.
    var taken: [String]
    /// Why each successor not taken was not, by successor id.
    var reasons: [String: String]

    /// The decision as a graph journal entry's fields.
    var fields: [String: JSONValue] {
        ["taken": .array(taken.map(JSONValue.string)), "reasons": .object(reasons.mapValues(JSONValue.string))]
    }

    /// Reads a decision from a graph journal entry's fields.
    init?(fields: [String: JSONValue]) {
        guard case .array(let taken)? = fields["taken"], case .object(let reasons)? = fields["reasons"] else {
            return nil
        }
        self.taken = taken.compactMap(\.stringValue)
        self.reasons = reasons.compactMapValues(\.stringValue)
    }

    init(taken: [String], reasons: [String: String]) {
        self.taken = taken
        self.reasons = reasons
    }
}

/// The routing of a validated graph: each routing node's successors, conditions and router, and how to decide.
struct RoutingPlan: Sendable {
    struct Outgoing: Sendable {
        /// The successors, in declaration order, each with its edge's condition.
        var successors: [(id: String, condition: Condition?)]
        var router: AgentGraph.Router?
    }

    /// Only nodes that route: a router, or an outgoing edge with a condition.
    let outgoing: [String: Outgoing]
    let functions: [String: AgentGraph.RouterFunction]
    let predicates: PredicateRegistry

    init(_ graph: AgentGraph) {
        var successors: [String: [(id: String, condition: Condition?)]] = [:]
        for node in graph.nodes {
            var seen = Set<String>()
            for dependency in node.dependencies where seen.insert(dependency).inserted {
                successors[dependency, default: []].append((node.id, node.conditions[dependency]))
            }
        }
        var outgoing: [String: Outgoing] = [:]
        for node in graph.nodes {
            let edges = successors[node.id] ?? []
            guard node.router != nil || edges.contains(where: { $0.condition != nil }) else { continue }
            outgoing[node.id] = Outgoing(successors: edges, router: node.router)
        }
        self.outgoing = outgoing
        self.functions = graph.routers
        self.predicates = graph.predicates
    }

    /// Whether no node routes (the graph runs every node, as before routing existed).
    var isEmpty: Bool { outgoing.isEmpty }

    /// Decides where `node` routes given its output; `nil` when the node does not route.
    ///
    /// - Throws: A message naming the node when the router names something that is not a successor or its
    ///   output has the wrong shape.
    func decide(_ node: String, output: JSONValue) throws(RoutingFailure) -> RouteDecision? {
        guard let outgoing = outgoing[node] else { return nil }
        var chosen: Set<String>?
        var choiceText = ""
        if let router = outgoing.router {
            var names: [String]
            switch router.choice {
            case .output(let path):
                switch path.value(in: output) {
                case nil, .null?: names = []
                case .string(let name)?: names = [name]
                case .array(let values)? where values.allSatisfy({ $0.stringValue != nil }):
                    names = values.compactMap(\.stringValue)
                case let value?:
                    throw RoutingFailure(
                        node: node,
                        message: "router \"\(node)\" reads \(path) from its output, which holds \(value.jsonText()); "
                            + "it must be a successor's id or an array of them (successors: "
                            + outgoing.successors.map(\.id).joined(separator: ", ") + ")"
                    )
                }
                choiceText = "router \"\(node)\" chose "
            case .function(let name):
                names = functions[name]?(output) ?? []
                choiceText = "router \"\(node)\" (function \(name)) chose "
            }
            if names.isEmpty { names = router.otherwise }
            let successorIDs = Set(outgoing.successors.map(\.id))
            if let unknown = names.first(where: { !successorIDs.contains($0) }) {
                throw RoutingFailure(
                    node: node,
                    message: "router \"\(node)\" chose \"\(unknown)\", which is not one of its successors ("
                        + outgoing.successors.map(\.id).joined(separator: ", ")
                        + "); make the agent or function name a successor, or add the edge"
                )
            }
            chosen = Set(names)
            choiceText += names.isEmpty ? "no successor" : names.joined(separator: ", ")
        }
        var decision = RouteDecision(taken: [], reasons: [:])
        for successor in outgoing.successors {
            if let chosen, !chosen.contains(successor.id) {
                decision.reasons[successor.id] = choiceText
                continue
            }
            if let condition = successor.condition {
                let holds: Bool
                do {
                    holds = try condition.evaluate(on: output, predicates: predicates)
                } catch {
                    throw RoutingFailure(node: node, message: error.description)
                }
                guard holds else {
                    decision.reasons[successor.id] =
                        "condition \(condition) on \"\(node)\" → \"\(successor.id)\" is false"
                    continue
                }
            }
            decision.taken.append(successor.id)
        }
        return decision
    }

    /// Checks the routing against the graph before anything runs.
    static func validate(_ graph: AgentGraph) throws(OrchestrationError) {
        var successors: [String: Set<String>] = [:]
        for node in graph.nodes {
            for dependency in node.dependencies { successors[dependency, default: []].insert(node.id) }
        }
        for node in graph.nodes {
            for (dependency, condition) in node.conditions.sorted(by: { $0.key < $1.key }) {
                guard node.dependencies.contains(dependency) else {
                    throw OrchestrationError(
                        code: .unknownEdge,
                        nodes: [dependency, node.id],
                        message: "node \"\(node.id)\" has a condition on the edge from \"\(dependency)\", which it "
                            + "does not depend on; add \"\(dependency)\" to its dependencies or drop the condition"
                    )
                }
                if let unknown = graph.predicates.unknownPredicates(in: condition).first {
                    throw OrchestrationError(
                        code: .unknownPredicate,
                        nodes: [dependency, node.id],
                        name: unknown,
                        registered: graph.predicates.names,
                        message: "the condition on edge \"\(dependency)\" → \"\(node.id)\" names predicate "
                            + "\"\(unknown)\", which is not registered (\(OrchestrationError.listing(graph.predicates.names))); "
                            + "register it in the graph's predicates"
                    )
                }
            }
            guard let router = node.router else { continue }
            if case .function(let name) = router.choice, graph.routers[name] == nil {
                let names = graph.routers.keys.sorted()
                throw OrchestrationError(
                    code: .unknownRouter,
                    nodes: [node.id],
                    name: name,
                    registered: names,
                    message: "node \"\(node.id)\" routes with function \"\(name)\", which is not registered "
                        + "(\(OrchestrationError.listing(names))); add it to the graph's routers"
                )
            }
            let mine = successors[node.id] ?? []
            if let stray = router.otherwise.first(where: { !mine.contains($0) }) {
                throw OrchestrationError(
                    code: .notASuccessor,
                    nodes: [node.id, stray],
                    name: stray,
                    registered: mine.sorted(),
                    message: "router \"\(node.id)\" falls back to \"\(stray)\", which does not depend on it "
                        + "(successors: \(mine.sorted().joined(separator: ", "))); make \"\(stray)\" depend on "
                        + "\"\(node.id)\" or remove it from otherwise"
                )
            }
        }
    }
}

/// A router answered something the graph cannot follow; the node fails with this message.
struct RoutingFailure: Error, CustomStringConvertible {
    var node: String
    var message: String
    var description: String { message }
}

extension Orchestrator {
    /// Why a node was skipped by a branch: one reason per input not taken, in dependency order.
    static func skipReason(
        of node: String,
        in graph: AgentGraph,
        execution: TaskGraphReport<JSONValue>,
        routes: [String: RouteDecision]
    ) -> String {
        let statuses = execution.statuses
        var reasons: [String] = []
        var seen = Set<String>()
        for dependency in graph.nodes.first(where: { $0.id == node })?.dependencies ?? []
        where seen.insert(dependency).inserted {
            if statuses[dependency] == .skippedByBranch {
                reasons.append("input \"\(dependency)\" was skipped by a branch")
            } else if let reason = routes[dependency]?.reasons[node] {
                reasons.append(reason)
            }
        }
        return reasons.joined(separator: "; ")
    }
}
