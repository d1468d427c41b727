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
///
/// The rules live in ``EventBufferState``; this class holds it in a lock and resumes the reader after unlocking.
final class EventSubscriber: Sendable {
    private let state: LockedState<EventBufferState>

    init(capacity: Int) { state = LockedState(EventBufferState(capacity: capacity)) }

    /// Adds `events` in order, dropping the oldest when the buffer is full; never waits.
    ///
    /// - Returns: How many older events were dropped to make room.
    func deliver(_ events: [OrchestrationEvent]) -> Int {
        let delivery = state.withLock { $0.deliver(events) }
        delivery.wake?.resume()
        return delivery.dropped
    }

    /// Takes everything buffered, waiting for at least one event; empty once finished or cancelled.
    func takeAll() async -> [OrchestrationEvent] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (reader: CheckedContinuation<[OrchestrationEvent], Never>) in
                let wakes = state.withLock { $0.take(reader) }
                wakes.earlier?.resume()
                wakes.reader?.resume()
            }
        } onCancel: {
            finish()
        }
    }

    /// Ends the stream: a waiting reader gets the end at once; buffered events are still read first.
    func finish() { state.withLock { $0.finish() }?.resume() }
}

/// A reader to resume with the events it gets.
struct ReaderWakeUp: Sendable {
    let reader: CheckedContinuation<[OrchestrationEvent], Never>
    let events: [OrchestrationEvent]
    func resume() { reader.resume(returning: events) }
}

/// What a delivery to a subscriber's buffer did: the drops, and the waiting reader to wake, if any.
///
/// A named type rather than a tuple, so that the lock's generic result needs no runtime type instantiation per event.
struct Delivery: Sendable {
    /// Events dropped because the buffer was full.
    let dropped: Int
    /// The reader to wake with everything buffered.
    let wake: ReaderWakeUp?
}

/// The readers a request for events wakes: the new reader when events (or the end) are ready, and an earlier
/// reader whose wait a second concurrent reader ended.
struct TakeWakeUps: Sendable {
    /// An earlier reader, woken with nothing.
    var earlier: ReaderWakeUp?
    /// The new reader, woken with what is buffered or the end.
    var reader: ReaderWakeUp?

    init(earlier: ReaderWakeUp? = nil, reader: ReaderWakeUp? = nil) {
        self.earlier = earlier
        self.reader = reader
    }
}

/// The rules of one subscriber's buffer: bounded, dropping the oldest, one waiting reader.
struct EventBufferState: Sendable {
    private let capacity: Int
    private var buffer: [OrchestrationEvent] = []
    private var head = 0
    private var reader: CheckedContinuation<[OrchestrationEvent], Never>?
    private var isFinished = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Events buffered and not yet read.
    var count: Int { buffer.count - head }

    /// Buffers `events`; returns the drops and the waiting reader to wake with everything buffered.
    mutating func deliver(_ events: [OrchestrationEvent]) -> Delivery {
        guard !isFinished else { return Delivery(dropped: 0, wake: nil) }
        var dropped = 0
        for event in events {
            if count == capacity {
                head += 1
                dropped += 1
                if head * 2 > buffer.count {
                    buffer.removeFirst(head)
                    head = 0
                }
            }
            buffer.append(event)
        }
        guard let reader else { return Delivery(dropped: dropped, wake: nil) }
        self.reader = nil
        return Delivery(dropped: dropped, wake: ReaderWakeUp(reader: reader, events: takeBuffered()))
    }

    /// A reader asks for events: woken at once with what is buffered (or the end), otherwise it waits.
    ///
    /// A second concurrent reader is a misuse; the earlier wait is ended rather than lost.
    mutating func take(_ newReader: CheckedContinuation<[OrchestrationEvent], Never>) -> TakeWakeUps {
        if count > 0 { return TakeWakeUps(reader: ReaderWakeUp(reader: newReader, events: takeBuffered())) }
        if isFinished { return TakeWakeUps(reader: ReaderWakeUp(reader: newReader, events: [])) }
        let earlier = reader.map { ReaderWakeUp(reader: $0, events: []) }
        reader = newReader
        return TakeWakeUps(earlier: earlier)
    }

    /// Ends the buffer; returns the waiting reader to wake with the end.
    mutating func finish() -> ReaderWakeUp? {
        isFinished = true
        defer { reader = nil }
        return reader.map { ReaderWakeUp(reader: $0, events: []) }
    }

    /// Hands the buffered events over: the array itself when nothing was dropped from its front (the common case,
    /// O(1) under the lock, so the reader and the runs delivering contend for as short a time as possible), a copy of
    /// the unread part otherwise.
    private mutating func takeBuffered() -> [OrchestrationEvent] {
        defer { head = 0 }
        guard head > 0 else {
            defer { buffer = [] }
            return buffer
        }
        defer { buffer.removeAll(keepingCapacity: true) }
        return Array(buffer[head...])
    }
}
