public import AgentPolicy

/// Runs the attempts of one node in a child task: timeouts, retries and backoff; never throws.
@usableFromInline
struct NodeAttempts: Sendable {
    @usableFromInline let node: String
    @usableFromInline let policy: RetryPolicy
    @usableFromInline let timeout: Duration?
    @usableFromInline let onEvent: (@Sendable (TaskGraphEvent) -> Void)?

    @inlinable
    init(node: String, policy: RetryPolicy, timeout: Duration?, onEvent: (@Sendable (TaskGraphEvent) -> Void)?) {
        self.node = node
        self.policy = policy
        self.timeout = timeout
        self.onEvent = onEvent
    }

    /// Calls the body until it succeeds, fails for good, times out or is cancelled.
    @inlinable
    func run<C: Clock<Duration>, Output: Sendable>(
        dependencyInputs: DependencyInputs<Output>,
        clock: C,
        origin: C.Instant,
        body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output
    ) async -> NodeRun<Output> {
        func offset() -> Nanoseconds { Nanoseconds(origin.duration(to: clock.now)) }
        var run = NodeRun<Output>(startNanoseconds: offset())
        // The run's end when it is the last attempt's end (no clock reading after it); `nil` reads the clock.
        var endOfLastAttempt: Nanoseconds?
        var attempt = 1
        attempts: while true {
            guard !Task.isCancelled else {
                run.ending = .cancelled
                break
            }
            // The first attempt starts with the run: one clock reading for both.
            let startNanoseconds = attempt == 1 ? run.startNanoseconds : offset()
            // The executor announces attempt 1 as it schedules the node, in start order.
            if attempt > 1 { onEvent?(.nodeStarted(node: node, attempt: attempt, atNanoseconds: startNanoseconds)) }
            // The dictionary is built only if the body reads it.
            let invocation = NodeInvocation(node: node, attempt: attempt, inputs: dependencyInputs)
            let result = await call(body, with: invocation, clock: clock)
            let endNanoseconds = offset()
            endOfLastAttempt = endNanoseconds
            let record = TaskGraphAttemptRecord(
                number: attempt,
                startNanoseconds: startNanoseconds,
                endNanoseconds: endNanoseconds,
                outcome: .succeeded
            )
            switch result {
            case .returned(let output):
                run.attempts.append(record)
                run.ending = .succeeded(output)
            case .timedOut:
                var timedOut = record
                timedOut.outcome = .timedOut
                run.attempts.append(timedOut)
                run.ending = .timedOut
            case .threw(let error):
                guard let delay = settle(&run, attempt: record, threw: error, clock: clock, origin: origin) else {
                    break
                }
                endOfLastAttempt = nil
                if delay > .zero, await !Self.sleep(for: delay, on: clock) {
                    run.ending = .cancelled
                    break attempts
                }
                attempt += 1
                continue attempts
            }
            break
        }
        run.endNanoseconds = endOfLastAttempt ?? offset()
        return run
    }

    /// Records an attempt whose body threw and decides what follows: the delay before the next attempt, or `nil`
    /// once the run has ended (cancelled, stopped, failed for good; `run.ending` says which).
    ///
    /// Never inlined, for the reason given at ``race(_:with:clock:timeout:)``: the error handling's temporaries
    /// would be part of every node's frame, though most nodes never throw.
    @inlinable @inline(never)
    func settle<C: Clock<Duration>, Output: Sendable>(
        _ run: inout NodeRun<Output>,
        attempt record: TaskGraphAttemptRecord,
        threw error: any Error,
        clock: C,
        origin: C.Instant
    ) -> Duration? {
        let errorRecord = ErrorRecord(error)
        var record = record
        record.outcome = .failed
        record.error = errorRecord
        if Task.isCancelled || error is CancellationError {
            // Cancelled first (fail-fast, the deadline, the caller): whatever the body threw on the way out, even a
            // stop signal, the node was cancelled.
            record.outcome = .cancelled
            run.attempts.append(record)
            run.ending = .cancelled
            return nil
        }
        run.attempts.append(record)
        if error is any TaskGraphStopSignal {
            run.ending = .stopSignal(FailedRun(errorRecord))
            return nil
        }
        guard errorRecord.isRetryable, record.number < policy.maxAttempts else {
            run.ending = .failed(FailedRun(errorRecord))
            return nil
        }
        let hint = (error as? any RetryableError)?.retryAfter
        let delay = max(hint ?? policy.delay(afterAttempt: record.number, key: node), .zero)
        run.retryDelaysNanoseconds.append(Nanoseconds(delay))
        onEvent?(
            .nodeRetrying(
                node: node,
                failedAttempt: record.number,
                delayNanoseconds: Nanoseconds(delay),
                atNanoseconds: Nanoseconds(origin.duration(to: clock.now))
            )
        )
        return delay
    }

    /// The backoff sleep before a retry; `false` if it was cancelled.
    ///
    /// Never inlined, for the reason given at ``race(_:with:clock:timeout:)``: the sleep's frame would be part of
    /// every node's frame.
    @inlinable @inline(never)
    static func sleep<C: Clock<Duration>>(for delay: Duration, on clock: C) async -> Bool {
        do {
            try await clock.sleep(until: clock.now.advanced(by: delay), tolerance: nil)
            return true
        } catch {
            return false
        }
    }

    /// One body call, raced against the attempt timeout if there is one; the loser is cancelled and awaited.
    @inlinable
    func call<C: Clock<Duration>, Output: Sendable>(
        _ body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output,
        with invocation: NodeInvocation<Output>,
        clock: C
    ) async -> AttemptResult<Output> {
        guard let timeout else {
            do { return .returned(try await body(invocation)) } catch { return .threw(error) }
        }
        return await race(body, with: invocation, clock: clock, timeout: timeout)
    }

    /// One body call raced against the attempt timeout; the loser is cancelled and awaited.
    ///
    /// Never inlined into ``run(dependencyInputs:clock:origin:body:)``: an async function's frame holds every local
    /// of what is inlined into it, and the race's task group made each node's frame about 3.3 KB, more than the
    /// task allocator's first slab, so every node allocated a slab of its own for it (and another for the body).
    @inlinable @inline(never)
    func race<C: Clock<Duration>, Output: Sendable>(
        _ body: @escaping @Sendable (NodeInvocation<Output>) async throws -> Output,
        with invocation: NodeInvocation<Output>,
        clock: C,
        timeout: Duration
    ) async -> AttemptResult<Output> {
        let deadline = clock.now.advanced(by: timeout)
        return await withTaskGroup(of: AttemptResult<Output>?.self) { group in
            group.addTask {
                do { return .returned(try await body(invocation)) } catch { return .threw(error) }
            }
            group.addTask {
                do {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    return .timedOut
                } catch {
                    return nil  // cancelled: the body decides the outcome
                }
            }
            defer { group.cancelAll() }  // runs before the group awaits the loser
            for await case let result? in group { return result }
            return .threw(CancellationError())
        }
    }
}

/// How one body call ended.
@usableFromInline
enum AttemptResult<Output: Sendable>: Sendable {
    case returned(Output)
    case threw(any Error)
    case timedOut
}

/// Everything one node's child task produced.
@usableFromInline
struct NodeRun<Output: Sendable>: Sendable {
    /// The errors are boxed (``FailedRun``): the scheduler keeps one run per node until the report, and an
    /// inline `ErrorRecord` made every run 88 bytes larger, though most never fail.
    @usableFromInline
    enum Ending: Sendable {
        case succeeded(Output)
        case failed(FailedRun)
        case timedOut
        case cancelled
        case stopSignal(FailedRun)
    }

    /// Every body call, in order; a single one inline (no array per node).
    @usableFromInline var attempts: AttemptRecordList = .none
    @usableFromInline var retryDelaysNanoseconds: [Nanoseconds] = []
    @usableFromInline var ending: Ending = .cancelled
    @usableFromInline var startNanoseconds: Nanoseconds
    @usableFromInline var endNanoseconds: Nanoseconds = 0

    @inlinable init(startNanoseconds: Nanoseconds) { self.startNanoseconds = startNanoseconds }

    @inlinable var status: NodeStatus {
        switch ending {
        case .succeeded: .succeeded
        case .failed, .stopSignal: .failed
        case .timedOut: .timedOut
        case .cancelled: .cancelled
        }
    }

    @inlinable var output: Output? {
        if case .succeeded(let output) = ending { output } else { nil }
    }

    @inlinable var error: ErrorRecord? {
        switch ending {
        case .failed(let failed), .stopSignal(let failed): failed.error
        case .succeeded, .timedOut, .cancelled: nil
        }
    }
}

/// The error that ended a node's run, kept out of line in ``NodeRun/Ending`` (8 bytes instead of 88).
@usableFromInline
final class FailedRun: Sendable {
    @usableFromInline let error: ErrorRecord

    @usableFromInline init(_ error: ErrorRecord) { self.error = error }
}
