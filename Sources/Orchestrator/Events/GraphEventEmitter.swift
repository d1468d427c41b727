import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph

/// Numbers and delivers a graph run's own events (node started, retrying, waiting for a slot, finished; the final
/// report), with the one pattern of the runs: numbered under the lock, delivered after it, one deliverer at a time.
final class GraphEventEmitter: Sendable {
    private struct State {
        var sequence: Int64 = 0
        var outbox = EventOutbox()
    }

    let executionID: String
    let metadata: [String: JSONValue]
    let route: EventRoute
    private let time: TimeSource
    private let start: Duration
    private let state: LockedState<State>

    init(executionID: String, metadata: [String: JSONValue], route: EventRoute, time: TimeSource) {
        self.executionID = executionID
        self.metadata = metadata
        self.route = route
        self.time = time
        self.start = time.now()
        var initial = State()
        initial.outbox.isEnabled = route.isListenedTo
        self.state = LockedState(initial)
    }

    /// Emits a task-graph executor event as the matching orchestration event.
    func emit(_ event: TaskGraphEvent) {
        switch event {
        case .nodeStarted(let node, let attempt, let at): emit(.nodeStarted(attempt: attempt), node: node, at: at)
        case .nodeRetrying(let node, let failedAttempt, let delay, let at):
            emit(.nodeRetrying(failedAttempt: failedAttempt, delayNanoseconds: delay), node: node, at: at)
        case .nodeFinished(let node, let status, let at): emit(.nodeFinished(status: status), node: node, at: at)
        }
    }

    /// Emits `kind` for `node` at `instant` (since the graph run started; the clock's reading when `nil`).
    func emit(_ kind: OrchestrationEvent.Kind, node: String?, at instant: Nanoseconds? = nil) {
        let now = instant ?? Nanoseconds(time.now() - start)
        var batch = state.withLock { state -> [OrchestrationEvent]? in
            state.sequence += 1
            guard state.outbox.isEnabled else { return nil }
            state.outbox.append(
                OrchestrationEvent(
                    executionID: executionID,
                    nodeID: node,
                    metadata: metadata,
                    sequence: state.sequence,
                    atNanoseconds: now,
                    kind: kind
                )
            )
            return state.outbox.take()
        }
        while let events = batch {
            _ = route.publish(events)
            batch = state.withLock { $0.outbox.finishDelivery() }
        }
    }
}
