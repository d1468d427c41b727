import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

@Suite("A run's delivery ended without the run's lock")
struct DeliveryLatchTests {
    private func ns(_ value: Int64) -> Nanoseconds { Nanoseconds(rawValue: value) }

    @Test("A delivery during which nothing was queued ends without the lock; the next caller delivers")
    func endsWhenNothingQueued() {
        var run = testRunMachine()
        let latch = run.deliveryLatch
        #expect(run.begin(at: ns(0)).events?.map(\.sequence) == [1, 2])
        #expect(latch.releaseIfNothingQueued(), "nothing was queued during the delivery: it ends without the lock")
        let (_, next) = run.start(at: ns(1))
        #expect(next.events?.map(\.sequence) == [3], "with the delivery ended, the next caller becomes the deliverer")
    }

    @Test("Events queued during a delivery keep it open: the deliverer comes back for them, in order")
    func queuedMeanwhileKeepsItOpen() {
        var run = testRunMachine()
        let latch = run.deliveryLatch
        _ = run.begin(at: ns(0))
        // Another thread acts while the first batch is out: it only queues.
        let (_, concurrent) = run.start(at: ns(1))
        #expect(concurrent.events == nil)
        #expect(!latch.releaseIfNothingQueued(), "an event queued during the delivery must not be left in the queue")
        #expect(run.delivered(dropped: 0)?.map(\.sequence) == [3])
        #expect(latch.releaseIfNothingQueued())
        let (_, next) = run.terminate(.cancelled, at: ns(2))
        #expect(next.events?.map(\.sequence) == [4], "after the delivery ended, the next caller delivers")
    }

    @Test("Concurrent tool calls reporting progress: every event reaches the reader once, numbered in order")
    func concurrentEmitters() async throws {
        let tool = ClosureTool(name: "busy", description: "Reports progress.", parameters: .any) { arguments in
            for step in 1...20 { ToolInvocation.current?.reportProgress(Double(step), total: 20, message: nil) }
            return arguments
        }
        let calls = (0..<8).map { ModelToolCall(id: "c\($0)", name: "busy", arguments: ["n": .integer(Int64($0))]) }
        let agent = ClosureAgent(name: "batcher") { _, context in
            _ = try await context.callTools(calls)
            return nil
        }
        let orchestrator = try makeOrchestrator(tools: [tool])
        let stream = orchestrator.events(bufferingNewest: 10_000)
        let (sequences, progress) = try await withWatchdog("every event of concurrent emitters reaching the reader") {
            let reader = Task {
                var sequences: [Int64] = []
                var progress = 0
                for await event in stream {
                    sequences.append(event.sequence)
                    if case .toolProgress = event.kind { progress += 1 }
                    if case .runFinished = event.kind { break }
                }
                return (sequences, progress)
            }
            let report = await orchestrator.run(agent, task: nil)
            #expect(report.events.dropped == 0)
            let (sequences, progress) = await reader.value
            #expect(sequences.count == report.events.emitted)
            return (sequences, progress)
        }
        #expect(progress == 8 * 20)
        #expect(sequences == Array(1...Int64(sequences.count)))
    }
}

@Suite("The reader moves its events out of the batch it took", .timeLimit(.suite))
struct ReaderBatchOrderTests {
    @Test("Batches of several events, taken whole and handed out one by one, keep their order across takes")
    func orderAcrossBatches() async throws {
        let subscriber = EventSubscriber(capacity: 100)
        let stream = OrchestrationEventStream(subscription: EventSubscription(subscriber: subscriber) {})
        var iterator = stream.makeAsyncIterator()
        _ = subscriber.deliver([numberedEvent(1), numberedEvent(2), numberedEvent(3)])
        var seen: [Int64] = []
        for _ in 0..<2 { seen.append(await iterator.next()?.sequence ?? 0) }
        // Delivered while two events of the first batch are handed out: taken only after the third.
        _ = subscriber.deliver([numberedEvent(4), numberedEvent(5)])
        for _ in 0..<3 { seen.append(await iterator.next()?.sequence ?? 0) }
        _ = subscriber.deliver([numberedEvent(6)])
        subscriber.finish()
        seen.append(await iterator.next()?.sequence ?? 0)
        #expect(seen == [1, 2, 3, 4, 5, 6], "events must come out in the order delivered, within and across batches")
        #expect(await iterator.next() == nil)
    }
}
