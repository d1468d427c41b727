public import AgentPolicy

/// The bookkeeping of one graph run: which nodes are ready, running and done, and what stopped the run.
///
/// A value owned by the run's group loop, so it needs no lock; its methods are synchronous and never await.
@usableFromInline
struct TaskGraphScheduler<Output: Sendable>: Sendable {
    /// Why a run stopped starting nodes.
    @usableFromInline
    enum StopCause: Hashable, Sendable {
        case failure
        case signal(Int)
        case deadline
        case callerCancelled
    }

    /// What the loop must do after a node finished.
    @usableFromInline
    struct Effects: Sendable {
        /// Nodes that reached a terminal status after the finished node itself, in order: the dependents it
        /// skipped. Empty (no allocation) when it skipped none.
        @usableFromInline var alsoFinished: [Int]
        /// Whether to cancel every child in flight.
        @usableFromInline var cancelInFlight: Bool

        @inlinable
        init(alsoFinished: [Int], cancelInFlight: Bool) {
            self.alsoFinished = alsoFinished
            self.cancelInFlight = cancelInFlight
        }
    }

    @usableFromInline let graph: ValidatedGraph
    @usableFromInline let failureMode: TaskGraphExecutor.FailureMode
    @usableFromInline var statuses: [NodeStatus?]
    @usableFromInline var runs: [NodeRun<Output>?]
    /// Each succeeded node's output, kept apart from `runs` so that reading one does not copy a whole run.
    @usableFromInline var outputs: [Output?]
    /// Each started node's end time, kept apart from `runs` for the critical path.
    @usableFromInline var endTimes: [Nanoseconds?]
    @usableFromInline var inFlight = 0
    @usableFromInline var stopCause: StopCause?
    @usableFromInline var waiting: [Int]
    @usableFromInline var ready: [Int]
    @usableFromInline var readyHead = 0
    /// Per node, how many of its inputs were taken (succeeded and routed to it); filled only once a node routes.
    @usableFromInline var takenInputs: [Int] = []
    /// Edges `[from, to]` whose source succeeded but routed elsewhere: the input is absent from `to`'s outputs.
    @usableFromInline var notTaken: Set<[Int]> = []

    @inlinable
    init(graph: ValidatedGraph, failureMode: TaskGraphExecutor.FailureMode) {
        self.graph = graph
        self.failureMode = failureMode
        statuses = Array(repeating: nil, count: graph.ids.count)
        runs = Array(repeating: nil, count: graph.ids.count)
        outputs = Array(repeating: nil, count: graph.ids.count)
        endTimes = Array(repeating: nil, count: graph.ids.count)
        waiting = graph.dependencies.counts()
        ready = graph.ids.indices.filter { graph.dependencies[$0].isEmpty }
    }

    /// Records why the run stops; the first cause wins.
    ///
    /// - Returns: Whether this call set the cause.
    @inlinable
    @discardableResult
    mutating func requestStop(_ cause: StopCause) -> Bool {
        guard stopCause == nil else { return false }
        stopCause = cause
        return true
    }

    /// Takes the next ready node if the run goes on and a slot is free.
    @inlinable
    mutating func nextToStart(maxConcurrency: Int) -> Int? {
        guard stopCause == nil, inFlight < maxConcurrency, readyHead < ready.count else { return nil }
        let node = ready[readyHead]
        readyHead += 1
        inFlight += 1
        return node
    }

    /// The outputs of a node's taken inputs (every dependency, unless routing left some out), in dependency order;
    /// no dictionary (the body's invocation builds it if the body reads it), and no array for up to two.
    @inlinable
    func dependencyInputs(of node: Int) -> DependencyInputs<Output> {
        let dependencies = graph.dependencies[node]
        guard !dependencies.isEmpty else { return .none }
        var first: (id: String, output: Output)?
        var second: (id: String, output: Output)?
        var list: [(id: String, output: Output)] = []  // allocated only for a third input
        for dependency in dependencies {
            if !notTaken.isEmpty, notTaken.contains([dependency, node]) { continue }
            guard let output = outputs[dependency] else { continue }
            let id = graph.ids[dependency]
            guard let taken = first else {
                first = (id, output)
                continue
            }
            guard let other = second else {
                second = (id, output)
                continue
            }
            if list.isEmpty {
                list.reserveCapacity(dependencies.count)
                list.append(taken)
                list.append(other)
            }
            list.append((id, output))
        }
        if !list.isEmpty { return .list(list) }
        guard let first else { return .none }
        guard let second else { return .one(first.id, first.output) }
        return .two(first.id, first.output, second.id, second.output)
    }

    /// Applies a finished node's run: readies its dependents (those in `taken`, or all when `taken` is `nil`; the
    /// others see the input as not taken), or applies the failure mode.
    @inlinable
    mutating func finished(_ node: Int, run: NodeRun<Output>, taken: Set<String>? = nil) -> Effects {
        inFlight -= 1
        var effects = Effects(alsoFinished: [], cancelInFlight: false)
        guard !run.attempts.isEmpty else {
            // Cancelled before its body was ever called: the node never started, so it is skipped.
            statuses[node] = .skipped
            effects.alsoFinished += skipDependents(of: node)
            return effects
        }
        statuses[node] = run.status
        endTimes[node] = run.endNanoseconds
        let ending = run.ending
        // Copied, not consumed: a `consuming` run crashes the 6.3 compiler's move-only checker now that the single
        // attempt record (with its out-of-line error) is inline; the copy retains no array for a one-attempt node.
        runs[node] = run
        switch ending {
        case .succeeded(let output):
            outputs[node] = output
            guard takenInputs.isEmpty, taken == nil else {
                route(node, taken: taken, finished: &effects.alsoFinished)
                break
            }
            for dependent in graph.dependents[node] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0, statuses[dependent] == nil { ready.append(dependent) }
            }
        case .stopSignal:
            effects.cancelInFlight = requestStop(.signal(node))
            effects.alsoFinished += skipDependents(of: node)
        case .failed, .timedOut, .cancelled:
            if failureMode == .failFast { effects.cancelInFlight = requestStop(.failure) }
            effects.alsoFinished += skipDependents(of: node)
        }
        return effects
    }

    /// Settles the inputs a succeeded node gives its dependents when routing is in play, and decides each dependent
    /// whose inputs have all settled: ready per its join, or skipped by branch (which settles its own dependents'
    /// inputs as not taken, and so on).
    @inlinable
    mutating func route(_ node: Int, taken: Set<String>?, finished: inout [Int]) {
        if takenInputs.isEmpty {
            // First routing decision of the run: count the inputs already taken (every succeeded dependency so far
            // routed to all its dependents).
            takenInputs = graph.dependencies.counts()
            for index in takenInputs.indices { takenInputs[index] -= waiting[index] }
        }
        var settled: [(from: Int, to: Int, isTaken: Bool)] = graph.dependents[node].map { dependent in
            (node, dependent, taken.map { $0.contains(graph.ids[dependent]) } ?? true)
        }
        while let input = settled.popLast() {
            if input.isTaken { takenInputs[input.to] += 1 } else { notTaken.insert([input.from, input.to]) }
            waiting[input.to] -= 1
            let dependent = input.to
            guard waiting[dependent] == 0, statuses[dependent] == nil else { continue }
            let isRunnable =
                graph.joinsAny[dependent]
                ? takenInputs[dependent] > 0 : takenInputs[dependent] == graph.dependencies[dependent].count
            if isRunnable {
                ready.append(dependent)
            } else {
                statuses[dependent] = .skippedByBranch
                finished.append(dependent)
                settled += graph.dependents[dependent].reversed().map { (dependent, $0, false) }
            }
        }
    }

    /// Marks every transitive dependent of a node that did not succeed as skipped (none of them can have started).
    @inlinable
    mutating func skipDependents(of node: Int) -> [Int] {
        var skipped: [Int] = []
        var stack = Array(graph.dependents[node])
        while let dependent = stack.popLast() {
            guard statuses[dependent] == nil else { continue }
            statuses[dependent] = .skipped
            skipped.append(dependent)
            stack += graph.dependents[dependent]
        }
        return skipped.sorted()
    }

    /// Marks every node without a status as skipped; call once no child is in flight.
    @inlinable
    mutating func skipRemaining() -> [Int] {
        precondition(inFlight == 0, "nodes are still running")
        var skipped: [Int] = []
        for node in statuses.indices where statuses[node] == nil {
            statuses[node] = .skipped
            skipped.append(node)
        }
        return skipped
    }

    /// Builds the report once every node has a status; moves each node's run into its record.
    @inlinable
    mutating func report(outputNode: String?, durationNanoseconds: Nanoseconds) -> TaskGraphReport<Output> {
        var records: [TaskGraphNodeRecord<Output>] = []
        records.reserveCapacity(graph.ids.count)
        var counts = TaskGraphStatusCounts()
        for node in graph.ids.indices {
            let status = statuses[node] ?? .skipped
            counts.add(status)
            guard let run = runs[node].take() else {
                records.append(TaskGraphNodeRecord(id: graph.ids[node], status: status))
                continue
            }
            records.append(
                TaskGraphNodeRecord(
                    id: graph.ids[node],
                    status: status,
                    attemptList: run.attempts,
                    retryDelaysNanoseconds: run.retryDelaysNanoseconds,
                    error: run.error,
                    output: run.output,
                    startNanoseconds: run.startNanoseconds,
                    endNanoseconds: run.endNanoseconds
                )
            )
        }
        let allSucceeded = statuses.allSatisfy { $0 == .succeeded || $0 == .skippedByBranch }
        let status: RunStatus
        var stoppedBy: String?
        switch stopCause {
        case _ where allSucceeded: status = .succeeded
        case .callerCancelled: status = .cancelled
        case .deadline: status = .timedOut
        case .signal(let node):
            status = .stopped
            stoppedBy = graph.ids[node]
        case .failure, nil: status = .failed
        }
        return TaskGraphReport(
            status: status,
            nodes: records,
            counts: counts,
            finalOutput: finalOutput(outputNode: outputNode),
            criticalPath: criticalPathTaken(),
            stoppedBy: stoppedBy,
            durationNanoseconds: durationNanoseconds
        )
    }

    /// The designated node's output, or every sink's in declaration order (sinks skipped by a branch left out);
    /// `nil` unless all of them succeeded.
    @inlinable
    func finalOutput(outputNode: String?) -> TaskGraphFinalOutput<Output>? {
        if let outputNode {
            guard let node = graph.index[outputNode], let output = outputs[node] else { return nil }
            return .node(id: outputNode, output: output)
        }
        var sinkOutputs: [NodeOutput<Output>] = []
        for node in graph.ids.indices where graph.dependents[node].isEmpty {
            if statuses[node] == .skippedByBranch { continue }
            guard let output = outputs[node] else { return nil }
            sinkOutputs.append(NodeOutput(id: graph.ids[node], output: output))
        }
        return .sinks(outputs: sinkOutputs)
    }

    /// From the last node to finish, back through the dependency that finished last; ties go to the node later in
    /// topological order.
    @inlinable
    func criticalPathTaken() -> [String] {
        var position = Array(repeating: 0, count: graph.ids.count)
        for (rank, node) in graph.order.enumerated() { position[node] = rank }
        func latest(_ candidates: some Sequence<Int>) -> Int? {
            var best: (node: Int, end: Nanoseconds)?
            for node in candidates {
                guard let end = endTimes[node] else { continue }
                if let current = best, (end, position[node]) <= (current.end, position[current.node]) { continue }
                best = (node, end)
            }
            return best?.node
        }
        guard var node = latest(graph.ids.indices) else { return [] }
        var path = [node]
        while let previous = latest(graph.dependencies[node]) {
            path.append(previous)
            node = previous
        }
        return path.reversed().map { graph.ids[$0] }
    }
}
