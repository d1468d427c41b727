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
        // Both adjacency lists are built flat (see ``AdjacencyLists``): a few arrays for the whole graph instead of
        // one or two per node.
        var dependencyStarts: [Int] = []
        dependencyStarts.reserveCapacity(ids.count + 1)
        dependencyStarts.append(0)
        var dependencyTargets: [Int] = []
        dependencyTargets.reserveCapacity(nodes.reduce(0) { $0 + $1.dependencies.count })
        // Per node, how many dependents it has; then, below, where its next dependent goes.
        var dependentCursor = [Int](repeating: 0, count: ids.count)
        // `lastSeenBy[target] == position` marks a dependency already listed for this node: O(1) deduplication, so
        // a sink with 10,000 dependencies costs 10,000 steps, not 50 million comparisons.
        var lastSeenBy = [Int](repeating: -1, count: ids.count)
        // A self-dependency outranks an unknown dependency declared earlier, so the first unknown one waits.
        var firstUnknown: (node: String, dependency: String)?
        // Whether every dependency is declared before its dependent: then there is no cycle, and declaration order
        // is the topological order (Kahn's min-heap would pop every node in declaration order).
        var isDeclaredInOrder = true
        for (position, node) in nodes.enumerated() {
            for dependency in node.dependencies {
                guard let target = index[dependency] else {
                    if firstUnknown == nil { firstUnknown = (node.id, dependency) }
                    continue
                }
                if target == position { throw .selfDependency(node.id) }
                if target > position { isDeclaredInOrder = false }
                if lastSeenBy[target] != position {
                    lastSeenBy[target] = position
                    dependencyTargets.append(target)
                    dependentCursor[target] += 1
                }
            }
            dependencyStarts.append(dependencyTargets.count)
        }
        if let firstUnknown { throw .unknownDependency(node: firstUnknown.node, dependency: firstUnknown.dependency) }
        // Each node's dependents, in declaration order: a node's slot range from the counts, filled by walking the
        // dependencies in declaration order of the dependent.
        var dependentStarts: [Int] = []
        dependentStarts.reserveCapacity(ids.count + 1)
        dependentStarts.append(0)
        for node in ids.indices {
            let count = dependentCursor[node]
            dependentCursor[node] = dependentStarts[node]
            dependentStarts.append(dependentStarts[node] + count)
        }
        var dependentTargets = [Int](repeating: 0, count: dependencyTargets.count)
        for position in ids.indices {
            for target in dependencyTargets[dependencyStarts[position]..<dependencyStarts[position + 1]] {
                dependentTargets[dependentCursor[target]] = position
                dependentCursor[target] += 1
            }
        }
        let dependencies = AdjacencyLists(starts: dependencyStarts, targets: dependencyTargets)
        let dependents = AdjacencyLists(starts: dependentStarts, targets: dependentTargets)
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
        dependencies: AdjacencyLists,
        dependents: AdjacencyLists
    ) throws(TaskGraphError) -> [Int] {
        var waiting = dependencies.counts()
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
    @usableFromInline let dependencies: AdjacencyLists
    /// Each node's direct dependents, in declaration order.
    @usableFromInline let dependents: AdjacencyLists
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

/// Every node's adjacency list (its dependencies, or its dependents) in one flat array: node `i`'s list is
/// `targets[starts[i]..<starts[i + 1]]` (compressed sparse rows). Two arrays per graph instead of one per node.
@usableFromInline
struct AdjacencyLists: Sendable {
    /// Where each node's list begins in ``targets``, and one more entry: the end of the last list.
    @usableFromInline let starts: [Int]
    /// Every list, one after the other, in node order.
    @usableFromInline let targets: [Int]

    @inlinable
    init(starts: [Int], targets: [Int]) {
        self.starts = starts
        self.targets = targets
    }

    /// The list of node `node`.
    @inlinable
    subscript(node: Int) -> ArraySlice<Int> { targets[starts[node]..<starts[node + 1]] }

    /// Each node's list length, in node order.
    @inlinable
    func counts() -> [Int] { (0..<starts.count - 1).map { starts[$0 + 1] - starts[$0] } }
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
