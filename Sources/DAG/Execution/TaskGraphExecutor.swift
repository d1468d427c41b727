public import AgentPolicy

/// Runs a ``TaskGraph``: each node as soon as its dependencies succeed, under a concurrency cap, with timeouts,
/// retries and a failure mode.
///
/// ```swift
/// let executor = TaskGraphExecutor(
///     configuration: .init(maxConcurrency: 4, failureMode: .continueIndependent, retryPolicy: .exponential(
///         maxAttempts: 3, initialDelay: .milliseconds(100), maxDelay: .seconds(1))),
///     clock: ContinuousClock()
/// )
/// let report = try await executor.run(graph) { invocation in
///     try await work(invocation.node, inputs: invocation.dependencyOutputs)
/// }
/// ```
///
/// Scheduling has no level barrier: a node starts the moment its last dependency succeeds and a slot is free.
/// The cap is filled whenever enough nodes are ready; ready nodes start in the order they became ready (the initial
/// ones in declaration order). Each run is one task group owned by ``run(_:body:)``; there are no unstructured
/// tasks, and all time (timeouts, backoff, report times) comes from the injected clock.
///
/// The executor is a `Sendable` value with no per-run state: one executor may run any number of graphs, also
/// concurrently, and two runs of the same graph are independent.
public struct TaskGraphExecutor: Sendable {
    /// The settings every run uses.
    public var configuration: Configuration
    @usableFromInline let clock: any Clock<Duration>

    /// Creates an executor.
    ///
    /// - Parameters:
    ///   - configuration: The settings every run uses.
    ///   - clock: The clock for timeouts, backoff sleeps and report times; a manual clock makes tests
    ///     deterministic.
    public init(configuration: Configuration = Configuration(), clock: some Clock<Duration> = ContinuousClock()) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Runs every node of a graph and returns the report.
    ///
    /// The graph and the configuration are validated first; if either is invalid, no node runs and the error is
    /// thrown. Otherwise the call always returns a report in which every node has a terminal status:
    ///
    /// - A node's body is called once its dependencies have all succeeded, with exactly their outputs. A body that
    ///   returns succeeds. A body that throws a retryable `RetryableError` is called again per the node's
    ///   `RetryPolicy` (both AgentPolicy) after a backoff sleep on the injected clock; any other error fails the node. An attempt
    ///   running past its timeout is cancelled and the node is ``NodeStatus/timedOut``.
    /// - ``FailureMode/failFast``: the first node that fails, times out or cancels itself cancels the nodes in
    ///   flight (``NodeStatus/cancelled``); unstarted nodes are ``NodeStatus/skipped``.
    ///   ``FailureMode/continueIndependent``: only that node's transitive dependents are skipped.
    /// - A ``TaskGraphStopSignal`` thrown by a body, the run timeout, or cancellation of the calling task stop the
    ///   run in every mode: no further node starts, nodes in flight are cancelled (and awaited), unstarted nodes
    ///   are skipped, and the report's status says why. Cancellation never makes this method throw.
    ///
    /// Bodies run concurrently in child tasks and must observe cancellation to stop promptly; the run returns
    /// once every started body has returned.
    ///
    /// - Parameters:
    ///   - graph: The graph to run.
    ///   - body: The work of one node attempt; called concurrently from child tasks.
    /// - Returns: The run's report.
    /// - Throws: ``TaskGraphError`` if the graph or the configuration is invalid; nothing else.
    @concurrent @inlinable
    public func run<Output: Sendable>(
        _ graph: TaskGraph,
        body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output
    ) async throws(TaskGraphError) -> TaskGraphReport<Output> {
        try await validateAndExecute(graph, routing: nil, body: body)
    }

    /// Runs every node of a graph, letting each succeeded node choose which of its dependents it routes to.
    ///
    /// As ``run(_:body:)``, and after a node succeeds `routing` is called once with its id and output (on the run's
    /// loop, so it must be quick and must not block). It returns the ids of the dependents the node routes to, or
    /// `nil` for all of them. A dependent not in the set sees that input as not taken; once all its inputs have
    /// settled it runs or ends ``NodeStatus/skippedByBranch`` according to its ``TaskGraph/JoinMode``, and a node
    /// skipped by a branch counts as an input not taken for its own dependents. Ids that are not dependents are
    /// ignored. Skipped-by-branch nodes do not make a run fail: a run whose other nodes all succeeded succeeded, and
    /// a sink skipped by a branch is left out of the final output.
    ///
    /// - Parameters:
    ///   - graph: The graph to run.
    ///   - routing: The dependents a succeeded node routes to, by id; `nil` for all.
    ///   - body: The work of one node attempt; called concurrently from child tasks.
    /// - Returns: The run's report.
    /// - Throws: ``TaskGraphError`` if the graph or the configuration is invalid; nothing else.
    @concurrent @inlinable
    public func run<Output: Sendable>(
        _ graph: TaskGraph,
        routing: @escaping @Sendable (_ node: String, _ output: Output) -> Set<String>?,
        body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output
    ) async throws(TaskGraphError) -> TaskGraphReport<Output> {
        try await validateAndExecute(graph, routing: routing, body: body)
    }

    /// Validates the graph against the configuration and runs it, on a concrete clock when it is one.
    @inlinable
    func validateAndExecute<Output: Sendable>(
        _ graph: TaskGraph,
        routing: (@Sendable (String, Output) -> Set<String>?)?,
        body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output
    ) async throws(TaskGraphError) -> TaskGraphReport<Output> {
        let validated = try graph.validated()
        try configuration.check(against: validated)
        if let clock = clock as? ContinuousClock {
            // A concrete clock lets the compiler specialise the whole run for the caller's output type.
            return await execute(validated, on: clock, routing: routing, body: body)
        }
        return await execute(validated, on: clock, routing: routing, body: body)
    }

    @inlinable
    func execute<C: Clock<Duration>, Output: Sendable>(
        _ graph: ValidatedGraph,
        on clock: C,
        routing: (@Sendable (String, Output) -> Set<String>?)?,
        body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output
    ) async -> TaskGraphReport<Output> {
        let configuration = self.configuration
        let origin = clock.now
        let deadline = configuration.runTimeout.map { origin.advanced(by: $0) }
        let onEvent = configuration.onEvent
        func offset() -> Nanoseconds { Nanoseconds(origin.duration(to: clock.now)) }
        func emitFinished(_ first: Int?, _ nodes: [Int], in scheduler: TaskGraphScheduler<Output>) {
            guard let onEvent else { return }
            let at = offset()
            if let first {
                onEvent(.nodeFinished(node: graph.ids[first], status: scheduler.statuses[first]!, atNanoseconds: at))
            }
            for node in nodes {
                onEvent(.nodeFinished(node: graph.ids[node], status: scheduler.statuses[node]!, atNanoseconds: at))
            }
        }

        // The scheduler is a local of the group's closure (not captured from here), so calls on it borrow it
        // instead of copying it.
        var scheduler = await withTaskGroup(of: ChildResult<Output>.self) { group in
            var scheduler = TaskGraphScheduler<Output>(graph: graph, failureMode: configuration.failureMode)
            if let deadline {
                group.addTask {
                    do {
                        try await clock.sleep(until: deadline, tolerance: nil)
                        return .deadlinePassed
                    } catch {
                        return .deadlineCancelled
                    }
                }
            }
            // Checked once before the first node starts and then once per finished node, right after it arrives.
            if Task.isCancelled { scheduler.requestStop(.callerCancelled) }
            while true {
                if let deadline, clock.now >= deadline, scheduler.requestStop(.deadline) { group.cancelAll() }
                while let node = scheduler.nextToStart(maxConcurrency: configuration.maxConcurrency) {
                    let id = graph.ids[node]
                    let dependencyInputs = scheduler.dependencyInputs(of: node)
                    let attempts = NodeAttempts(
                        node: id,
                        policy: configuration.retryPolicy(of: id),
                        timeout: configuration.timeout(of: id),
                        onEvent: onEvent
                    )
                    // Announced here, not in the child: nodes started together are announced in start order.
                    onEvent?(.nodeStarted(node: id, attempt: 1, atNanoseconds: offset()))
                    group.addTask {
                        .node(
                            node,
                            await attempts.run(
                                dependencyInputs: dependencyInputs,
                                clock: clock,
                                origin: origin,
                                body: body
                            )
                        )
                    }
                }
                guard scheduler.inFlight > 0, let result = await group.next() else { break }
                // A child cancelled by the caller's cancellation must not count as a failure.
                if Task.isCancelled { scheduler.requestStop(.callerCancelled) }
                switch result {
                case .deadlinePassed:
                    if scheduler.requestStop(.deadline) { group.cancelAll() }
                case .deadlineCancelled:
                    break
                case .node(let node, let run):
                    let taken = routing.flatMap { routing in run.output.flatMap { routing(graph.ids[node], $0) } }
                    let effects = scheduler.finished(node, run: run, taken: taken)
                    if effects.cancelInFlight { group.cancelAll() }
                    emitFinished(node, effects.alsoFinished, in: scheduler)
                }
            }
            group.cancelAll()  // ends the deadline sleeper; every node child has returned
            return scheduler
        }
        emitFinished(nil, scheduler.skipRemaining(), in: scheduler)
        return scheduler.report(outputNode: configuration.outputNode, durationNanoseconds: offset())
    }
}

/// What a child of the run's task group returns.
@usableFromInline
enum ChildResult<Output: Sendable>: Sendable {
    case node(Int, NodeRun<Output>)
    case deadlinePassed
    case deadlineCancelled
}
