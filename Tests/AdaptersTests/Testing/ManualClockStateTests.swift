import AgentTesting
import Testing

/// The clock's rules as a value: no tasks, no locks, no clock. Continuations are plain string tokens.
@Suite("ManualClockState", .timeLimit(.suite))
struct ManualClockStateTests {
    typealias State = ManualClockState<String, String>

    static func at(_ seconds: Int64) -> ManualClock.Instant { ManualClock.Instant(offset: .seconds(seconds)) }

    static func sleeping(_ state: inout State, _ token: String, until seconds: Int64) -> [String] {
        let id = state.issueID()
        guard case .sleeping(let waiters) = state.register(id, until: at(seconds), continuation: token) else {
            Issue.record("\(token) did not go to sleep")
            return []
        }
        return waiters
    }

    @Test("A deadline already passed hands the continuation straight back")
    func dueAtOnce() {
        var state = State(now: Self.at(5))
        let id = state.issueID()
        guard case .due(let token) = state.register(id, until: Self.at(5), continuation: "a") else {
            Issue.record("expected due")
            return
        }
        #expect(token == "a")
        #expect(state.sleeperCount == 0)
        #expect(state.unregisteredCount == 0)
    }

    @Test("Advancing resumes due sleepers earliest deadline first, ties in registration order")
    func advanceOrder() {
        var state = State(now: Self.at(0))
        _ = Self.sleeping(&state, "late", until: 3)
        _ = Self.sleeping(&state, "tie1", until: 2)
        _ = Self.sleeping(&state, "early", until: 1)
        _ = Self.sleeping(&state, "tie2", until: 2)
        _ = Self.sleeping(&state, "never", until: 10)
        #expect(state.advance(by: .zero).isEmpty)
        #expect(state.advance(by: .seconds(3)) == ["early", "tie1", "tie2", "late"])
        #expect(state.now == Self.at(3))
        #expect(state.sleeperCount == 1)
        #expect(state.advance(to: Self.at(1)).isEmpty)
        #expect(state.now == Self.at(3), "advance(to:) never moves backwards")
        #expect(state.advance(to: Self.at(10)) == ["never"])
    }

    @Test("A cancelled sleeper is removed and handed back once; a later cancel or advance finds nothing")
    func cancelRegistered() {
        var state = State(now: Self.at(0))
        let id = state.issueID()
        _ = state.register(id, until: Self.at(1), continuation: "a")
        #expect(state.sleepCancelled(id) == "a")
        #expect(state.sleeperCount == 0)
        #expect(state.sleepCancelled(id) == nil)
        #expect(state.advance(by: .seconds(1)).isEmpty)
        #expect(state.unregisteredCount == 0)
    }

    @Test("A cancellation that arrives before the sleep registers is remembered, then consumed")
    func cancelBeforeRegistering() {
        var state = State(now: Self.at(0))
        let id = state.issueID()
        #expect(state.sleepCancelled(id) == nil)
        #expect(state.unregisteredCount == 1)
        guard case .cancelled(let token) = state.register(id, until: Self.at(1), continuation: "a") else {
            Issue.record("a sleep cancelled before registering must be handed back as cancelled")
            return
        }
        #expect(token == "a")
        #expect(state.sleeperCount == 0)
        #expect(state.unregisteredCount == 0, "the remembered cancellation is consumed: nothing leaks")
    }

    @Test("A cancellation after the sleeper resumed leaves nothing behind")
    func cancelAfterResume() {
        var state = State(now: Self.at(0))
        let id = state.issueID()
        _ = state.register(id, until: Self.at(1), continuation: "a")
        #expect(state.advance(by: .seconds(1)) == ["a"])
        #expect(state.sleepCancelled(id) == nil)
        #expect(state.unregisteredCount == 0)
        #expect(state.sleeperCount == 0)
    }

    @Test("A rendezvous resumes when the sleeper count reaches it, and at once when it already has")
    func rendezvous() {
        var state = State(now: Self.at(0))
        let twoID = state.issueID()
        #expect(state.waitForSleepers(count: 2, id: twoID, continuation: "two") == nil)
        let oneID = state.issueID()
        #expect(state.waitForSleepers(count: 1, id: oneID, continuation: "one") == nil)
        #expect(state.waiterCount == 2)
        #expect(Self.sleeping(&state, "s1", until: 1) == ["one"])
        #expect(Self.sleeping(&state, "s2", until: 1) == ["two"])
        #expect(state.waiterCount == 0)
        let zeroID = state.issueID()
        #expect(state.waitForSleepers(count: 2, id: zeroID, continuation: "now") == "now")
        #expect(state.unregisteredCount == 0)
    }

    @Test("A cancelled rendezvous is handed back, before or after it registers")
    func rendezvousCancelled() {
        var state = State(now: Self.at(0))
        let registered = state.issueID()
        #expect(state.waitForSleepers(count: 1, id: registered, continuation: "w") == nil)
        #expect(state.waitCancelled(registered) == "w")
        #expect(state.waiterCount == 0)
        #expect(state.waitCancelled(registered) == nil)

        let early = state.issueID()
        #expect(state.waitCancelled(early) == nil)
        #expect(state.waitForSleepers(count: 5, id: early, continuation: "e") == "e")
        #expect(state.waiterCount == 0)
        #expect(state.unregisteredCount == 0)
        #expect(Self.sleeping(&state, "s", until: 1).isEmpty, "a cancelled waiter is never resumed again")
    }
}
