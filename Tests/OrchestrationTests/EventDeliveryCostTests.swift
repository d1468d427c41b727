import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

@Suite("Event delivery cost", .timeLimit(.suite))
struct EventDeliveryCostTests {
    @Test("A reader whose watches find nothing stops watching, and gets the full watch back when one finds a delivery")
    func watchAdapts() {
        var watch = ReaderWatch()
        #expect(watch.polls == ReaderWatch.longest, "a new reader watches the full length")
        var lengths: [Int] = []
        for _ in 0..<6 {
            watch.record(foundDelivery: false)
            lengths.append(watch.polls)
        }
        #expect(lengths == [500, 125, 31, 7, 1, 0], "each miss in a row watches a quarter as long, down to none")
        watch.record(foundDelivery: true)
        #expect(watch.polls == ReaderWatch.longest, "a watch that found a delivery keeps the full length")
    }

    @Test("A reader that stopped watching watches the full length again every probe interval")
    func watchProbes() {
        var watch = ReaderWatch()
        var full = 0
        for _ in 0..<(ReaderWatch.probeInterval * 3) {
            watch.record(foundDelivery: false)
            if watch.polls == ReaderWatch.longest { full += 1 }
        }
        #expect(full == 3, "one full watch per \(ReaderWatch.probeInterval) misses in a row")
        #expect(watch.missesInARow == ReaderWatch.probeInterval * 3)
    }

    @Test("A reader that shares the CPU with the run suspends at once and still gets every event in order")
    func suspendingReaderGetsEverything() async throws {
        let subscriber = EventSubscriber(capacity: 10_000)
        let stream = OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        let total: Int64 = 300
        let received = try await withWatchdog("the reader receives every event") {
            async let reading: [Int64] = {
                var seen: [Int64] = []
                for await next in stream { seen.append(next.sequence) }
                return seen
            }()
            for sequence in 1...total {
                _ = subscriber.deliver([numberedEvent(sequence)])
                // Give the reader the chance to drain, miss and suspend between deliveries (not after each one:
                // a yield can wait long behind other tests' work on a loaded pool).
                if sequence % 10 == 0 { await Task.yield() }
            }
            subscriber.finish()
            return await reading
        }
        #expect(received == Array(1...total))
    }
}

@Suite("The hub's subscriber snapshot", .timeLimit(.suite))
struct SubscriberSnapshotTests {
    @Test("A run's kept snapshot is used while the list is unchanged and replaced when someone subscribes or leaves")
    func snapshotFollowsTheList() async {
        let hub = EventHub()
        let first = hub.subscribe(bufferingNewest: 10)
        var kept: SubscriberSnapshot?
        #expect(hub.publish([numberedEvent(1)], subscribers: &kept) == 0)
        let initial = kept?.version
        #expect(kept?.subscribers.count == 1)
        _ = hub.publish([numberedEvent(2)], subscribers: &kept)
        #expect(kept?.version == initial, "an unchanged list keeps its snapshot")

        var second: OrchestrationEventStream? = hub.subscribe(bufferingNewest: 10)
        let secondSubscriber = second?.subscription.subscriber
        _ = hub.publish([numberedEvent(3)], subscribers: &kept)
        #expect(kept?.subscribers.count == 2, "a new subscriber is in the next delivery's snapshot")
        var secondReader = second?.makeAsyncIterator()
        #expect(await secondReader?.next()?.sequence == 3, "and gets that delivery")

        second = nil
        secondReader = nil
        _ = hub.publish([numberedEvent(4)], subscribers: &kept)
        #expect(kept?.subscribers.count == 1, "a subscriber that left is not in the next delivery's snapshot")
        #expect(kept?.subscribers.contains { $0 === secondSubscriber } == false)

        var firstReader = first.makeAsyncIterator()
        var sequences: [Int64] = []
        for _ in 1...4 { sequences.append(await firstReader.next()?.sequence ?? 0) }
        #expect(sequences == [1, 2, 3, 4], "the first subscriber got every delivery, in order")

        hub.finish()
        #expect(hub.publish([numberedEvent(5)], subscribers: &kept) == 0)
        #expect(await firstReader.next() == nil, "the end reaches the reader; nothing after it")
    }
}
