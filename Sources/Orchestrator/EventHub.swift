import AgentPolicy
import Synchronization

/// Fans events out to subscribers, each with its own bounded buffer.
///
/// Delivery never suspends: a subscriber that reads slowly (or never) loses its oldest events, and the run goes on
/// unchanged. Readers are resumed outside every lock but the subscriber's own.
final class EventHub: Sendable {
    private struct State {
        var subscribers: [UInt64: EventSubscriber] = [:]
        var nextID: UInt64 = 0
        var isFinished = false
    }

    private let state = LockedState(State())
    /// The number of subscribers, readable without the lock: publishing to nobody costs one atomic load.
    private let subscriberCount = Atomic<Int>(0)

    func subscribe(bufferingNewest capacity: Int) -> OrchestrationEventStream {
        let subscriber = EventSubscriber(capacity: capacity)
        let id: UInt64? = state.withLock { state in
            guard !state.isFinished else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = subscriber
            subscriberCount.store(state.subscribers.count, ordering: .releasing)
            return state.nextID
        }
        guard let id else {
            subscriber.finish()
            return OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        }
        let subscription = EventSubscription(subscriber: subscriber) { [weak self] in
            guard let self else { return }
            state.withLock { state in
                state.subscribers.removeValue(forKey: id)
                subscriberCount.store(state.subscribers.count, ordering: .releasing)
            }
        }
        return OrchestrationEventStream(subscription: subscription)
    }

    /// Delivers `event` to every subscriber.
    ///
    /// - Returns: The number of subscribers whose buffer was full (each dropped its oldest event).
    func publish(_ event: OrchestrationEvent) -> Int {
        state.withLock { state in
            var dropped = 0
            for subscriber in state.subscribers.values where subscriber.deliver(event) { dropped += 1 }
            return dropped
        }
    }

    /// Whether anyone is subscribed; a hint for skipping work, exact only under the lock.
    var hasSubscribers: Bool { subscriberCount.load(ordering: .acquiring) > 0 }

    func finish() {
        let subscribers = state.withLock { state in
            state.isFinished = true
            subscriberCount.store(0, ordering: .releasing)
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
