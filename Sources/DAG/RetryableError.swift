/// An error that says whether the operation that threw it may be retried.
///
/// The executor retries a node only when its body throws an error conforming to this protocol whose
/// ``isRetryable`` is `true`, and only while the node's ``RetryPolicy`` allows more attempts. Plain errors,
/// `CancellationError` and ``GraphStopSignal`` errors are never retried. Adapters map transport errors (a 503, a
/// rate limit) to conforming errors; deterministic bugs should say `false`.
public protocol RetryableError: Error {
    /// Whether another attempt may succeed.
    var isRetryable: Bool { get }

    /// How long to wait before the next attempt, overriding the policy's computed backoff (for example a server's
    /// `Retry-After`); `nil` to use the policy. The default is `nil`.
    var retryAfter: Duration? { get }
}

extension RetryableError {
    /// No hint: the retry policy's computed backoff applies.
    public var retryAfter: Duration? { nil }
}

/// An error that asks the executor to stop the whole run.
///
/// When a node body throws a conforming error, the executor starts no further node, cancels the nodes in flight
/// (reported ``NodeStatus/cancelled``), skips the unstarted ones, records the throwing node as
/// ``NodeStatus/failed`` with this error, and ends the run with ``GraphRunStatus/stopped`` and
/// ``GraphRunReport/stoppedBy`` naming the node. It applies in both failure modes and is never retried. A layer
/// above the executor uses it to stop a graph when a shared budget is exhausted.
public protocol GraphStopSignal: Error {}
