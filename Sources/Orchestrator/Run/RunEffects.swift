import AgentPolicy
import Synchronization

/// What the caller of a ``RunStateMachine`` method performs after releasing its lock.
package struct RunEffects: Sendable {
    /// Budget to give back because the work it was reserved for never started.
    package enum Refund: Hashable, Sendable {
        /// A reserved step: the run ended before it started.
        case step
        /// A reserved revision: the run ended before REVIEW's decision took effect.
        case revision
        /// A reserved tool call: the run ended before its body started.
        case toolCall(tool: String, argumentsKey: String)
        /// A reserved model call (its `modelCalls` unit and usage reservation): the run ended before it was made.
        case modelCall(UsageReservation)
    }

    /// Events to deliver, in order, when this caller is the run's deliverer; `nil` otherwise.
    package var events: [OrchestrationEvent]?
    /// Waiters to resume.
    package var resumptions: [CheckedContinuation<Void, Never>] = []
    /// Reservations to give back.
    package var refunds: [Refund] = []
    /// The hub's subscribers as the run's previous delivery found them, lent with ``events`` to the deliverer.
    var subscribers: SubscriberSnapshot?

    /// Creates effects.
    ///
    /// - Parameters:
    ///   - events: Events to deliver.
    ///   - resumptions: Waiters to resume.
    ///   - refunds: Reservations to give back.
    package init(
        events: [OrchestrationEvent]? = nil,
        resumptions: [CheckedContinuation<Void, Never>] = [],
        refunds: [Refund] = []
    ) {
        self.events = events
        self.resumptions = resumptions
        self.refunds = refunds
    }
}

/// A run's queue of events waiting for delivery, with one deliverer at a time.
///
/// Events are numbered under the run's lock but delivered after it is released. So that they still arrive in
/// sequence order when several threads act on one run, the first caller to find events queued becomes the
/// deliverer: it takes the queue, delivers it unlocked, and comes back for whatever was queued meanwhile; the other
/// callers only queue. Who delivers is kept in a ``DeliveryLatch`` that the deliverer can also read without the
/// lock: a delivery during which nothing was queued (and nothing is to be recorded) ends without taking the run's
/// lock again.
struct EventOutbox: Sendable {
    /// Whether events are built at all (someone listens).
    var isEnabled: Bool = false
    private var queued: [OrchestrationEvent] = []
    /// Whether someone is delivering, and whether events were queued meanwhile; shared with the deliverer.
    let latch = DeliveryLatch()
    /// The hub's subscribers as the last delivery found them: lent to each deliverer and kept again when it
    /// finishes, so that a delivery takes the hub's lock only after the list changed.
    var subscribers: SubscriberSnapshot?

    /// Queues an event, moving it into the queue.
    mutating func append(_ event: consuming OrchestrationEvent) { queued.append(event) }

    /// The queued events, if nobody is delivering; the caller becomes the deliverer. While someone delivers, the
    /// latch records that events wait, so that the deliverer comes back for them.
    mutating func take() -> [OrchestrationEvent]? {
        guard !queued.isEmpty, latch.claim() else { return nil }
        defer { queued = [] }
        return queued
    }

    /// The deliverer finished a batch: the events queued meanwhile, or `nil` (and no deliverer) when none.
    mutating func finishDelivery() -> [OrchestrationEvent]? {
        guard !queued.isEmpty else {
            latch.release()
            return nil
        }
        latch.continueDelivering()
        defer { queued = [] }
        return queued
    }
}

/// Whether a run's events are being delivered, and whether more were queued during the delivery: one atomic word,
/// so that the deliverer can end a delivery during which nothing was queued without taking the run's lock.
///
/// Every change but one is made under the run's lock (a caller queueing events claims the delivery or marks that
/// events wait; the deliverer, under the lock, takes them or ends). The one change made without the lock is the
/// deliverer's ``releaseIfNothingQueued()``: from "delivering" to "idle", which fails once an event was queued
/// meanwhile, and then the deliverer takes the lock and the events.
final class DeliveryLatch: Sendable {
    private static let idle = 0
    private static let delivering = 1
    private static let deliveringWithEventsQueued = 2

    private let state = Atomic<Int>(DeliveryLatch.idle)

    /// Under the run's lock, with events queued: `true` if the caller becomes the deliverer (nobody was
    /// delivering); otherwise records that events wait for the deliverer at work, and returns `false`.
    func claim() -> Bool {
        var current = state.load(ordering: .relaxed)
        while current != Self.deliveringWithEventsQueued {
            let desired = current == Self.idle ? Self.delivering : Self.deliveringWithEventsQueued
            let (exchanged, original) = state.compareExchange(
                expected: current,
                desired: desired,
                successOrdering: .acquiringAndReleasing,
                failureOrdering: .relaxed
            )
            if exchanged { return current == Self.idle }
            current = original
        }
        return false
    }

    /// The deliverer, without the run's lock: ends the delivery if no event was queued during it.
    ///
    /// - Returns: `true` if the delivery ended; `false` if events wait (take the run's lock and
    ///   ``EventOutbox/finishDelivery()``).
    func releaseIfNothingQueued() -> Bool {
        state.compareExchange(
            expected: Self.delivering,
            desired: Self.idle,
            ordering: .acquiringAndReleasing
        ).exchanged
    }

    /// Under the run's lock, by the deliverer: it ends, nothing being queued.
    func release() { state.store(Self.idle, ordering: .releasing) }

    /// Under the run's lock, by the deliverer: it took the events queued meanwhile and delivers them next.
    func continueDelivering() { state.store(Self.delivering, ordering: .releasing) }
}
