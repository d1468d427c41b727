@_spi(Internals) import AgentPolicy
import Synchronization

/// The events of an orchestrator's runs, for one subscriber: an `AsyncSequence` that never throws.
///
/// Get one from ``Orchestrator/events(bufferingNewest:)``. Delivery never waits for the reader: events wait in a
/// bounded buffer, and when it is full the oldest is dropped (the run's report counts the drop). The reader takes
/// everything buffered in one step and then hands the events out without locking, so a reader that keeps up costs
/// the runs almost nothing. A waiting reader is woken as soon as an event arrives (none is held back), once for
/// however many arrive before it runs; one that finds nothing watches for a few microseconds before it suspends
/// (checking in a loop while that keeps finding the runs' events, yielding its CPU to them when it shares one).
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
        /// The events taken and not yet handed out, in reverse order: the next one is the last, so that each is moved
        /// out of the array rather than copied (and destroyed again with the array).
        private var batch: [OrchestrationEvent] = []
        /// How long this reader watches for a delivery before it suspends, adapted to what its watches find.
        private var watch = ReaderWatch()

        init(subscription: EventSubscription) { self.subscription = subscription }

        /// The next event, or `nil` once the stream has finished.
        ///
        /// - Returns: The next event.
        public mutating func next() async -> OrchestrationEvent? {
            if batch.isEmpty {
                // The emptied array goes back as the subscriber's next buffer, keeping its capacity: a reader that
                // keeps up swaps two arrays and allocates none.
                let spare = batch
                batch = []
                batch = await subscription.subscriber.takeAll(recycling: consume spare, watch: &watch)
                guard !batch.isEmpty else { return nil }
                // Reversed through the buffer pointer, whose swaps move the events (the array's own `swapAt` copies
                // each one and destroys the copy); each is then moved out by `popLast`.
                batch.withUnsafeMutableBufferPointer { $0.reverse() }
            }
            return batch.popLast()
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
/// Delivery is batched: a run appends under the lock and resumes the reader only when it is suspended, with a signal
/// rather than the events; the reader then takes everything buffered by the time it runs, so the events produced
/// while it was being woken (or was busy) arrive in one take. A waiting reader is woken at once, so no event is held
/// back.
final class EventSubscriber: Sendable {
    private let state: LockedState<EventBufferState>
    /// Raised by every delivery, lowered by the reader before it looks: lets a reader that found the buffer empty
    /// watch for the next delivery for a moment without taking the lock. A separate object, so that the flag has
    /// cache lines of its own (see ``DeliveryFlag``).
    let delivered = DeliveryFlag()

    init(capacity: Int) { state = LockedState(EventBufferState(capacity: capacity)) }

    /// Adds `events` in order, dropping the oldest when the buffer is full; never waits.
    ///
    /// - Returns: How many older events were dropped to make room.
    func deliver(_ events: [OrchestrationEvent]) -> Int {
        signal(state.withLock { $0.deliver(events) })
    }

    /// Adds `events` as ``deliver(_:)`` does, moving a single event out of `events` instead of copying it (see
    /// ``EventBufferState/deliver(moving:)``); `events` is left unspecified.
    ///
    /// - Returns: How many older events were dropped to make room.
    func deliver(moving events: inout [OrchestrationEvent]) -> Int {
        signal(state.withLock { $0.deliver(moving: &events) })
    }

    /// After a delivery, outside the lock: wakes the reader it names, or tells a polling reader that events came.
    private func signal(_ delivery: Delivery) -> Int {
        if let wake = delivery.wake {
            wake.resume(returning: true)
        } else {
            delivered.raise()
        }
        return delivery.dropped
    }

    /// Takes everything buffered, waiting for at least one event; empty once finished or cancelled.
    ///
    /// When events are buffered this is one lock and no suspension; otherwise the reader suspends until a delivery
    /// (or the end) signals it, then takes whatever has been buffered by then.
    ///
    /// - Parameter spare: An empty array the buffer may reuse (its capacity), so that a reader that keeps up and
    ///   the runs delivering to it swap two arrays instead of allocating one per batch.
    /// - Returns: The buffered events in order, or an empty array at the end.
    func takeAll(recycling spare: consuming [OrchestrationEvent] = []) async -> [OrchestrationEvent] {
        var watch = ReaderWatch()
        return await takeAll(recycling: spare, watch: &watch)
    }

    /// Takes everything buffered, waiting for at least one event, with the reader's own ``ReaderWatch``: a reader
    /// whose checking loops keep finding nothing (it shares one CPU with the runs) stops looping and yields its CPU
    /// instead before it suspends.
    ///
    /// - Parameters:
    ///   - spare: An empty array the buffer may reuse (see ``takeAll(recycling:)``).
    ///   - watch: How long to watch for a delivery before suspending; updated with what the watch found.
    /// - Returns: The buffered events in order, or an empty array at the end.
    func takeAll(
        recycling spare: consuming [OrchestrationEvent],
        watch: inout ReaderWatch
    ) async -> [OrchestrationEvent] {
        while true {
            // A cancelled reader ends after what is buffered now, however fast the runs keep delivering.
            if Task.isCancelled { finish() }
            delivered.lower()
            switch state.withLock({ $0.take(recycling: &spare) }) {
            case .events(let events): return events
            case .finished: return []
            case .empty: break
            }
            if watchForDelivery(&watch) { continue }
            let looksAgain = await withTaskCancellationHandler {
                await withCheckedContinuation { (reader: ReaderSignal) in
                    let wakes = state.withLock { $0.wait(reader) }
                    wakes.earlier?.resume(returning: false)
                    wakes.reader?.resume(returning: true)
                }
            } onCancel: {
                finish()
            }
            // A second reader took this one's place (a misuse): this one ends, as before the batching.
            guard looksAgain else { return [] }
        }
    }

    /// Watches for a delivery without the lock; `true` if one came.
    ///
    /// First ``ReaderWatch/polls`` checks of ``delivered`` in a row (what a run on another CPU needs), then
    /// ``ReaderWatch/yields`` checks each after yielding the CPU (what a run on the same CPU needs: it delivers
    /// while the reader is off the CPU, instead of being preempted by the reader's wake-up for each event).
    private func watchForDelivery(_ watch: inout ReaderWatch) -> Bool {
        for _ in 0..<watch.polls where delivered.isRaised {
            watch.record(foundDelivery: true)
            return true
        }
        watch.record(foundDelivery: false)
        for _ in 0..<ReaderWatch.yields {
            PlatformThread.yield()
            if delivered.isRaised { return true }
        }
        return false
    }

    /// Ends the stream: a waiting reader gets the end at once; buffered events are still read first.
    func finish() { state.withLock { $0.finish() }?.resume(returning: true) }
}

/// What a reader's request for events finds: events to hand out, the end, or nothing yet.
enum EventTake: Sendable {
    /// Everything buffered, in order.
    case events([OrchestrationEvent])
    /// The stream has ended and nothing is buffered.
    case finished
    /// Nothing buffered yet: the reader waits.
    case empty
}

/// What a delivery to a subscriber's buffer did: the drops, and the suspended reader to wake, if any.
///
/// A named type rather than a tuple, so that the lock's generic result needs no runtime type instantiation per event.
struct Delivery: Sendable {
    /// Events dropped because the buffer was full.
    let dropped: Int
    /// The suspended reader to signal; it takes the buffered events itself when it runs.
    let wake: ReaderSignal?
}

/// A suspended reader: resumed with `true` to look at the buffer again, `false` when a second reader displaced it.
typealias ReaderSignal = CheckedContinuation<Bool, Never>

/// The readers a reader's wait resumes: itself when events (or the end) are already there, and an earlier reader
/// whose wait a second concurrent reader ended.
struct TakeWakeUps: Sendable {
    /// An earlier reader, resumed with `false`: its iteration ends.
    var earlier: ReaderSignal?
    /// The new reader, signalled at once because events or the end are ready.
    var reader: ReaderSignal?

    init(earlier: ReaderSignal? = nil, reader: ReaderSignal? = nil) {
        self.earlier = earlier
        self.reader = reader
    }
}

/// The rules of one subscriber's buffer: bounded, dropping the oldest, at most one suspended reader.
///
/// The reader is signalled, not handed events: a delivery that finds it suspended removes it and returns it to be
/// resumed, and every delivery until the reader comes back to ``take()`` only appends. One resumption per batch,
/// however many events the batch collects.
struct EventBufferState: Sendable {
    private let capacity: Int
    private var buffer: [OrchestrationEvent] = []
    private var head = 0
    private var reader: ReaderSignal?
    private var isFinished = false

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Events buffered and not yet read.
    var count: Int { buffer.count - head }

    /// Whether a reader is suspended, waiting for a signal.
    var hasWaitingReader: Bool { reader != nil }

    /// Buffers `events`; returns the drops and the suspended reader to signal, if any.
    mutating func deliver(_ events: [OrchestrationEvent]) -> Delivery {
        guard !isFinished else { return Delivery(dropped: 0, wake: nil) }
        var dropped = 0
        for event in events { dropped += append(event) }
        return delivered(events.count, dropped: dropped)
    }

    /// Buffers `events` as ``deliver(_:)`` does; a single event (what a run's transition delivers, one at a time)
    /// is moved out of `events`, not copied: when `events` holds the one reference to its storage, buffering it
    /// retains nothing and freeing the emptied batch releases nothing. `events` is left unspecified.
    mutating func deliver(moving events: inout [OrchestrationEvent]) -> Delivery {
        guard events.count == 1, !isFinished else { return deliver(events) }
        let dropped = append(events.removeLast())
        return delivered(1, dropped: dropped)
    }

    /// Appends one event, first dropping the oldest when the buffer is full; returns the drops (0 or 1).
    private mutating func append(_ event: consuming OrchestrationEvent) -> Int {
        var dropped = 0
        if count == capacity {
            head += 1
            dropped = 1
            if head * 2 > buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
        }
        buffer.append(event)
        return dropped
    }

    /// The outcome of buffering `delivered` events: the drops, and the suspended reader to signal, if any.
    private mutating func delivered(_ delivered: Int, dropped: Int) -> Delivery {
        guard let reader, delivered > 0 else { return Delivery(dropped: dropped, wake: nil) }
        self.reader = nil
        return Delivery(dropped: dropped, wake: reader)
    }

    /// A reader asks for events: everything buffered, or the end, or nothing yet (then it calls ``wait(_:)``).
    ///
    /// - Parameter spare: An empty array; when the events are handed over it becomes the new buffer (and is left
    ///   empty without capacity in the caller), so the buffer keeps a capacity without allocating.
    /// - Returns: The events, the end, or `.empty`.
    mutating func take(recycling spare: inout [OrchestrationEvent]) -> EventTake {
        guard count > 0 else { return isFinished ? .finished : .empty }
        let events = takeBuffered()
        if buffer.isEmpty, buffer.capacity < spare.capacity, spare.isEmpty { swap(&buffer, &spare) }
        return .events(events)
    }

    /// A reader suspends: signalled at once if events (or the end) arrived since its ``take()``, otherwise kept
    /// until the next delivery or the end.
    ///
    /// A second concurrent reader is a misuse; the earlier wait is ended (its iteration finishes) rather than lost.
    mutating func wait(_ newReader: ReaderSignal) -> TakeWakeUps {
        if count > 0 || isFinished { return TakeWakeUps(reader: newReader) }
        let earlier = reader
        reader = newReader
        return TakeWakeUps(earlier: earlier)
    }

    /// A reader asks for events without an array to give back.
    mutating func take() -> EventTake {
        var none: [OrchestrationEvent] = []
        return take(recycling: &none)
    }

    /// Ends the buffer; returns the suspended reader to signal with the end.
    mutating func finish() -> ReaderSignal? {
        isFinished = true
        defer { reader = nil }
        return reader
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
