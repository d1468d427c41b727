import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

/// A deterministic stream of pseudo-random numbers (a linear congruential generator), so that a failing script
/// repeats.
private struct Script {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The next number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// Everything in `ring`, in order, as sequence numbers.
private func takeSequences(_ ring: EventRing) -> [Int64] {
    var events: [OrchestrationEvent] = []
    _ = ring.take(into: &events)
    return events.map(\.sequence)
}

@Suite("The subscriber's ring of events", .timeLimit(.suite))
struct EventRingTests {
    @Test("Events keep their order across many wrap-arounds and while the ring grows")
    func orderAcrossWrapAround() {
        let ring = EventRing(capacity: 64)
        var next: Int64 = 1
        var expected: Int64 = 1
        // Deliveries of 1–40 events between takes: the indices wrap the slots hundreds of times, and the ring
        // grows (8, 16, 32, 64 slots) with its oldest event in the middle of its slots.
        for round in 0..<300 {
            let batch = round % 40 + 1
            for _ in 0..<batch {
                #expect(ring.append(numberedEvent(next)) == 0)
                next += 1
            }
            #expect(ring.count == batch)
            let taken = takeSequences(ring)
            #expect(taken == Array(expected..<next), "round \(round): every event once, in delivery order")
            expected = next
        }
        #expect(ring.count == 0)
        #expect(takeSequences(ring) == [])
    }

    @Test("A full ring drops the oldest events and counts each drop once, as the buffer's rules say")
    func dropsMatchTheRules() {
        for capacity in [1, 3, 5, 8, 13, 100] {
            let ring = EventRing(capacity: capacity)
            var model = EventBufferState(capacity: capacity)
            var script = Script(seed: UInt64(capacity))
            var next: Int64 = 1
            for step in 0..<400 {
                let batch = (0...script.next(2 * capacity + 2)).map { _ in
                    defer { next += 1 }
                    return numberedEvent(next)
                }
                var dropped = 0
                for event in batch { dropped += ring.append(event) }
                #expect(dropped == model.deliver(batch).dropped, "capacity \(capacity), step \(step): drops")
                #expect(ring.count == model.count, "capacity \(capacity), step \(step): buffered")
                if script.next(3) == 0 {
                    var modelEvents: [Int64] = []
                    if case .events(let events) = model.take() { modelEvents = events.map(\.sequence) }
                    #expect(takeSequences(ring) == modelEvents, "capacity \(capacity), step \(step): the newest")
                }
            }
        }
    }

    @Test("Several producers and a reader at once: each producer's events arrive once, in order, none dropped")
    func severalProducersAndAReader() async throws {
        let subscriber = EventSubscriber(capacity: 10_000)
        let stream = OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        let producers = 4
        let perProducer: Int64 = 500
        let (received, dropped) = try await withWatchdog("the reader receives every producer's events") {
            async let reading: [Int64] = {
                var seen: [Int64] = []
                for await next in stream { seen.append(next.sequence) }
                return seen
            }()
            let dropped = await withTaskGroup(of: Int.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        var dropped = 0
                        var sent: Int64 = 0
                        while sent < perProducer {
                            let size = min(perProducer - sent, sent % 3 + 1)
                            let first = Int64(producer) * 1_000_000 + sent + 1
                            dropped += subscriber.deliver((first..<first + size).map { numberedEvent($0) })
                            sent += size
                            if sent % 50 == 0 { await Task.yield() }
                        }
                        return dropped
                    }
                }
                return await group.reduce(0, +)
            }
            subscriber.finish()
            return (await reading, dropped)
        }
        #expect(dropped == 0)
        for producer in 0..<producers {
            let base = Int64(producer) * 1_000_000
            let own = received.filter { $0 > base && $0 <= base + perProducer }
            #expect(own == Array(base + 1...base + perProducer), "producer \(producer): every event once, in order")
        }
        #expect(received.count == producers * Int(perProducer))
    }

    @Test("A reader concurrent with producers that overrun a small ring: what arrives plus what was dropped is all")
    func overrunWhileReading() async throws {
        let subscriber = EventSubscriber(capacity: 5)
        let stream = OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        let producers = 3
        let perProducer: Int64 = 600
        let (received, dropped) = try await withWatchdog("the reader ends after the producers") {
            async let reading: [Int64] = {
                var seen: [Int64] = []
                for await next in stream { seen.append(next.sequence) }
                return seen
            }()
            let dropped = await withTaskGroup(of: Int.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        var dropped = 0
                        for sent in 1...perProducer {
                            dropped += subscriber.deliver([numberedEvent(Int64(producer) * 1_000_000 + sent)])
                            if sent % 100 == 0 { await Task.yield() }
                        }
                        return dropped
                    }
                }
                return await group.reduce(0, +)
            }
            subscriber.finish()
            return (await reading, dropped)
        }
        #expect(received.count + dropped == producers * Int(perProducer), "every event arrived or was counted dropped")
        #expect(Set(received).count == received.count, "no event arrived twice")
        for producer in 0..<producers {
            let base = Int64(producer) * 1_000_000
            let own = received.filter { $0 > base && $0 <= base + perProducer }
            #expect(own == own.sorted(), "producer \(producer): in order")
        }
    }
}
