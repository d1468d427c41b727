/// A directed acyclic graph of named nodes, each listing the nodes it depends on.
///
/// A graph is a plain value: build it with ``addNode(_:dependsOn:join:)`` or ``init(_:)``, check it with
/// ``validate()``, and run it with ``TaskGraphExecutor``. Nodes keep their declaration order, which every
/// deterministic result (topological order, levels, reports, renderings) uses to break ties. An edge points from a
/// dependency to its dependent: the dependency must succeed before the dependent starts.
///
/// ```swift
/// var graph = TaskGraph()
/// graph.addNode("research")
/// graph.addNode("draft", dependsOn: ["research"])
/// graph.addNode("critique", dependsOn: ["research"])
/// graph.addNode("polish", dependsOn: ["draft", "critique"])
/// try graph.validate()
/// ```
///
/// Building a graph never fails; duplicate or unknown ids are reported by ``validate()``. The type is a `Sendable`,
/// `Hashable`, `Codable` value (encoded as `{"nodes": [{"id": …, "dependencies": […]}]}`, with `"join": "any"` on a
/// node that joins ``JoinMode/any``).
public struct TaskGraph: Sendable, Hashable, Codable {
    /// How a node joins its inputs when some of them were not routed to it.
    ///
    /// An input is *taken* when its node succeeded and routed to this node (see
    /// ``TaskGraphExecutor/run(_:routing:body:)``); it is *not taken* when its node routed elsewhere or was itself
    /// ``NodeStatus/skippedByBranch``. A node decides once every input has settled, so the outcome never depends on
    /// which input finished first. An input that failed (or was skipped by a failure) skips the node as
    /// ``NodeStatus/skipped`` under either mode.
    public enum JoinMode: String, Hashable, Codable, Sendable, CaseIterable {
        /// Run only when every input was taken; otherwise the node is ``NodeStatus/skippedByBranch``. The default.
        case all
        /// Run when at least one input was taken; the inputs not taken are absent from its dependency outputs.
        /// With none taken the node is ``NodeStatus/skippedByBranch``.
        case any
    }

    /// An edge, from a dependency to its dependent, for labels and paths in renderings.
    public struct Edge: Hashable, Sendable {
        /// The dependency's id.
        public var from: String
        /// The dependent's id.
        public var to: String

        /// Creates an edge.
        ///
        /// - Parameters:
        ///   - from: The dependency's id.
        ///   - to: The dependent's id.
        public init(_ from: String, _ to: String) {
            self.from = from
            self.to = to
        }
    }

    /// One node of a ``TaskGraph``: its id, the ids it depends on and how it joins them.
    public struct Node: Sendable, Hashable, Codable {
        /// The node's unique id.
        public var id: String
        /// The ids this node depends on, in declaration order. A repeated id counts once.
        public var dependencies: [String]
        /// How the node joins its inputs when some are not routed to it; ``JoinMode/all`` by default.
        public var join: JoinMode

        /// Creates a node.
        ///
        /// - Parameters:
        ///   - id: The node's unique id.
        ///   - dependencies: The ids this node depends on.
        ///   - join: How the node joins its inputs.
        public init(_ id: String, dependsOn dependencies: [String] = [], join: JoinMode = .all) {
            self.id = id
            self.dependencies = dependencies
            self.join = join
        }

        private enum CodingKeys: String, CodingKey { case id, dependencies, join }

        /// Decodes a node; a missing `join` is ``JoinMode/all``.
        ///
        /// - Parameter decoder: The decoder to read from.
        /// - Throws: `DecodingError` for a missing id or dependencies, or an unknown join.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            dependencies = try container.decode([String].self, forKey: .dependencies)
            join = try container.decodeIfPresent(JoinMode.self, forKey: .join) ?? .all
        }

        /// Encodes the node; `join` only when it is not ``JoinMode/all``.
        ///
        /// - Parameter encoder: The encoder to write to.
        /// - Throws: The encoder's error.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(dependencies, forKey: .dependencies)
            if join != .all { try container.encode(join, forKey: .join) }
        }
    }

    /// The nodes in declaration order.
    public var nodes: [Node]

    /// Creates an empty graph.
    public init() { nodes = [] }

    /// Creates a graph from nodes in declaration order.
    ///
    /// - Parameter nodes: The nodes, in declaration order.
    public init(_ nodes: [Node]) { self.nodes = nodes }

    /// Appends a node.
    ///
    /// Dependencies may name nodes added later; ``validate()`` checks that every id exists.
    ///
    /// - Parameters:
    ///   - id: The node's unique id.
    ///   - dependencies: The ids the node depends on.
    ///   - join: How the node joins its inputs.
    public mutating func addNode(_ id: String, dependsOn dependencies: [String] = [], join: JoinMode = .all) {
        nodes.append(Node(id, dependsOn: dependencies, join: join))
    }

    /// The node ids in declaration order.
    public var nodeIDs: [String] { nodes.map(\.id) }

    /// Returns the dependencies of a node.
    ///
    /// - Parameter id: A node id.
    /// - Returns: The ids the first node with that id depends on, without repeats, in declaration order; empty if
    ///   there is no such node.
    public func dependencies(of id: String) -> [String] {
        guard let node = nodes.first(where: { $0.id == id }) else { return [] }
        var seen = Set<String>()
        return node.dependencies.filter { seen.insert($0).inserted }
    }

    /// Returns the nodes that depend directly on a node.
    ///
    /// - Parameter id: A node id.
    /// - Returns: The ids of the nodes listing `id` as a dependency, in declaration order.
    public func dependents(of id: String) -> [String] {
        nodes.filter { $0.dependencies.contains(id) }.map(\.id)
    }

    /// The nodes without dependencies, in declaration order.
    public var sources: [String] {
        nodes.filter(\.dependencies.isEmpty).map(\.id)
    }

    /// The nodes no other node depends on, in declaration order.
    ///
    /// Without an explicit output node, an executor run's final output is the outputs of these nodes.
    public var sinks: [String] {
        var depended = Set<String>()
        for node in nodes { depended.formUnion(node.dependencies) }
        return nodes.filter { !depended.contains($0.id) }.map(\.id)
    }
}
