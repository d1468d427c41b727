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
        public var policy: StrictPolicy?
        /// Builds the node's task; `nil` for the default object of the run's task and dependency outputs.
        public var task: TaskBuilder?
        /// How often to try the node when its agent fails with a retryable error; `nil` for the run's setting.
        public var retryPolicy: RetryPolicy?

        /// Creates a node.
        ///
        /// - Parameters:
        ///   - id: The node's id.
        ///   - performer: Who performs the node.
        ///   - dependencies: The ids of the nodes whose outputs this node needs.
        ///   - policy: A policy that tightens the run's for this node.
        ///   - retryPolicy: How often to try the node on retryable failures.
        ///   - task: Builds the node's task.
        public init(
            _ id: String,
            performer: Performer,
            dependsOn dependencies: [String] = [],
            policy: StrictPolicy? = nil,
            retryPolicy: RetryPolicy? = nil,
            task: TaskBuilder? = nil
        ) {
            self.id = id
            self.dependencies = dependencies
            self.performer = performer
            self.policy = policy
            self.task = task
            self.retryPolicy = retryPolicy
        }
    }

    /// The nodes, in declaration order.
    public var nodes: [Node]
    /// The node whose output is the run's final output; `nil` for the outputs of all sinks.
    public var outputNode: String?

    /// Creates a graph.
    ///
    /// - Parameters:
    ///   - nodes: The nodes.
    ///   - outputNode: The node whose output is the final output; `nil` for the sinks' outputs.
    public init(_ nodes: [Node] = [], outputNode: String? = nil) {
        self.nodes = nodes
        self.outputNode = outputNode
    }

    /// Adds a node performed by `agent`.
    ///
    /// - Parameters:
    ///   - id: The node's id.
    ///   - agent: The agent.
    ///   - dependencies: The ids of the nodes whose outputs this node needs.
    ///   - policy: A policy that tightens the run's for this node.
    ///   - retryPolicy: How often to try the node on retryable failures.
    ///   - task: Builds the node's task.
    public mutating func add(
        _ id: String,
        agent: some Agent,
        dependsOn dependencies: [String] = [],
        policy: StrictPolicy? = nil,
        retryPolicy: RetryPolicy? = nil,
        task: TaskBuilder? = nil
    ) {
        nodes.append(
            Node(
                id,
                performer: .agent(agent),
                dependsOn: dependencies,
                policy: policy,
                retryPolicy: retryPolicy,
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
    ///   - task: Builds the node's task.
    public mutating func add(
        _ id: String,
        capability: String,
        dependsOn dependencies: [String] = [],
        policy: StrictPolicy? = nil,
        retryPolicy: RetryPolicy? = nil,
        task: TaskBuilder? = nil
    ) {
        nodes.append(
            Node(
                id,
                performer: .capability(capability),
                dependsOn: dependencies,
                policy: policy,
                retryPolicy: retryPolicy,
                task: task
            )
        )
    }

    /// The graph's shape, without the agents: for validation, ordering and pictures (Mermaid, DOT).
    public var taskGraph: TaskGraph {
        TaskGraph(nodes.map { TaskGraph.Node($0.id, dependsOn: $0.dependencies) })
    }
}
