import AgentPolicy

/// The events of an orchestrator's runs, for one subscriber: an `AsyncSequence` that never throws.
///
/// Get one from ``Orchestrator/events(bufferingNewest:)``. Delivery never waits for the reader: events wait in a
/// bounded buffer, and when it is full the oldest is dropped (the run's report counts the drop). The reader takes
/// everything buffered in one step and then hands the events out without locking, so a reader that keeps up costs
/// the runs almost nothing.
///
/// Iterate from one task at a time. The sequence ends when the orchestrator is released, or for an iterator whose
/// task is cancelled. Dropping every copy of the sequence and its iterator ends the subscription.
public struct OrchestrationEventStream: AsyncSequence, Sendable {
    /// The element type: an event.
    public typealias Element = OrchestrationEvent
    /// The failure type: never.
    public typealias Failure = Never

    let subscription: EventSubscription

    /// Makes the iterator.
    ///
    /// - Returns: An iterator over the subscriber's events.
    public func makeAsyncIterator() -> Iterator { Iterator(subscription: subscription) }

    /// Iterates over the events, taking everything buffered at once.
    public struct Iterator: AsyncIteratorProtocol, Sendable {
        let subscription: EventSubscription
        private var batch: [OrchestrationEvent] = []
        private var position = 0

        init(subscription: EventSubscription) { self.subscription = subscription }

        /// The next event, or `nil` once the stream has finished.
        ///
        /// - Returns: The next event.
        public mutating func next() async -> OrchestrationEvent? {
            if position == batch.count {
                batch = await subscription.subscriber.takeAll()
                position = 0
                guard !batch.isEmpty else { return nil }
            }
            defer { position += 1 }
            return batch[position]
        }

        /// The next event, or `nil` once the stream has finished, staying on the caller's isolation.
        ///
        /// - Parameter actor: The caller's actor, if any.
        /// - Returns: The next event.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> OrchestrationEvent? {
            await next()
        }
    }
}

/// Keeps a subscription alive while the stream or an iterator exists; removes it from the hub when both are gone.
final class EventSubscription: Sendable {
    let subscriber: EventSubscriber
    private let unsubscribe: @Sendable () -> Void

    init(subscriber: EventSubscriber, unsubscribe: @escaping @Sendable () -> Void) {
        self.subscriber = subscriber
        self.unsubscribe = unsubscribe
    }

    deinit { unsubscribe() }
}

/// One subscriber's bounded buffer and its waiting reader.
final class EventSubscriber: Sendable {
    private struct State {
        var buffer: [OrchestrationEvent] = []
        var head = 0
        var waiter: CheckedContinuation<[OrchestrationEvent], Never>?
        var isFinished = false
        var count: Int { buffer.count - head }
    }

    private let capacity: Int
    private let state = LockedState(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Adds `events` in order, dropping the oldest when the buffer is full; never waits.
    ///
    /// - Returns: How many older events were dropped to make room.
    func deliver(_ events: [OrchestrationEvent]) -> Int {
        let (waiter, batch, dropped) = state.withLock {
            state -> (CheckedContinuation<[OrchestrationEvent], Never>?, [OrchestrationEvent], Int) in
            guard !state.isFinished else { return (nil, [], 0) }
            var dropped = 0
            for event in events {
                if state.count == capacity {
                    state.head += 1
                    dropped += 1
                    if state.head * 2 > state.buffer.count {
                        state.buffer.removeFirst(state.head)
                        state.head = 0
                    }
                }
                state.buffer.append(event)
            }
            guard let waiter = state.waiter else { return (nil, [], dropped) }
            // A reader is waiting: hand it everything now.
            state.waiter = nil
            let batch = Array(state.buffer[state.head...])
            state.buffer.removeAll(keepingCapacity: true)
            state.head = 0
            return (waiter, batch, dropped)
        }
        waiter?.resume(returning: batch)
        return dropped
    }

    /// Takes everything buffered, waiting for at least one event; empty once finished or cancelled.
    func takeAll() async -> [OrchestrationEvent] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[OrchestrationEvent], Never>) in
                let (ready, earlier) = state.withLock {
                    state -> ([OrchestrationEvent]?, CheckedContinuation<[OrchestrationEvent], Never>?) in
                    if state.count > 0 {
                        let events = Array(state.buffer[state.head...])
                        state.buffer.removeAll(keepingCapacity: true)
                        state.head = 0
                        return (events, nil)
                    }
                    if state.isFinished { return ([], nil) }
                    // A second concurrent reader is a misuse; end the earlier wait rather than lose it.
                    defer { state.waiter = continuation }
                    return (nil, state.waiter)
                }
                earlier?.resume(returning: [])
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }

    /// Ends the stream: a waiting reader gets the end at once; buffered events are still read first.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[OrchestrationEvent], Never>? in
            state.isFinished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }
}
