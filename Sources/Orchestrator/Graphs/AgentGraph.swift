public import AgentAdapters
public import AgentPolicy
public import AgentTaskGraph

/// A graph whose nodes are agents: each node's task is built from the run's task and its dependencies' outputs.
///
/// ```swift
/// var graph = AgentGraph()
/// graph.add("research", agent: researcher)
/// graph.add("draft", capability: "writing", dependsOn: ["research"])
/// graph.add("critique", agent: critic, dependsOn: ["research"])
/// graph.add("polish", agent: editor, dependsOn: ["draft", "critique"])
/// let report = try await orchestrator.run(graph, task: "Swift concurrency", policy: policy, registry: registry)
/// ```
///
/// By default a node's task is `{"input": <run task>, "dependencies": {<id>: <output>, …}}`; pass `task:` to
/// build it yourself. A node may carry its own `StrictPolicy`, which can only tighten the run's.
///
/// **Routing.** An edge may carry a `Condition` on its source's output (`when:`), and a node may be a ``Router``
/// that names which of its successors to take. A node joins its inputs `TaskGraph.JoinMode.all` (the default) or
/// `TaskGraph.JoinMode.any`; a branch not taken ends `skippedByBranch` with the reason in the report:
///
/// ```swift
/// var graph = AgentGraph()
/// graph.add("classify", agent: classifier, router: .output("$.category"))
/// graph.add("billing", agent: billingDesk, dependsOn: ["classify"])
/// graph.add("technical", agent: techDesk, dependsOn: ["classify"])
/// graph.add("draft", agent: writer, dependsOn: ["billing", "technical"], join: .any)
/// graph.add("escalate", agent: lead, dependsOn: ["draft"], when: ["draft": .equals("$.urgent", true)])
/// ```
public struct AgentGraph: Sendable {
    /// Who performs a node.
    public enum Performer: Sendable {
        /// This agent.
        case agent(any Agent)
        /// The agent registered under this name.
        case named(String)
        /// The first registered agent offering this capability, with the next one as the fallback.
        case capability(String)
    }

    /// Builds a node's task from the run's task and the node's dependencies' outputs, by dependency id.
    public typealias TaskBuilder = @Sendable (_ task: JSONValue, _ dependencies: [String: JSONValue]) -> JSONValue

    /// One node of the graph.
    public struct Node: Sendable {
        /// The node's id.
        public var id: String
        /// The ids of the nodes whose outputs this node needs.
        public var dependencies: [String]
        /// Who performs the node.
        public var performer: Performer
        /// A policy for this node's agent run; it is combined with the run's and can only tighten it.
        public var policy: StrictPolicy? {
            get { options?.value.policy }
            set { options = NodeOptions.boxed(options, setting: \.policy, to: newValue) }
        }
        /// Builds the node's task; `nil` for the default object of the run's task and dependency outputs.
        public var task: TaskBuilder?
        /// How often to try the node when its agent fails with a retryable error; `nil` for the run's setting.
        public var retryPolicy: RetryPolicy? {
            get { options?.value.retryPolicy }
            set { options = NodeOptions.boxed(options, setting: \.retryPolicy, to: newValue) }
        }
        /// How the node joins its inputs when some branches are not taken; `TaskGraph.JoinMode.all` by default.
        public var join: TaskGraph.JoinMode
        /// Conditions on incoming edges, by dependency id: the edge from that dependency is taken only when the
        /// condition holds on the dependency's output. An edge without a condition is taken whenever its source
        /// succeeds (and, for a router, chooses this node).
        public var conditions: [String: Condition]
        /// How this node chooses which of its successors to take; `nil` to take every successor (whose edge
        /// condition holds).
        public var router: Router? {
            get { options?.value.router }
            set { options = NodeOptions.boxed(options, setting: \.router, to: newValue) }
        }
        /// ``policy``, ``retryPolicy`` and ``router`` out of line, `nil` when none is set: 8 bytes in the node
        /// instead of 192, for a graph of many nodes that set none.
        var options: OutOfLine<NodeOptions>?

        /// Creates a node.
        ///
        /// - Parameters:
        ///   - id: The node's id.
        ///   - performer: Who performs the node.
        ///   - dependencies: The ids of the nodes whose outputs this node needs.
        ///   - policy: A policy that tightens the run's for this node.
        ///   - retryPolicy: How often to try the node on retryable failures.
        ///   - join: How the node joins its inputs when some branches are not taken.
        ///   - conditions: Conditions on incoming edges, by dependency id.
        ///   - router: How the node chooses its successors.
        ///   - task: Builds the node's task.
        public init(
            _ id: String,
            performer: Performer,
            dependsOn dependencies: [String] = [],
            policy: StrictPolicy? = nil,
            retryPolicy: RetryPolicy? = nil,
            join: TaskGraph.JoinMode = .all,
            when conditions: [String: Condition] = [:],
            router: Router? = nil,
            task: TaskBuilder? = nil
        ) {
            self.id = id
            self.dependencies = dependencies
            self.performer = performer
            self.task = task
            self.join = join
            self.conditions = conditions
            options = NodeOptions(policy: policy, retryPolicy: retryPolicy, router: router).boxed
        }
    }

    /// The nodes, in declaration order.
    public var nodes: [Node]
    /// The node whose output is the run's final output; `nil` for the outputs of all sinks (those skipped by a
    /// branch left out).
    public var outputNode: String?
    /// The predicates that edge conditions and routers name, checked when the graph is validated.
    public var predicates: PredicateRegistry
    /// Routing functions by name, for ``Router/function(_:otherwise:)``.
    public var routers: [String: RouterFunction]

    /// Creates a graph.
    ///
    /// - Parameters:
    ///   - nodes: The nodes.
    ///   - outputNode: The node whose output is the final output; `nil` for the sinks' outputs.
    ///   - predicates: The predicates edge conditions name.
    ///   - routers: Routing functions by name.
    public init(
        _ nodes: [Node] = [],
        outputNode: String? = nil,
        predicates: PredicateRegistry = PredicateRegistry(),
        routers: [String: RouterFunction] = [:]
    ) {
        self.nodes = nodes
        self.outputNode = outputNode
        self.predicates = predicates
        self.routers = routers
    }

    /// Adds a node performed by `agent`.
    ///
    /// - Parameters:
    ///   - id: The node's id.
    ///   - agent: The agent.
    ///   - dependencies: The ids of the nodes whose outputs this node needs.
    ///   - policy: A policy that tightens the run's for this node.
    ///   - retryPolicy: How often to try the node on retryable failures.
    ///   - join: How the node joins its inputs when some branches are not taken.
    ///   - conditions: Conditions on incoming edges, by dependency id.
    ///   - router: How the node chooses its successors.
    ///   - task: Builds the node's task.
    public mutating func add(
        _ id: String,
        agent: some Agent,
        dependsOn dependencies: [String] = [],
        policy: StrictPolicy? = nil,
        retryPolicy: RetryPolicy? = nil,
        join: TaskGraph.JoinMode = .all,
        when conditions: [String: Condition] = [:],
        router: Router? = nil,
        task: TaskBuilder? = nil
    ) {
        nodes.append(
            Node(
                id,
                performer: .agent(agent),
                dependsOn: dependencies,
                policy: policy,
                retryPolicy: retryPolicy,
                join: join,
                when: conditions,
                router: router,
                task: task
            )
        )
    }

    /// Adds a node performed by an agent offering `capability` in the run's ``AgentRegistry``.
    ///
    /// - Parameters:
    ///   - id: The node's id.
    ///   - capability: The capability.
    ///   - dependencies: The ids of the nodes whose outputs this node needs.
    ///   - policy: A policy that tightens the run's for this node.
    ///   - retryPolicy: How often to try each agent on retryable failures before falling back.
    ///   - join: How the node joins its inputs when some branches are not taken.
    ///   - conditions: Conditions on incoming edges, by dependency id.
    ///   - router: How the node chooses its successors.
    ///   - task: Builds the node's task.
    public mutating func add(
        _ id: String,
        capability: String,
        dependsOn dependencies: [String] = [],
        policy: StrictPolicy? = nil,
        retryPolicy: RetryPolicy? = nil,
        join: TaskGraph.JoinMode = .all,
        when conditions: [String: Condition] = [:],
        router: Router? = nil,
        task: TaskBuilder? = nil
    ) {
        nodes.append(
            Node(
                id,
                performer: .capability(capability),
                dependsOn: dependencies,
                policy: policy,
                retryPolicy: retryPolicy,
                join: join,
                when: conditions,
                router: router,
                task: task
            )
        )
    }

    /// The graph's shape, without the agents: for validation, ordering and pictures (Mermaid, DOT).
    public var taskGraph: TaskGraph {
        TaskGraph(nodes.map { TaskGraph.Node($0.id, dependsOn: $0.dependencies, join: $0.join) })
    }
}

/// A node's rarely set settings, kept out of line in ``AgentGraph/Node``.
struct NodeOptions: OutOfLineFields {
    var policy: StrictPolicy?
    var retryPolicy: RetryPolicy?
    var router: AgentGraph.Router?

    /// Whether no option is set.
    var isUnset: Bool { policy == nil && retryPolicy == nil && router == nil }
}
