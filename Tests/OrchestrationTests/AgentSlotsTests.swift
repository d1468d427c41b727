import AgentPolicy
import Testing

@testable import AgentOrchestration

@Suite("Agent slots", .timeLimit(.suite))
struct AgentSlotsTests {
    @Test("Cancellation that arrives after a release granted the slot leaves nothing behind")
    func cancellationAfterGrant() async {
        var slots = AgentSlotsState(limit: 1)
        #expect(slots.acquire() == .acquired)
        guard case .wait(let id) = slots.acquire() else {
            Issue.record("the second acquire must wait")
            return
        }
        // The continuation is real, but everything happens synchronously in the order written.
        try? await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            guard case .suspended = slots.suspend(id, waiter) else {
                Issue.record("no slot is free: the waiter must be queued")
                waiter.resume()
                return
            }
            // The holder releases: the slot passes to the waiter...
            slots.release()?.resume()
            // ...and the waiter's cancellation arrives a moment too late.
            #expect(slots.cancel(id) == nil)
        }
        #expect(slots.trackedWaiters == 0)
        #expect(slots.free == 0)
    }

    @Test("Cancelled before it could wait: refused when it tries, and then forgotten")
    func cancelledBeforeWaiting() async {
        var slots = AgentSlotsState(limit: 1)
        _ = slots.acquire()
        guard case .wait(let id) = slots.acquire() else { return }
        #expect(slots.cancel(id) == nil)
        #expect(slots.trackedWaiters == 1)
        var refused = false
        do {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                if case .cancelled = slots.suspend(id, waiter) {
                    waiter.resume(throwing: CancellationError())
                } else {
                    waiter.resume()
                }
            }
        } catch {
            refused = true
        }
        #expect(refused)
        #expect(slots.trackedWaiters == 0)
        // The holder's release frees the slot: nobody is waiting.
        #expect(slots.release() == nil)
        #expect(slots.free == 1)
    }

    @Test("Racing cancellation against release many times: every slot comes back, no waiter is left tracked")
    func raceCancellationAndRelease() async throws {
        let slots = AgentSlots(limit: 1)
        for _ in 0..<200 {
            let held = try await slots.acquire()
            let waiter = Task { try await slots.acquire() }
            await Task.yield()
            async let release: Void = held.release()
            waiter.cancel()
            await release
            if let lease = try? await waiter.value { lease.release() }
        }
        #expect(slots.trackedWaiters == 0)
        #expect(slots.inUse == 0)
    }
}
