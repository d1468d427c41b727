import AgentPolicy

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
/// callers only queue.
struct EventOutbox: Sendable {
    /// Whether events are built at all (someone listens).
    var isEnabled: Bool = false
    private var queued: [OrchestrationEvent] = []
    private var isDelivering = false
    /// The hub's subscribers as the last delivery found them: lent to each deliverer and kept again when it
    /// finishes, so that a delivery takes the hub's lock only after the list changed.
    var subscribers: SubscriberSnapshot?

    /// Queues an event.
    mutating func append(_ event: OrchestrationEvent) { queued.append(event) }

    /// The queued events, if nobody is delivering; the caller becomes the deliverer.
    mutating func take() -> [OrchestrationEvent]? {
        guard !isDelivering, !queued.isEmpty else { return nil }
        isDelivering = true
        defer { queued = [] }
        return queued
    }

    /// The deliverer finished a batch: the events queued meanwhile, or `nil` (and no deliverer) when none.
    mutating func finishDelivery() -> [OrchestrationEvent]? {
        guard !queued.isEmpty else {
            isDelivering = false
            return nil
        }
        defer { queued = [] }
        return queued
    }
}
