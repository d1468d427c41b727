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
        // Built here, off the run's loop, once the first attempt is sure to call the body; kept for retries.
        var dependencyOutputs: [String: Output]?
        attempts: while true {
            guard !Task.isCancelled else {
                run.ending = .cancelled
                break
            }
            // The first attempt starts with the run: one clock reading for both.
            let startNanoseconds = attempt == 1 ? run.startNanoseconds : offset()
            // The executor announces attempt 1 as it schedules the node, in start order.
            if attempt > 1 { onEvent?(.nodeStarted(node: node, attempt: attempt, atNanoseconds: startNanoseconds)) }
            let outputs = dependencyOutputs ?? dependencyInputs.dictionary
            dependencyOutputs = outputs
            let invocation = NodeInvocation(node: node, attempt: attempt, dependencyOutputs: outputs)
            let result = await call(body, with: invocation, clock: clock)
            let endNanoseconds = offset()
            endOfLastAttempt = endNanoseconds
            func record(_ outcome: NodeStatus, _ error: ErrorRecord? = nil) {
                run.attempts.append(
                    TaskGraphAttemptRecord(
                        number: attempt,
                        startNanoseconds: startNanoseconds,
                        endNanoseconds: endNanoseconds,
                        outcome: outcome,
                        error: error
                    )
                )
            }
            switch result {
            case .returned(let output):
                record(.succeeded)
                run.ending = .succeeded(output)
            case .timedOut:
                record(.timedOut)
                run.ending = .timedOut
            case .threw(let error):
                let errorRecord = ErrorRecord(error)
                if Task.isCancelled || error is CancellationError {
                    // Cancelled first (fail-fast, the deadline, the caller): whatever the body threw on the way out,
                    // even a stop signal, the node was cancelled.
                    record(.cancelled, errorRecord)
                    run.ending = .cancelled
                } else if error is any TaskGraphStopSignal {
                    record(.failed, errorRecord)
                    run.ending = .stopSignal(FailedRun(errorRecord))
                } else if errorRecord.isRetryable, attempt < policy.maxAttempts {
                    record(.failed, errorRecord)
                    let hint = (error as? any RetryableError)?.retryAfter
                    let delay = max(hint ?? policy.delay(afterAttempt: attempt, key: node), .zero)
                    run.retryDelaysNanoseconds.append(Nanoseconds(delay))
                    endOfLastAttempt = nil
                    onEvent?(
                        .nodeRetrying(
                            node: node,
                            failedAttempt: attempt,
                            delayNanoseconds: Nanoseconds(delay),
                            atNanoseconds: offset()
                        )
                    )
                    if delay > .zero {
                        do {
                            try await clock.sleep(until: clock.now.advanced(by: delay), tolerance: nil)
                        } catch {
                            run.ending = .cancelled
                            break attempts
                        }
                    }
                    attempt += 1
                    continue attempts
                } else {
                    record(.failed, errorRecord)
                    run.ending = .failed(FailedRun(errorRecord))
                }
            }
            break
        }
        run.endNanoseconds = endOfLastAttempt ?? offset()
        return run
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

    @usableFromInline var attempts: [TaskGraphAttemptRecord] = []
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
