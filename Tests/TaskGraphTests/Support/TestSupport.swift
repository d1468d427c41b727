@_spi(Internals) import AgentPolicy
import AgentTaskGraph

/// A retryable (or not) error with an optional retry-after hint.
struct TransientError: RetryableError, CustomStringConvertible {
    var attempt: Int
    var isRetryable = true
    var retryAfter: Duration?

    var description: String { "transient failure on attempt \(attempt)" }
}

/// An error that does not conform to `RetryableError`.
struct PlainError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A body error that stops the whole run.
struct StopRequest: TaskGraphStopSignal, CustomStringConvertible {
    var reason: String
    var description: String { "stop: \(reason)" }
}

/// Counts calls and tracks how many bodies run at once.
final class BodyTracker: Sendable {
    private struct State {
        var calls: [String: Int] = [:]
        var inFlight = 0
        var maxInFlight = 0
        var started: [String] = []
        var finished: Set<String> = []
        var violations: [String] = []
        var observedCancellation: Set<String> = []
    }

    private let state = LockedState(State())

    /// Records a body start; `dependencies` must all have finished already.
    func enter(_ node: String, dependencies: [String] = []) {
        state.withLock { state in
            state.calls[node, default: 0] += 1
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            state.started.append(node)
            for dependency in dependencies where !state.finished.contains(dependency) {
                state.violations.append("\(node) started before \(dependency) finished")
            }
        }
    }

    /// Records a body end.
    func exit(_ node: String) {
        state.withLock { state in
            state.inFlight -= 1
            state.finished.insert(node)
        }
    }

    /// Records that a body saw cancellation.
    func observedCancellation(_ node: String) {
        state.withLock { _ = $0.observedCancellation.insert(node) }
    }

    func calls(_ node: String) -> Int { state.withLock { $0.calls[node, default: 0] } }
    var allCalls: [String: Int] { state.withLock { $0.calls } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var inFlight: Int { state.withLock { $0.inFlight } }
    var started: [String] { state.withLock { $0.started } }
    var violations: [String] { state.withLock { $0.violations } }
    var cancelled: Set<String> { state.withLock { $0.observedCancellation } }
}

/// Records executor events; tests await a matching event through a continuation (no polling, no sleeps).
final class EventLog: Sendable {
    private struct Waiter {
        var predicate: @Sendable (TaskGraphEvent) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var events: [TaskGraphEvent] = []
        var waiters: [Waiter] = []
    }

    private let state = LockedState(State())

    /// The closure to pass as `Configuration.onEvent`.
    var handler: @Sendable (TaskGraphEvent) -> Void {
        { [self] event in record(event) }
    }

    /// Every event so far, in delivery order.
    var events: [TaskGraphEvent] { state.withLock { $0.events } }

    private func record(_ event: TaskGraphEvent) {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.events.append(event)
            var ready: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.predicate(event) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Suspends until an event matching `predicate` has been delivered (returns at once if one already was).
    func wait(for predicate: @escaping @Sendable (TaskGraphEvent) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let seen: Bool = state.withLock { state in
                if state.events.contains(where: predicate) { return true }
                state.waiters.append(Waiter(predicate: predicate, continuation: continuation))
                return false
            }
            if seen { continuation.resume() }
        }
    }

    /// Suspends until `node` has finished.
    func waitUntilFinished(_ node: String) async {
        await wait { $0.isFinished(node) }
    }
}

extension TaskGraphEvent {
    var isRetry: Bool {
        if case .nodeRetrying = self { true } else { false }
    }

    func isFinished(_ node: String) -> Bool {
        if case .nodeFinished(node, _, _) = self { true } else { false }
    }
}

extension TaskGraph {
    /// Builds a graph from `(id, dependencies)` pairs.
    static func of(_ nodes: KeyValuePairs<String, [String]>) -> TaskGraph {
        TaskGraph(nodes.map { TaskGraph.Node($0.key, dependsOn: $0.value) })
    }
}

extension Duration {
    static func ms(_ value: Int64) -> Duration { .milliseconds(value) }
}

extension Nanoseconds {
    static func ms(_ value: Int64) -> Nanoseconds { Nanoseconds(rawValue: value * 1_000_000) }
}
