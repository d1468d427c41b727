import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("WorkflowClock: active time, stands and the deadline, as a value")
struct WorkflowClockTests {
    @Test("Reading and deadline move out by exactly the time the clock stood still")
    func standsMoveTheDeadline() {
        var clock = WorkflowClock(origin: .seconds(100), timeout: .seconds(10), outerDeadline: nil)
        #expect(clock.reading(at: .seconds(104)) == Nanoseconds(.seconds(4)))
        #expect(clock.deadline == .seconds(110))
        // Stands from the reading 4 s (the input that entered the wait), even when the driver gets there later.
        let stood = clock.stand(since: Nanoseconds(.seconds(4)))
        #expect(stood)
        let stoodAgain = clock.stand(since: Nanoseconds(.seconds(5)))
        #expect(stoodAgain == false)
        #expect(clock.isStanding)
        #expect(clock.reading(at: .seconds(5000)) == Nanoseconds(.seconds(4)))
        #expect(clock.deadline == nil)
        #expect(clock.deadlineReading == Nanoseconds(.seconds(10)))
        let ran = clock.run(at: .seconds(1104))
        #expect(ran)
        let ranAgain = clock.run(at: .seconds(1105))
        #expect(ranAgain == false)
        #expect(clock.reading(at: .seconds(1105)) == Nanoseconds(.seconds(5)))
        #expect(clock.deadline == .seconds(1110))
    }

    @Test("An enclosing deadline bounds the clock on the orchestrator's time, standing or not")
    func outerDeadline() {
        var clock = WorkflowClock(origin: .seconds(100), timeout: .seconds(10), outerDeadline: .seconds(106))
        #expect(clock.deadline == .seconds(106))
        #expect(clock.deadlineReading == Nanoseconds(.seconds(6)))
        _ = clock.stand(since: Nanoseconds(.seconds(2)))
        #expect(clock.deadline == .seconds(106))
        _ = clock.run(at: .seconds(104))
        // Stood 2 s: the outer deadline is now 4 s of this clock's reading away from 2 s.
        #expect(clock.deadline == .seconds(106))
        #expect(clock.deadlineReading == Nanoseconds(.seconds(4)))
        #expect(clock.reading(at: .seconds(106)) == clock.deadlineReading)
    }

    @Test("A resumed clock continues from its journaled reading")
    func resumed() {
        let clock = WorkflowClock(origin: .seconds(50) - .seconds(7), timeout: .seconds(10), outerDeadline: nil)
        #expect(clock.reading(at: .seconds(50)) == Nanoseconds(.seconds(7)))
        #expect(clock.deadline == .seconds(53))
    }

    @Test("The machine stands the clock in a wait and under a pause, not while a task runs")
    func machineSaysWhenItStands() {
        var machine = WorkflowMachine(
            definition: WorkflowWaitTests.waiting(.signal("reply")),
            data: [:],
            predicates: PredicateRegistry(),
            maxTransitions: 100,
            timeout: .seconds(10)
        )
        #expect(machine.clockStands == false)
        _ = machine.start(at: 0)
        #expect(machine.clockStands)
        _ = machine.signal("reply", payload: 1, at: 0)
        #expect(machine.stop != nil)
        #expect(machine.clockStands == false)

        var working = WorkflowFailureEdgeTests.machineInWork()
        #expect(working.clockStands == false)
        let paused = working.pause()
        #expect(paused)
        #expect(working.clockStands == false)
        _ = working.taskFinished(WorkflowFailureEdgeTests.work, .success("x", executionID: "r"), at: 1)
        #expect(working.heldBack != nil)
        #expect(working.clockStands)
    }
}
