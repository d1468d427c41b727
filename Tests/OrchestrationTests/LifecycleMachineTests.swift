import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

@Suite("Lifecycle machine (no concurrency)")
struct LifecycleMachineTests {
    @Test("INIT → PLAN → EXECUTE × n → REVIEW → TERMINATE")
    func happyPath() throws {
        var machine = LifecycleMachine(task: "t")
        #expect(machine.phase == .initial)
        #expect(try machine.start() == .plan(PlanRequest(task: "t", revision: 0, feedback: nil)))
        #expect(machine.phase == .planning)
        guard case .execute(let first) = try machine.planReady([AgentStep("a"), AgentStep("b")]) else {
            Issue.record("expected execute")
            return
        }
        #expect(first.index == 0 && first.input == "a")
        guard case .execute(let second) = try machine.stepFinished(.output(1)) else {
            Issue.record("expected execute")
            return
        }
        #expect(second.index == 1 && second.input == "b")
        #expect(
            try machine.stepFinished(.output(2)) == .review(ReviewRequest(task: "t", revision: 0, outputs: [1, 2]))
        )
        #expect(machine.phase == .reviewing)
        #expect(try machine.reviewed(.accept) == .terminate(.completed))
        #expect(machine.finalOutput == 2)
        #expect(machine.phase == .terminated)
    }

    @Test("The transition table names every phase and TERMINATE has no exit")
    func table() {
        #expect(Set(LifecycleMachine.transitions.keys) == Set(LifecyclePhase.allCases))
        #expect(LifecycleMachine.transitions[.terminated] == [])
        for phase in LifecyclePhase.allCases where phase != .terminated {
            #expect(LifecycleMachine.transitions[phase]?.contains(.terminated) == true)
        }
        #expect(LifecycleMachine.transitions[.reviewing] == [.planning, .terminated])
    }

    @Test("An illegal event names the phase and the event")
    func illegalEvent() throws {
        var machine = LifecycleMachine(task: nil)
        let early = try #require(throws: LifecycleMachine.IllegalEvent.self) { try machine.stepFinished(.output(1)) }
        #expect(early == LifecycleMachine.IllegalEvent(phase: .initial, event: "stepFinished"))
        #expect(early.description == "event stepFinished is not valid in phase INIT")
        _ = try machine.start()
        #expect(throws: LifecycleMachine.IllegalEvent(phase: .planning, event: "start")) { try machine.start() }
        #expect(throws: LifecycleMachine.IllegalEvent(phase: .planning, event: "reviewed")) {
            try machine.reviewed(.accept)
        }
    }

    @Test("An empty plan goes straight to REVIEW; accept then gives null")
    func emptyPlan() throws {
        var machine = LifecycleMachine(task: "t")
        _ = try machine.start()
        #expect(try machine.planReady([]) == .review(ReviewRequest(task: "t", revision: 0, outputs: [])))
        _ = try machine.reviewed(.accept)
        #expect(machine.finalOutput == .null)
    }

    @Test("Revise goes back to PLAN with the feedback and a new revision; reject terminates")
    func reviseAndReject() throws {
        var machine = LifecycleMachine(task: "t")
        _ = try machine.start()
        _ = try machine.planReady([AgentStep("a")])
        _ = try machine.stepFinished(.output("draft"))
        #expect(
            try machine.reviewed(.revise(feedback: "more"))
                == .plan(PlanRequest(task: "t", revision: 1, feedback: "more"))
        )
        guard case .execute(let step) = try machine.planReady([AgentStep("b")]) else {
            Issue.record("expected execute")
            return
        }
        #expect(step.revision == 1 && step.index == 1)
        #expect(
            try machine.stepFinished(.output("v2")) == .review(ReviewRequest(task: "t", revision: 1, outputs: ["v2"]))
        )
        #expect(try machine.reviewed(.reject(reason: "no")) == .terminate(.rejected(reason: "no")))
        #expect(machine.finalOutput == nil)
    }

    @Test("Follow-up steps run before the rest of the plan")
    func followUps() throws {
        var machine = LifecycleMachine(task: nil)
        _ = try machine.start()
        _ = try machine.planReady([AgentStep("a"), AgentStep("c")])
        let next = try machine.stepFinished(StepResult(output: 1, followUpSteps: [AgentStep("b")]))
        guard case .execute(let step) = next else {
            Issue.record("expected execute")
            return
        }
        #expect(step.input == "b")
    }

    @Test("Terminate wins once; later events are illegal")
    func terminateOnce() throws {
        var machine = LifecycleMachine(task: nil)
        _ = try machine.start()
        let first = machine.terminate(.cancelled)
        let second = machine.terminate(.completed)
        #expect(first)
        #expect(!second)
        #expect(machine.stopReason == .cancelled)
        #expect(throws: LifecycleMachine.IllegalEvent.self) { try machine.planReady([]) }
    }
}
