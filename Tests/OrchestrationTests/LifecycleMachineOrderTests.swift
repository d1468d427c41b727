import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// The machine keeps the steps not handed out yet last first (taking the next one moves no other); these tests hold
/// it to the order of a plan and its follow-ups.
@Suite("Lifecycle machine: step order")
struct LifecycleMachineOrderTests {
    @Test("Steps come out in plan order, each step's follow-ups first and in their order, indices counting up")
    func order() throws {
        var machine = LifecycleMachine(task: nil)
        _ = try machine.start()
        var handed: [JSONValue] = []
        var indices: [Int] = []
        var action = try machine.planReady([AgentStep("a"), AgentStep("b"), AgentStep("c")])
        let followUps: [JSONValue: [AgentStep]] = [
            "a": [AgentStep("a1"), AgentStep("a2"), AgentStep("a3")],
            "a1": [AgentStep("a1x")],
            "b": [AgentStep("b1"), AgentStep("b2")],
        ]
        while case .execute(let step) = action {
            handed.append(step.input)
            indices.append(step.index)
            action = try machine.stepFinished(
                StepResult(output: step.input, followUpSteps: followUps[step.input] ?? [])
            )
        }
        #expect(handed == ["a", "a1", "a1x", "a2", "a3", "b", "b1", "b2", "c"])
        #expect(indices == Array(0..<9))
        guard case .review(let request) = action else {
            Issue.record("expected review")
            return
        }
        #expect(request.outputs == handed)
    }

    @Test("A revised plan replaces what was left of the old one")
    func revision() throws {
        var machine = LifecycleMachine(task: nil)
        _ = try machine.start()
        _ = try machine.planReady([AgentStep("a")])
        _ = try machine.stepFinished(.output(1))
        _ = try machine.reviewed(.revise(feedback: "again"))
        guard case .execute(let step) = try machine.planReady([AgentStep("x"), AgentStep("y")]) else {
            Issue.record("expected execute")
            return
        }
        #expect(step.input == "x" && step.revision == 1 && step.index == 1)
        guard case .execute(let next) = try machine.stepFinished(.output(2)) else {
            Issue.record("expected execute")
            return
        }
        #expect(next.input == "y")
    }
}
