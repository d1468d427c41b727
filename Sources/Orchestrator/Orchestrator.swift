public import AgentAdapters
@_spi(Internals) import AgentPolicy

/// Runs agents under a `StrictPolicy` and returns an ``ExecutionReport`` for every outcome.
///
/// Each run goes through INIT → PLAN → EXECUTE → REVIEW → TERMINATE. Steps, tool calls, tokens and cost are
/// reserved from the run's budget before the work starts; the run's timeout cancels in-flight work and the report
/// comes back at the deadline, also when the agent ignores cancellation. An orchestrator serves any number of
/// sequential and concurrent runs; runs share nothing unless you pass them one `SharedBudget`.
///
/// ```swift
/// let orchestrator = try Orchestrator(tools: [calculator])
/// let report = await orchestrator.run(agent, task: "What is 2+2?", policy: try StrictPolicy(maxSteps: 5))
/// print(report.status, report.finalOutput ?? "none")
/// ```
///
/// Inject a `ManualClock` (from the AgentTesting product) and a seeded ``ExecutionIDGenerator`` for deterministic
/// tests: two identical runs then encode to byte-identical JSON.
///
/// The orchestrator never uses the main actor. ``run(_:task:policy:sharedBudget:metadata:)`` runs on the global
/// concurrent executor and may be called from any context; cancelling the calling task cancels the run. A run
/// started with ``start(_:task:policy:sharedBudget:metadata:eventBufferSize:)`` belongs to the orchestrator instead
/// and is cancelled through its ``RunHandle``. ``shutdown()`` ends every run in flight and refuses later ones.
public actor Orchestrator {
    /// Where agents' code runs.
    public enum AgentExecution: Hashable, Sendable {
        /// On threads of the orchestrator's own, made on demand up to `maximumThreads`. An agent that never yields
        /// (a busy loop) then occupies one of these threads, never one of Swift's cooperative pool, so the deadline
        /// and everything else keep running even when several agents spin at once. The default.
        case dedicatedThreads(maximumThreads: Int)
        /// On Swift's shared cooperative pool: a little faster per run, but as many busy-looping agents as there are
        /// cores starve the pool, and then deadlines fire only when a loop ends.
        case sharedPool
    }

    /// Settings for an orchestrator.
    public struct Configuration: Sendable {
        /// How many events each subscriber's stream buffers before it drops the oldest; 4,096 by default.
        public var eventBufferSize: Int = 4096
        /// Where agents' code runs; dedicated threads (at most 64) by default.
        public var agentExecution: AgentExecution = .dedicatedThreads(maximumThreads: 64)
        /// The clock whose readings a journal keeps across a restart: a journaled workflow's wait records its deadline
        /// on it, so that a resumed wait ends at the original deadline. The system's real-time clock by default; in
        /// tests, one that reads the test's `ManualClock`.
        public var wallClock: WallClock = .system

        /// Creates the default configuration.
        public init() {}
    }

    /// The tools every run may call (subject to its policy).
    public nonisolated let tools: ToolRegistry
    /// The orchestrator's settings.
    public nonisolated let configuration: Configuration
    nonisolated let time: TimeSource
    nonisolated let clock: any Clock<Duration>
    nonisolated let ids: ExecutionIDGenerator
    nonisolated let hub = EventHub()
    nonisolated let agentThreads: AgentThreadPool?
    /// Runs admitted and not yet retired, and whether new runs are admitted (see ``shutdown()``). In a lock rather
    /// than in the actor's isolation, so that admitting and retiring a run costs no executor hop (two per run, and
    /// contended when many runs end at once).
    nonisolated let runs = LockedState(RunTable())
    /// Workflow drivers running, ended by ``shutdown()``.
    nonisolated let workflows = LockedState(WorkflowTable())

    /// Creates an orchestrator.
    ///
    /// - Parameters:
    ///   - tools: The tools agents may call, by name.
    ///   - clock: The clock for timeouts, sleeps and report times; a `ManualClock` (from AgentTesting) in tests.
    ///   - idGenerator: Makes execution ids; random by default.
    ///   - configuration: Other settings.
    /// - Throws: `ToolError` for a duplicate or badly named tool, listing what is registered.
    public init(
        tools: [any Tool] = [],
        clock: some Clock<Duration> = ContinuousClock(),
        idGenerator: ExecutionIDGenerator = .random(),
        configuration: Configuration = Configuration()
    ) throws(ToolError) {
        self.tools = try ToolRegistry(tools)
        self.time = TimeSource(clock)
        self.clock = clock
        self.ids = idGenerator
        self.configuration = configuration
        switch configuration.agentExecution {
        case .dedicatedThreads(let maximum): agentThreads = AgentThreadPool(maximum: maximum)
        case .sharedPool: agentThreads = nil
        }
    }

    deinit { hub.finish() }

    /// Subscribes to the events of every run that starts from now on.
    ///
    /// Each call returns a new stream. Delivery never waits for the subscriber: when its buffer is full, the oldest
    /// event is dropped, and the run's report counts the drop. The stream finishes when the orchestrator is
    /// released; releasing the stream (and its iterator) ends the subscription.
    ///
    /// - Parameter capacity: The buffer size; ``Configuration/eventBufferSize`` when `nil`.
    /// - Returns: The stream of events.
    public nonisolated func events(bufferingNewest capacity: Int? = nil) -> OrchestrationEventStream {
        hub.subscribe(bufferingNewest: capacity ?? configuration.eventBufferSize)
    }

    /// Stops the orchestrator in two stages: no new runs, then the runs in flight end and their agents' code
    /// returns.
    ///
    /// From the moment this is called every run started afterwards (single, multi-agent or graph) returns its
    /// report at once with ``StopReason/shutdown`` and calls no agent. Runs in flight are ended with the same stop
    /// reason (their reports say so, with everything they did) and this call waits until their reports are made and
    /// until agent code they abandoned (a busy loop that ignores cancellation) has returned, so no work of this
    /// orchestrator outlives the call; nor does any thread of its own (the agent threads and the deadline timer
    /// end without waiting out their idle timeout). Calling it again waits the same way; it never throws.
    ///
    /// Workflows end too: each running workflow (and each started afterwards) ends
    /// ``WorkflowStopReason/Kind/cancelled`` with the reason "the orchestrator shut down", its runs and timers
    /// ended, and its handle gets its report; this call waits for those reports. The shutdown is not journaled: a
    /// journaled workflow resumes from its journal in the next process.
    public func shutdown() async {
        // Workflows first: their drivers take the shutdown before the outcome of any run it ends.
        for inbox in workflows.withLock({ $0.beginShutdown() }) {
            inbox.send(WorkflowInbox.Message(input: .shutdown, reply: nil))
        }
        let inFlight = runs.withLock { $0.beginShutdown() }
        for run in inFlight { run.terminate(.shutdown) }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            runs.withLock { $0.waitUntilEmpty(waiter) }?.resume()
        }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            workflows.withLock { $0.waitUntilEmpty(waiter) }?.resume()
        }
        for run in runs.withLock({ $0.takeAbandoned() }) { await run.waitForAgentWork() }
        // With every run and its agent code ended, the agent threads and the deadline timer's thread end now
        // rather than after their idle timeout.
        await agentThreads?.retire()
        await time.deadlineTimer?.retire()
    }

    /// Whether ``shutdown()`` has been called.
    public var isShutDown: Bool { !runs.withLock { $0.acceptsRuns } }

    /// Admits a run unless the orchestrator is shutting down.
    nonisolated func admit(_ run: RunRuntime) async -> Bool { runs.withLock { $0.admit(run) } }

    /// Retires a run whose report is made; keeps it while agent code it abandoned still runs.
    ///
    /// Whether agent code has ended is read from each run before the table's lock is taken (the run has a lock of
    /// its own), and abandoned runs whose code has ended meanwhile are forgotten here.
    nonisolated func retire(_ run: RunRuntime) async {
        let ended = run.hasAgentWorkEnded
        let (waiters, abandoned) = runs.withLock { table in
            (table.retire(run, agentWorkEnded: ended), table.abandonedRuns)
        }
        waiters?.resume()
        let finished = abandoned.filter(\.hasAgentWorkEnded)
        if !finished.isEmpty { runs.withLock { $0.forget(finished) } }
    }
}

/// The orchestrator's table of runs: a value, so its rules are tested without the lock.
struct RunTable: Sendable {
    private(set) var acceptsRuns = true
    private var inFlight: [ObjectIdentifier: RunRuntime] = [:]
    private var abandoned: [ObjectIdentifier: RunRuntime] = [:]
    private var emptyWaiters: [CheckedContinuation<Void, Never>] = []

    mutating func admit(_ run: RunRuntime) -> Bool {
        guard acceptsRuns else { return false }
        inFlight[ObjectIdentifier(run)] = run
        return true
    }

    /// Removes a finished run; returns the waiter to resume when the table became empty during shutdown.
    ///
    /// - Parameters:
    ///   - run: The run whose report is made.
    ///   - agentWorkEnded: Whether its agent code has returned; if not, the run is kept as abandoned.
    /// - Returns: The `shutdown()` callers to resume, if the table became empty during shutdown.
    mutating func retire(_ run: RunRuntime, agentWorkEnded: Bool) -> ResumeAll? {
        inFlight[ObjectIdentifier(run)] = nil
        if !agentWorkEnded { abandoned[ObjectIdentifier(run)] = run }
        guard inFlight.isEmpty, !emptyWaiters.isEmpty else { return nil }
        defer { emptyWaiters = [] }
        return ResumeAll(emptyWaiters)
    }

    /// The runs kept because their agent code may still be running.
    var abandonedRuns: [RunRuntime] { abandoned.isEmpty ? [] : Array(abandoned.values) }

    /// Forgets abandoned runs whose agent code has ended.
    mutating func forget(_ runs: [RunRuntime]) {
        for run in runs { abandoned[ObjectIdentifier(run)] = nil }
    }

    /// Stops admitting runs; returns the runs in flight.
    mutating func beginShutdown() -> [RunRuntime] {
        acceptsRuns = false
        return Array(inFlight.values)
    }

    /// Registers a waiter for the table to empty; returns it to resume at once if it is empty.
    mutating func waitUntilEmpty(_ waiter: CheckedContinuation<Void, Never>) -> CheckedContinuation<Void, Never>? {
        guard !inFlight.isEmpty else { return waiter }
        emptyWaiters.append(waiter)
        return nil
    }

    /// The runs whose agent code may still be running.
    mutating func takeAbandoned() -> [RunRuntime] {
        defer { abandoned = [:] }
        return Array(abandoned.values)
    }
}

/// Continuations to resume together, after the state that held them is released.
struct ResumeAll: Sendable {
    let waiters: [CheckedContinuation<Void, Never>]
    init(_ waiters: [CheckedContinuation<Void, Never>]) { self.waiters = waiters }
    func resume() { for waiter in waiters { waiter.resume() } }
}
