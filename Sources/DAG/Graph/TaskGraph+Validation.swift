extension TaskGraph {
    /// Checks that the graph can run.
    ///
    /// The checks run in this order and the first failure is thrown: the graph is not empty; every id is unique
    /// (the first repeated id in declaration order is named); no node depends on itself; every dependency names a
    /// node in the graph (the first offender names the node and the missing id); the dependencies have no cycle
    /// (one cycle is listed in dependency direction, starting at its earliest-declared node).
    ///
    /// The algorithms are iterative and linear in nodes plus edges, so graphs of any depth validate without deep
    /// recursion: a 100,000-node chain validates in any insertion order.
    ///
    /// - Throws: ``TaskGraphError`` with code ``TaskGraphError/Code/emptyGraph``,
    ///   ``TaskGraphError/Code/duplicateNode``, ``TaskGraphError/Code/selfDependency``,
    ///   ``TaskGraphError/Code/unknownDependency`` or ``TaskGraphError/Code/cycle``.
    public func validate() throws(TaskGraphError) {
        _ = try validated()
    }

    /// Returns the node ids in a deterministic topological order.
    ///
    /// Every node comes after all its dependencies. Among the nodes whose dependencies are all placed, the
    /// earliest-declared comes first (Kahn's algorithm with a declaration-order tie-break).
    ///
    /// - Returns: Every node id, dependencies first.
    /// - Throws: ``TaskGraphError`` if the graph is invalid (see ``validate()``).
    public func topologicalOrder() throws(TaskGraphError) -> [String] {
        let graph = try validated()
        return graph.order.map { graph.ids[$0] }
    }

    /// Returns the nodes grouped by depth.
    ///
    /// Level 0 holds the nodes without dependencies; a node's level is one more than the deepest of its
    /// dependencies. Each level lists its nodes in declaration order. The executor does not wait for levels; they
    /// describe the graph's shape.
    ///
    /// - Returns: The levels, shallowest first.
    /// - Throws: ``TaskGraphError`` if the graph is invalid (see ``validate()``).
    public func levels() throws(TaskGraphError) -> [[String]] {
        let graph = try validated()
        let depth = graph.depths()
        var levels: [[String]] = Array(repeating: [], count: (depth.max() ?? -1) + 1)
        for node in graph.ids.indices { levels[depth[node]].append(graph.ids[node]) }
        return levels
    }

    /// Returns the number of nodes on the longest dependency chain.
    ///
    /// With unlimited concurrency and nodes of equal duration, this is the number of node durations a run takes.
    ///
    /// - Returns: The number of nodes on a longest path; equal to the number of ``levels()``.
    /// - Throws: ``TaskGraphError`` if the graph is invalid (see ``validate()``).
    public func criticalPathLength() throws(TaskGraphError) -> Int {
        try criticalPath().count
    }

    /// Returns one longest dependency chain, counted in nodes.
    ///
    /// The chain ends at the earliest-declared deepest node and walks back through, at each step, the
    /// earliest-declared dependency one level shallower.
    ///
    /// - Returns: The node ids on the chain, dependencies first.
    /// - Throws: ``TaskGraphError`` if the graph is invalid (see ``validate()``).
    public func criticalPath() throws(TaskGraphError) -> [String] {
        let graph = try validated()
        let depth = graph.depths()
        guard let deepest = depth.max(), var node = depth.firstIndex(of: deepest) else { return [] }
        var path = [node]
        while depth[node] > 0 {
            let previous = graph.dependencies[node].filter { depth[$0] == depth[node] - 1 }.min()!
            path.append(previous)
            node = previous
        }
        return path.reversed().map { graph.ids[$0] }
    }

    /// Checks the graph and builds its index-based form.
    @usableFromInline
    func validated() throws(TaskGraphError) -> ValidatedGraph {
        guard !nodes.isEmpty else { throw .emptyGraph() }
        let ids = nodes.map { $0.id }
        var index: [String: Int] = [:]
        index.reserveCapacity(ids.count)
        for (position, id) in ids.enumerated() {
            guard index.updateValue(position, forKey: id) == nil else { throw .duplicateNode(id) }
        }
        var dependencies: [[Int]] = []
        dependencies.reserveCapacity(ids.count)
        var dependents: [[Int]] = Array(repeating: [], count: ids.count)
        // `lastSeenBy[target] == position` marks a dependency already listed for this node: O(1) deduplication, so
        // a sink with 10,000 dependencies costs 10,000 steps, not 50 million comparisons.
        var lastSeenBy = [Int](repeating: -1, count: ids.count)
        // A self-dependency outranks an unknown dependency declared earlier, so the first unknown one waits.
        var firstUnknown: (node: String, dependency: String)?
        // Whether every dependency is declared before its dependent: then there is no cycle, and declaration order
        // is the topological order (Kahn's min-heap would pop every node in declaration order).
        var isDeclaredInOrder = true
        for (position, node) in nodes.enumerated() {
            var resolved: [Int] = []
            resolved.reserveCapacity(node.dependencies.count)
            for dependency in node.dependencies {
                guard let target = index[dependency] else {
                    if firstUnknown == nil { firstUnknown = (node.id, dependency) }
                    continue
                }
                if target == position { throw .selfDependency(node.id) }
                if target > position { isDeclaredInOrder = false }
                if lastSeenBy[target] != position {
                    lastSeenBy[target] = position
                    resolved.append(target)
                }
            }
            for target in resolved { dependents[target].append(position) }
            dependencies.append(resolved)
        }
        if let firstUnknown { throw .unknownDependency(node: firstUnknown.node, dependency: firstUnknown.dependency) }
        let order =
            isDeclaredInOrder
            ? Array(ids.indices) : try Self.kahnOrder(ids: ids, dependencies: dependencies, dependents: dependents)
        return ValidatedGraph(
            ids: ids,
            index: index,
            dependencies: dependencies,
            dependents: dependents,
            order: order,
            joinsAny: nodes.map { $0.join == .any }
        )
    }

    /// Kahn's algorithm with a min-heap on declaration index; throws the cycle found among the leftover nodes.
    private static func kahnOrder(
        ids: [String],
        dependencies: [[Int]],
        dependents: [[Int]]
    ) throws(TaskGraphError) -> [Int] {
        var waiting = dependencies.map { $0.count }
        var heap = IndexHeap()
        for node in waiting.indices where waiting[node] == 0 { heap.push(node) }
        var order: [Int] = []
        order.reserveCapacity(ids.count)
        while let node = heap.pop() {
            order.append(node)
            for dependent in dependents[node] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { heap.push(dependent) }
            }
        }
        guard order.count < ids.count else { return order }
        // Every leftover node has a leftover dependency, so following them from any leftover node must revisit one.
        let start = waiting.firstIndex { $0 > 0 }!
        var positionOnPath: [Int: Int] = [:]
        var path: [Int] = []
        var node = start
        while positionOnPath[node] == nil {
            positionOnPath[node] = path.count
            path.append(node)
            node = dependencies[node].first { waiting[$0] > 0 }!
        }
        let cycle = Array(path[positionOnPath[node]!...])
        let first = cycle.indices.min { cycle[$0] < cycle[$1] }!
        let rotated = cycle[first...] + cycle[..<first]
        throw .cycle(rotated.map { ids[$0] })
    }
}

/// A validated graph in index form: node `i` is `ids[i]`, in declaration order.
@usableFromInline
struct ValidatedGraph: Sendable {
    /// Node ids in declaration order.
    @usableFromInline let ids: [String]
    /// Declaration index by id.
    @usableFromInline let index: [String: Int]
    /// Each node's dependencies, without repeats, in the order declared.
    @usableFromInline let dependencies: [[Int]]
    /// Each node's direct dependents, in declaration order.
    @usableFromInline let dependents: [[Int]]
    /// A topological order (Kahn, declaration-order tie-break).
    @usableFromInline let order: [Int]
    /// Whether each node joins ``TaskGraph/JoinMode/any`` (else ``TaskGraph/JoinMode/all``).
    @usableFromInline let joinsAny: [Bool]

    /// Each node's depth: 0 without dependencies, else one more than its deepest dependency.
    func depths() -> [Int] {
        var depth = Array(repeating: 0, count: ids.count)
        for node in order {
            for dependency in dependencies[node] { depth[node] = max(depth[node], depth[dependency] + 1) }
        }
        return depth
    }
}

/// A binary min-heap of node indices.
private struct IndexHeap {
    private var storage: [Int] = []

    mutating func push(_ value: Int) {
        storage.append(value)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = storage.first else { return nil }
        let last = storage.removeLast()
        guard !storage.isEmpty else { return top }
        storage[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < storage.count, storage[left] < storage[smallest] { smallest = left }
            if right < storage.count, storage[right] < storage[smallest] { smallest = right }
            guard smallest != parent else { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
