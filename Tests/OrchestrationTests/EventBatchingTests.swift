import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

/// The sequence numbers of a take, or `[]` when it found the end or nothing.
private func sequences(_ take: EventTake) -> [Int64] {
    if case .events(let events) = take { return events.map(\.sequence) }
    return []
}

@Suite("Event stream batching", .timeLimit(.suite))
struct EventBatchingTests {
    @Test("Events delivered while the reader is suspended wake it once and arrive in order in one take")
    func oneWakeUpPerBatch() async {
        var state = EventBufferState(capacity: 100)
        var signalled = 0
        let resumed = await withCheckedContinuation { (reader: ReaderSignal) in
            #expect(state.take() == .empty)
            let waited = state.wait(reader)
            #expect(waited.reader == nil && waited.earlier == nil, "an empty buffer keeps the reader waiting")
            // Three runs' deliveries: only the first finds the reader suspended.
            let deliveries = [
                state.deliver([numberedEvent(1)]), state.deliver([numberedEvent(2), numberedEvent(3)]),
                state.deliver([numberedEvent(4)]),
            ]
            #expect(!state.hasWaitingReader)
            for delivery in deliveries {
                #expect(delivery.dropped == 0)
                if let wake = delivery.wake {
                    signalled += 1
                    wake.resume(returning: true)
                }
            }
        }
        #expect(resumed)
        #expect(signalled == 1, "one resumption per batch, not per event")
        #expect(sequences(state.take()) == [1, 2, 3, 4], "the whole batch, in delivery order, in one take")
        #expect(state.take() == .empty)
    }

    @Test("A reader that waits after events arrived is signalled at once; a finished buffer signals the end")
    func noEventHeldBack() async {
        var state = EventBufferState(capacity: 10)
        _ = state.deliver([numberedEvent(1)])
        let resumed = await withCheckedContinuation { (reader: ReaderSignal) in
            let waited = state.wait(reader)
            #expect(waited.reader != nil, "events are buffered: the reader must not sleep")
            waited.reader?.resume(returning: true)
        }
        #expect(resumed)
        #expect(sequences(state.take()) == [1])
        let ended = await withCheckedContinuation { (reader: ReaderSignal) in
            _ = state.wait(reader)
            state.finish()?.resume(returning: true)
        }
        #expect(ended)
        #expect(state.take() == .finished)
        #expect(state.deliver([numberedEvent(2)]).wake == nil, "nothing is buffered or woken after the end")
        #expect(state.take() == .finished)
    }

    @Test("A bounded buffer drops the oldest events and counts each drop once")
    func boundedDrops() {
        var state = EventBufferState(capacity: 3)
        #expect(state.deliver([numberedEvent(1), numberedEvent(2)]).dropped == 0)
        #expect(state.deliver([numberedEvent(3), numberedEvent(4), numberedEvent(5)]).dropped == 2)
        #expect(state.deliver([numberedEvent(6)]).dropped == 1)
        #expect(state.count == 3)
        #expect(sequences(state.take()) == [4, 5, 6], "the newest `capacity` events, in order")
        #expect(state.deliver([numberedEvent(7)]).dropped == 0, "a drained buffer has room again")
        #expect(sequences(state.take()) == [7])
    }

    @Test("The reader's emptied array becomes the buffer: it keeps its capacity and loses nothing")
    func recycledArray() {
        var state = EventBufferState(capacity: 100)
        var spare: [OrchestrationEvent] = []
        spare.reserveCapacity(64)
        let capacity = spare.capacity
        _ = state.deliver([numberedEvent(1), numberedEvent(2)])
        #expect(sequences(state.take(recycling: &spare)) == [1, 2])
        #expect(spare.capacity < capacity, "the spare array went to the buffer")
        _ = state.deliver((3...40).map { numberedEvent($0) })
        #expect(sequences(state.take()) == Array(3...40))
    }

    @Test("A reader cancelled mid-batch gets the rest of what was buffered, then ends")
    func cancelledMidBatch() async throws {
        let subscriber = EventSubscriber(capacity: 100)
        let subscription = EventSubscription(subscriber: subscriber) {}
        let stream = OrchestrationEventStream(subscription: subscription)
        _ = subscriber.deliver([numberedEvent(1), numberedEvent(2), numberedEvent(3)])
        let received = try await withWatchdog("a cancelled reader ends its iteration") {
            var seen: [Int64] = []
            for await next in stream {
                seen.append(next.sequence)
                if seen.count == 1 {
                    withUnsafeCurrentTask { $0?.cancel() }
                    // Delivered before the reader comes back for more: still read, as buffered events are.
                    _ = subscriber.deliver([numberedEvent(4)])
                }
            }
            return seen
        }
        #expect(received == [1, 2, 3, 4])
        #expect(subscriber.deliver([numberedEvent(5)]) == 0, "the cancelled subscription takes nothing more")
    }

    @Test("A cancelled reader ends even while a run keeps delivering")
    func cancelledWhileDelivering() async throws {
        let subscriber = EventSubscriber(capacity: 1_000)
        let stream = OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        _ = subscriber.deliver([numberedEvent(1)])
        let received = try await withWatchdog("a cancelled reader stops although events keep coming") {
            var seen: [Int64] = []
            for await next in stream {
                seen.append(next.sequence)
                if seen.count == 1 { withUnsafeCurrentTask { $0?.cancel() } }
                // A run always one event ahead of the reader: the buffer is never empty when it asks.
                _ = subscriber.deliver([numberedEvent(next.sequence + 1)])
                if seen.count == 1_000 { break }
            }
            return seen
        }
        #expect(received.count == 2, "what was buffered when the cancelled reader asked again, then the end")
        #expect(received.prefix(2) == [1, 2])
    }

    @Test("Events delivered from another task reach a suspended reader in order, every one once")
    func suspendedReaderGetsEverything() async throws {
        let subscriber = EventSubscriber(capacity: 10_000)
        let stream = OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        let total: Int64 = 2_000
        let received = try await withWatchdog("the reader receives every event") {
            async let reading: [Int64] = {
                var seen: [Int64] = []
                for await next in stream { seen.append(next.sequence) }
                return seen
            }()
            var sent: Int64 = 0
            while sent < total {
                // Batches of 1–3 events, as a run's steps deliver them.
                let size = min(total - sent, sent % 3 + 1)
                _ = subscriber.deliver((sent + 1...sent + size).map { numberedEvent($0) })
                sent += size
                if sent % 100 == 0 { await Task.yield() }
            }
            subscriber.finish()
            return await reading
        }
        #expect(received == Array(1...total))
    }
}

extension EventTake: Equatable {
    static func == (lhs: EventTake, rhs: EventTake) -> Bool {
        switch (lhs, rhs) {
        case (.events(let left), .events(let right)): left == right
        case (.finished, .finished), (.empty, .empty): true
        default: false
        }
    }
}
