/// The error thrown when a ``TaskGraph`` or an executor configuration is invalid.
///
/// Validation reports the first problem it finds, checked in this order: an empty graph, a duplicate node id, a
/// self-dependency, an unknown dependency, a cycle. Executor runs throw this error only for misuse (an invalid graph
/// or configuration), always before any node runs; every run outcome is data in ``TaskGraphReport``.
///
/// Like every misuse error in the package, two values compare (and hash) by ``code`` only; ``nodes`` and
/// ``message`` give the context. The type is a `Sendable` value.
public struct TaskGraphError: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// What went wrong: a growable set of codes, so new codes never break a client's `switch`.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The stable name of the code, as it appears in encoded errors.
        public let rawValue: String

        /// Creates a code from its stable name.
        ///
        /// - Parameter rawValue: The stable name of the code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The graph has no nodes.
        public static let emptyGraph = Code(rawValue: "emptyGraph")
        /// Two nodes share an id; ``TaskGraphError/nodes`` holds that id.
        public static let duplicateNode = Code(rawValue: "duplicateNode")
        /// A node depends on an id that is not in the graph; ``TaskGraphError/nodes`` holds the node id, then the
        /// missing dependency id.
        public static let unknownDependency = Code(rawValue: "unknownDependency")
        /// A node depends on itself; ``TaskGraphError/nodes`` holds that id.
        public static let selfDependency = Code(rawValue: "selfDependency")
        /// The dependencies form a cycle; ``TaskGraphError/nodes`` lists the nodes on one cycle in dependency
        /// direction: `["a", "b", "c"]` means a depends on b, b on c, and c on a.
        public static let cycle = Code(rawValue: "cycle")
        /// The executor configuration is invalid (for example a concurrency cap below 1, a retry policy with fewer
        /// than one attempt, or a per-node setting or output node naming an id that is not in the graph).
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")

        /// The stable name of the code.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The node ids involved, in the order documented on each ``Code``.
    public var nodes: [String]
    /// A sentence saying what is wrong and what to do about it.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - nodes: The node ids involved.
    ///   - message: A sentence saying what is wrong and what to do about it.
    public init(code: Code, nodes: [String] = [], message: String) {
        self.code = code
        self.nodes = nodes
        self.message = message
    }

    /// The code followed by the message.
    public var description: String { "TaskGraphError(\(code)): \(message)" }

    /// Compares two errors by ``code`` only.
    ///
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error.
    /// - Returns: Whether both errors have the same code.
    public static func == (lhs: TaskGraphError, rhs: TaskGraphError) -> Bool { lhs.code == rhs.code }

    /// Hashes the ``code`` only, consistently with ``==(_:_:)``.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension TaskGraphError {
    static func emptyGraph() -> TaskGraphError {
        TaskGraphError(code: .emptyGraph, message: "The graph has no nodes; add at least one node before running it.")
    }

    static func duplicateNode(_ id: String) -> TaskGraphError {
        TaskGraphError(
            code: .duplicateNode,
            nodes: [id],
            message: "Node id \"\(id)\" is declared more than once; give every node a unique id."
        )
    }

    static func unknownDependency(node: String, dependency: String) -> TaskGraphError {
        TaskGraphError(
            code: .unknownDependency,
            nodes: [node, dependency],
            message: "Node \"\(node)\" depends on \"\(dependency)\", which is not in the graph; "
                + "add a node \"\(dependency)\" or remove the dependency."
        )
    }

    static func selfDependency(_ id: String) -> TaskGraphError {
        TaskGraphError(
            code: .selfDependency,
            nodes: [id],
            message: "Node \"\(id)\" depends on itself; remove \"\(id)\" from its own dependencies."
        )
    }

    static func cycle(_ nodes: [String]) -> TaskGraphError {
        let path = (nodes + nodes.prefix(1)).map { "\"\($0)\"" }.joined(separator: " -> ")
        return TaskGraphError(
            code: .cycle,
            nodes: nodes,
            message: "The dependencies form a cycle (\(path), each depending on the next); "
                + "remove one of these dependencies."
        )
    }

    static func invalidConfiguration(_ message: String, nodes: [String] = []) -> TaskGraphError {
        TaskGraphError(code: .invalidConfiguration, nodes: nodes, message: message)
    }
}
