import AgentPolicy
import Synchronization

/// Fans events out to subscribers, each with its own bounded stream.
///
/// `yield` never suspends: a subscriber that reads slowly (or never) loses its oldest events, and the run goes on
/// unchanged. Streams are finished outside the lock, because `finish()` runs `onTermination` synchronously.
final class EventHub: Sendable {
    private struct State {
        var subscribers: [UInt64: AsyncStream<OrchestrationEvent>.Continuation] = [:]
        var nextID: UInt64 = 0
        var isFinished = false
    }

    private let state = LockedState(State())
    /// The number of subscribers, readable without the lock: publishing to nobody costs one atomic load.
    private let subscriberCount = Atomic<Int>(0)

    func subscribe(bufferingNewest capacity: Int) -> AsyncStream<OrchestrationEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: OrchestrationEvent.self,
            bufferingPolicy: .bufferingNewest(max(1, capacity))
        )
        let id: UInt64? = state.withLock { state in
            guard !state.isFinished else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            subscriberCount.store(state.subscribers.count, ordering: .releasing)
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            state.withLock { state in
                state.subscribers.removeValue(forKey: id)
                subscriberCount.store(state.subscribers.count, ordering: .releasing)
            }
        }
        return stream
    }

    /// Delivers `event` to every subscriber.
    ///
    /// - Returns: The number of subscribers whose buffer was full (each dropped its oldest event).
    func publish(_ event: OrchestrationEvent) -> Int {
        state.withLock { state in
            var dropped = 0
            for continuation in state.subscribers.values {
                if case .dropped = continuation.yield(event) { dropped += 1 }
            }
            return dropped
        }
    }

    /// Whether anyone is subscribed; a hint for skipping work, exact only under the lock.
    var hasSubscribers: Bool { subscriberCount.load(ordering: .acquiring) > 0 }

    func finish() {
        let continuations = state.withLock { state in
            state.isFinished = true
            subscriberCount.store(0, ordering: .releasing)
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
