/// A directed acyclic graph of named nodes, each listing the nodes it depends on.
///
/// A graph is a plain value: build it with ``addNode(_:dependsOn:)`` or ``init(_:)``, check it with
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
/// `Hashable`, `Codable` value (encoded as `{"nodes": [{"id": …, "dependencies": […]}]}`).
public struct TaskGraph: Sendable, Hashable, Codable {
    /// One node of a ``TaskGraph``: its id and the ids it depends on.
    public struct Node: Sendable, Hashable, Codable {
        /// The node's unique id.
        public var id: String
        /// The ids this node depends on, in declaration order. A repeated id counts once.
        public var dependencies: [String]

        /// Creates a node.
        ///
        /// - Parameters:
        ///   - id: The node's unique id.
        ///   - dependencies: The ids this node depends on.
        public init(_ id: String, dependsOn dependencies: [String] = []) {
            self.id = id
            self.dependencies = dependencies
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
    public mutating func addNode(_ id: String, dependsOn dependencies: [String] = []) {
        nodes.append(Node(id, dependsOn: dependencies))
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
