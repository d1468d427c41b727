import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

/// The sequence numbers of a take, or `[]` when it found the end or nothing.
private func takenSequences(_ take: EventTake) -> [Int64] {
    if case .events(let events) = take { return events.map(\.sequence) }
    return []
}

/// Every sequence number a stream yields until it ends.
private func readAll(_ stream: OrchestrationEventStream) async -> [Int64] {
    var seen: [Int64] = []
    for await event in stream { seen.append(event.sequence) }
    return seen
}

@Suite("Events moved into the last subscriber's buffer", .timeLimit(.suite))
struct EventMovingDeliveryTests {
    @Test("A single event is moved out of its batch; several are copied; drops, wake-ups and the end are as before")
    func bufferMovesOneEvent() async {
        var state = EventBufferState(capacity: 2)
        var one = [numberedEvent(1)]
        #expect(state.deliver(moving: &one).dropped == 0)
        #expect(one.isEmpty, "the event was moved out of the batch, not copied")
        var several = [numberedEvent(2), numberedEvent(3)]
        #expect(state.deliver(moving: &several).dropped == 1, "the oldest event makes room")
        #expect(several.map(\.sequence) == [2, 3], "a batch of several is copied and left as it was")
        var next = [numberedEvent(4)]
        #expect(state.deliver(moving: &next).dropped == 1, "a full buffer drops its oldest for a moved event too")
        #expect(takenSequences(state.take()) == [3, 4])

        let resumed = await withCheckedContinuation { (reader: ReaderSignal) in
            _ = state.wait(reader)
            var woken = [numberedEvent(5)]
            let delivery = state.deliver(moving: &woken)
            #expect(delivery.wake != nil, "a moved event wakes the suspended reader")
            delivery.wake?.resume(returning: true)
        }
        #expect(resumed)
        #expect(takenSequences(state.take()) == [5])

        _ = state.finish()
        var late = [numberedEvent(6)]
        #expect(state.deliver(moving: &late).wake == nil)
        #expect(state.take() == .finished, "nothing is buffered after the end")
    }

    @Test("The hub copies a batch to every subscriber but the last, which moves it; each reads every event in order")
    func hubMovesToTheLastSubscriber() async {
        let hub = EventHub()
        let first = hub.subscribe(bufferingNewest: 10)
        let second = hub.subscribe(bufferingNewest: 10)
        var kept: SubscriberSnapshot?
        for sequence in Int64(1)...3 {
            var batch = [numberedEvent(sequence)]
            #expect(hub.publish(moving: &batch, subscribers: &kept) == 0)
            #expect(batch.isEmpty, "the last subscriber took the event out of the batch")
        }
        var pair = [numberedEvent(4), numberedEvent(5)]
        #expect(hub.publish(moving: &pair, subscribers: &kept) == 0)
        hub.finish()
        #expect(await readAll(first) == [1, 2, 3, 4, 5])
        #expect(await readAll(second) == [1, 2, 3, 4, 5])
    }

    @Test("A route with listeners delivers to the hub's subscribers and every listener; the last listener moves")
    func routeMovesToTheLastListener() async {
        let hub = EventHub()
        let subscribed = hub.subscribe(bufferingNewest: 10)
        let listener = EventSubscriber(capacity: 10)
        let listened = OrchestrationEventStream(subscription: EventSubscription(subscriber: listener) {})
        let route = EventRoute(hub: hub, listeners: [listener])
        var kept: SubscriberSnapshot?
        var batch = [numberedEvent(1)]
        #expect(route.publish(moving: &batch, subscribers: &kept) == 0)
        #expect(batch.isEmpty, "the listener, last, took the event out of the batch")
        var unheard = [numberedEvent(2)]
        var none: SubscriberSnapshot?
        #expect(EventRoute(hub: EventHub(), listeners: []).publish(moving: &unheard, subscribers: &none) == 0)
        #expect(unheard.count == 1, "with nobody to deliver to, the batch is left as it was")
        hub.finish()
        listener.finish()
        #expect(await readAll(subscribed) == [1])
        #expect(await readAll(listened) == [1])
    }
}
