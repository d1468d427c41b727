/// An error that says whether the operation that threw it may be retried.
///
/// Retrying code (the task-graph executor, graphs of agents, adapters that call a model or a service) tries the
/// work again only when it threw an error conforming to this protocol whose ``isRetryable`` is `true`, and only while
/// its ``RetryPolicy`` allows more attempts. Plain errors and `CancellationError` are never retried. Adapters map
/// transport errors (a 503, a rate limit) to conforming errors; deterministic bugs should say `false`.
///
/// ``ErrorRecord/init(_:)`` keeps ``isRetryable`` and ``retryAfter`` in reports.
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
