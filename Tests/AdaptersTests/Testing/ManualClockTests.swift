import AgentTesting
import Testing

/// The clock driven by real tasks: rendezvous, advance, cancellation.
@Suite("ManualClock", .timeLimit(.suite))
struct ManualClockTests {
    @Test("A sleeper wakes only when the clock reaches its deadline")
    func sleepUntilAdvanced() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(2)) }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
        #expect(clock.now == ManualClock.Instant(offset: .seconds(2)))
    }

    @Test("A passed deadline returns at once")
    func pastDeadline() async throws {
        let clock = ManualClock(now: ManualClock.Instant(offset: .seconds(10)))
        try await clock.sleep(until: ManualClock.Instant(offset: .seconds(3)))
        #expect(clock.sleeperCount == 0)
    }

    @Test("Cancelling a sleeping task throws CancellationError and removes the sleeper")
    func cancelSleeping() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
        await clock.waitForSleepers(count: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("A task cancelled before it sleeps throws at once and leaves no sleeper")
    func cancelBeforeSleeping() async {
        let clock = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(1))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("Many sleepers cancelled while they register: every one ends, none is left behind")
    func cancellationRace() async {
        let clock = ManualClock()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                let task = Task { (try? await clock.sleep(for: .seconds(1))) != nil }
                task.cancel()
                group.addTask { await task.value }
            }
            for await woke in group { #expect(!woke) }
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test("A cancelled rendezvous returns instead of waiting forever")
    func cancelledRendezvous() async {
        let clock = ManualClock()
        let waiter = Task { await clock.waitForSleepers(count: 1) }
        waiter.cancel()
        await waiter.value
        #expect(clock.sleeperCount == 0)
    }
}
