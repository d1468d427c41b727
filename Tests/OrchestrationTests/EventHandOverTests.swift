import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

/// An event numbered `sequence`, for driving a subscriber's buffer or a run's outbox directly.
private func event(_ sequence: Int64) -> OrchestrationEvent {
    OrchestrationEvent(
        executionID: "run-1",
        nodeID: nil,
        sequence: sequence,
        atNanoseconds: Nanoseconds(rawValue: sequence),
        kind: .stepStarted(index: Int(sequence), revision: 0)
    )
}

/// The events of a take, or `[]` when it found the end or nothing.
private func events(_ take: EventTake) -> [OrchestrationEvent] {
    if case .events(let events) = take { return events }
    return []
}

/// The address of an array's storage, to tell a hand-over (the same storage) from a copy.
private func storage(_ array: [OrchestrationEvent]) -> UnsafeRawPointer? {
    array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
}

@Suite("Event hand-over to a subscriber's buffer")
struct EventHandOverTests {
    @Test("An empty buffer takes the delivered array itself: the reader gets the run's storage, not a copy")
    func emptyBufferTakesTheArray() {
        var state = EventBufferState(capacity: 100)
        let delivered = [event(1), event(2), event(3)]
        #expect(state.deliver(delivered).dropped == 0)
        let taken = events(state.take())
        #expect(taken.map(\.sequence) == [1, 2, 3])
        #expect(storage(taken) == storage(delivered), "an empty buffer must take the delivered array, not copy it")
    }

    @Test("A buffer holding unread events appends to them: order kept, drops counted, the run's array untouched")
    func nonEmptyBufferAppends() {
        var state = EventBufferState(capacity: 3)
        let first = [event(1), event(2)]
        #expect(state.deliver(first).dropped == 0)
        let second = [event(3), event(4)]
        #expect(state.deliver(second).dropped == 1, "one event over the capacity of 3 drops the oldest")
        #expect(first.map(\.sequence) == [1, 2], "the array the buffer took is not changed under the run")
        #expect(events(state.take()).map(\.sequence) == [2, 3, 4])
        // More than the capacity into an empty buffer: copied, the oldest dropped, exactly counted.
        #expect(state.deliver((5...9).map { event($0) }).dropped == 2)
        #expect(events(state.take()).map(\.sequence) == [7, 8, 9])
    }
}
