@_spi(Internals) import AgentPolicy
import Synchronization

/// Fans events out to subscribers, each with its own bounded buffer.
///
/// Delivery never suspends: a subscriber that reads slowly (or never) loses its oldest events, and the run goes on
/// unchanged. Readers are resumed outside every lock but the subscriber's own.
final class EventHub: Sendable {
    private struct State {
        var subscribers: [UInt64: EventSubscriber] = [:] {
            didSet { current = Array(subscribers.values) }
        }
        /// The subscribers as an array, rebuilt when they change: publishing copies it (one retain) instead of
        /// building an array per event.
        private(set) var current: [EventSubscriber] = []
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

    /// Delivers `events`, in order, to every subscriber.
    ///
    /// The hub's lock is held only to read the subscriber list; each subscriber then takes its own lock alone.
    ///
    /// - Returns: The number of deliveries dropped because a subscriber's buffer was full.
    func publish(_ events: [OrchestrationEvent]) -> Int {
        guard hasSubscribers else { return 0 }
        let subscribers = state.withLock { $0.current }
        var dropped = 0
        for subscriber in subscribers { dropped += subscriber.deliver(events) }
        return dropped
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

/// Where a run's events go: the orchestrator's subscribers, and the streams of the handles watching the run
/// (its own, and a graph run's when it is a node of one).
struct EventRoute: Sendable {
    /// The orchestrator-wide hub.
    let hub: EventHub
    /// Per-run listeners, each a bounded buffer of its own.
    let listeners: [EventSubscriber]

    /// Whether anyone would see the run's events, decided when the run starts.
    var isListenedTo: Bool { hub.hasSubscribers || !listeners.isEmpty }

    /// A route that also feeds `listener`.
    func adding(_ listener: EventSubscriber) -> EventRoute {
        EventRoute(hub: hub, listeners: listeners + [listener])
    }

    /// Delivers `events` to the hub and every listener; returns the drops.
    func publish(_ events: [OrchestrationEvent]) -> Int {
        var dropped = hub.publish(events)
        for listener in listeners { dropped += listener.deliver(events) }
        return dropped
    }
}
