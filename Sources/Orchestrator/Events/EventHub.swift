@_spi(Internals) import AgentPolicy
import Synchronization

/// Fans events out to subscribers, each with its own bounded buffer.
///
/// Delivery never suspends: a subscriber that reads slowly (or never) loses its oldest events, and the run goes on
/// unchanged. Readers are resumed outside every lock but the subscriber's own.
final class EventHub: Sendable {
    private struct State {
        var subscribers: [UInt64: EventSubscriber] = [:] {
            didSet {
                current = SubscriberSnapshot(version: current.version + 1, subscribers: Array(subscribers.values))
            }
        }
        /// The subscribers as an array, rebuilt (with the next version) when they change: publishing copies it (one
        /// retain) instead of building an array per event.
        private(set) var current = SubscriberSnapshot(version: 0, subscribers: [])
        var nextID: UInt64 = 0
        var isFinished = false
    }

    private let state = LockedState(State())
    /// The number of subscribers, readable without the lock: publishing to nobody costs one atomic load.
    private let subscriberCount = Atomic<Int>(0)
    /// The version of ``State/current``, readable without the lock: a run that kept the snapshot of this version
    /// publishes without taking the hub's lock. Stored under the lock, after the list changed.
    private let version = Atomic<UInt64>(0)

    func subscribe(bufferingNewest capacity: Int) -> OrchestrationEventStream {
        let subscriber = EventSubscriber(capacity: capacity)
        let id: UInt64? = state.withLock { state in
            guard !state.isFinished else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = subscriber
            subscriberCount.store(state.subscribers.count, ordering: .releasing)
            version.store(state.current.version, ordering: .releasing)
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
                version.store(state.current.version, ordering: .releasing)
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
        var subscribers: SubscriberSnapshot?
        return publish(events, subscribers: &subscribers)
    }

    /// Delivers `events`, in order, to every subscriber, reading the subscriber list from `subscribers` while it is
    /// current.
    ///
    /// A run keeps the snapshot between its deliveries: while nobody subscribes or unsubscribes, a delivery reads
    /// one atomic version and takes no hub lock (the one lock every run would otherwise take for every batch). A
    /// list that changed after the version was read is the list as it was just before the change, as if this
    /// delivery had taken the lock first.
    ///
    /// - Parameters:
    ///   - events: The events, in order.
    ///   - subscribers: The snapshot from the run's previous delivery, if any; replaced when stale.
    /// - Returns: The number of deliveries dropped because a subscriber's buffer was full.
    func publish(_ events: [OrchestrationEvent], subscribers: inout SubscriberSnapshot?) -> Int {
        guard hasSubscribers else { return 0 }
        var dropped = 0
        for subscriber in current(&subscribers).subscribers { dropped += subscriber.deliver(events) }
        return dropped
    }

    /// Delivers `events` as ``publish(_:subscribers:)`` does, the last subscriber taking them out of `events`
    /// (see ``EventSubscriber/deliver(moving:)``) instead of copying them; `events` is left unspecified.
    ///
    /// - Parameters:
    ///   - events: The events, in order; the caller's one reference to its storage, so that they can be moved.
    ///   - subscribers: The snapshot from the run's previous delivery, if any; replaced when stale.
    /// - Returns: The number of deliveries dropped because a subscriber's buffer was full.
    func publish(moving events: inout [OrchestrationEvent], subscribers: inout SubscriberSnapshot?) -> Int {
        guard hasSubscribers else { return 0 }
        let current = current(&subscribers).subscribers
        guard let last = current.last else { return 0 }
        var dropped = 0
        for subscriber in current.dropLast() { dropped += subscriber.deliver(events) }
        return dropped + last.deliver(moving: &events)
    }

    /// The subscriber list: `subscribers` while its version is current, otherwise the list under the lock, which
    /// replaces it.
    private func current(_ subscribers: inout SubscriberSnapshot?) -> SubscriberSnapshot {
        let latest = version.load(ordering: .acquiring)
        if let kept = subscribers, kept.version == latest { return kept }
        let current = state.withLock { $0.current }
        subscribers = current
        return current
    }

    /// Whether anyone is subscribed; a hint for skipping work, exact only under the lock.
    var hasSubscribers: Bool { subscriberCount.load(ordering: .acquiring) > 0 }

    func finish() {
        let subscribers = state.withLock { state in
            state.isFinished = true
            subscriberCount.store(0, ordering: .releasing)
            let subscribers = Array(state.subscribers.values)
            state.subscribers = [:]
            version.store(state.current.version, ordering: .releasing)
            return subscribers
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
        var subscribers: SubscriberSnapshot?
        return publish(events, subscribers: &subscribers)
    }

    /// Delivers `events` to the hub (through the run's kept snapshot of its subscribers) and every listener;
    /// returns the drops.
    func publish(_ events: [OrchestrationEvent], subscribers: inout SubscriberSnapshot?) -> Int {
        var dropped = hub.publish(events, subscribers: &subscribers)
        for listener in listeners { dropped += listener.deliver(events) }
        return dropped
    }

    /// Delivers `events` as ``publish(_:subscribers:)`` does, the last recipient (the hub's last subscriber, or
    /// the last listener when there are any) moving them out of `events` instead of copying them; `events` is left
    /// unspecified.
    func publish(moving events: inout [OrchestrationEvent], subscribers: inout SubscriberSnapshot?) -> Int {
        guard let last = listeners.last else { return hub.publish(moving: &events, subscribers: &subscribers) }
        var dropped = hub.publish(events, subscribers: &subscribers)
        for listener in listeners.dropLast() { dropped += listener.deliver(events) }
        return dropped + last.deliver(moving: &events)
    }
}

/// The hub's subscribers as of one version of its list; a run keeps one between deliveries.
struct SubscriberSnapshot: Sendable {
    /// Bumped by every change of the list.
    let version: UInt64
    /// The subscribers, in no particular order.
    let subscribers: [EventSubscriber]
}
