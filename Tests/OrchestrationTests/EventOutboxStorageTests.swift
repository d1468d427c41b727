import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

@Suite("A run's outbox reuses its storage between batches")
struct EventOutboxStorageTests {
    private func event(_ sequence: Int64) -> OrchestrationEvent {
        OrchestrationEvent(
            executionID: "run",
            nodeID: nil,
            sequence: sequence,
            atNanoseconds: Nanoseconds(rawValue: sequence),
            kind: .stateEntered(.planning)
        )
    }

    private func address(_ events: [OrchestrationEvent]) -> UnsafeRawPointer? {
        events.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test("A batch the deliverer let go lends its storage to the next one; the events are the new ones only")
    func reusesReleasedBatch() {
        var outbox = EventOutbox()
        for sequence in 1...5 { outbox.append(event(Int64(sequence))) }
        let first = outbox.take()
        #expect(first?.map(\.sequence) == [1, 2, 3, 4, 5])
        let firstAddress = first.flatMap(address)
        let firstCapacity = first?.capacity ?? 0
        #expect(outbox.latch.releaseIfNothingQueued())
        _ = consume first
        outbox.append(event(6))
        let second = outbox.take()
        #expect(second?.map(\.sequence) == [6], "a handed-out batch is never handed out again")
        // A new array for one event would have room for about one; the kept storage has room for five.
        #expect(second?.capacity == firstCapacity, "the released batch's storage was not reused")
        #expect(second.flatMap(address) == firstAddress, "the released batch's storage was not reused")
    }

    @Test("A batch still held when the next event comes is left as it was")
    func heldBatchUnchanged() {
        var outbox = EventOutbox()
        outbox.append(event(1))
        let held = outbox.take()
        // While it is delivered, another event is queued; the deliverer comes back for it alone.
        outbox.append(event(2))
        #expect(outbox.take() == nil, "someone is delivering: the caller only queues")
        #expect(outbox.finishDelivery()?.map(\.sequence) == [2])
        outbox.append(event(3))
        #expect(held?.map(\.sequence) == [1], "the batch being delivered changed under its deliverer")
        #expect(outbox.finishDelivery()?.map(\.sequence) == [3])
        #expect(outbox.finishDelivery() == nil, "nothing waits: the delivery ends")
        #expect(outbox.take() == nil, "nothing waits: there is nothing to take")
    }

    @Test("A large batch's storage is let go, not kept for the run's lifetime")
    func largeBatchNotKept() {
        var outbox = EventOutbox()
        for sequence in 1...100 { outbox.append(event(Int64(sequence))) }
        var batch = outbox.take()
        #expect(batch?.count == 100)
        batch = nil
        #expect(outbox.latch.releaseIfNothingQueued())
        outbox.append(event(101))
        let next = outbox.take()
        #expect(next?.map(\.sequence) == [101])
        #expect((next?.capacity ?? 0) <= EventOutbox.keptCapacity, "the 100-event batch's storage was kept")
        _ = batch
    }
}
