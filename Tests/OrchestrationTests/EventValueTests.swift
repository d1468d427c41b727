import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentOrchestration

@Suite("Event values")
struct EventValueTests {
    @Test("An event is a small value: the kinds that carry a report or a violation keep it boxed")
    func eventIsSmall() {
        #expect(
            MemoryLayout<OrchestrationEvent>.size <= 128,
            "an event is copied into the run's queue, each subscriber's buffer and the reader"
        )
        #expect(MemoryLayout<OrchestrationEvent.Kind>.size <= 72)
    }

    @Test("Boxed kinds compare, hash and match as before")
    func boxedKindsBehave() {
        let violation = PolicyViolation(limit: .maxSteps, limitValue: 1, attempted: 2, tool: "t", message: "over")
        let first = OrchestrationEvent.Kind.policyViolation(violation)
        let second = OrchestrationEvent.Kind.policyViolation(violation)
        #expect(first == second)
        #expect(first.hashValue == second.hashValue)
        guard case .policyViolation(let inside) = first else {
            Issue.record("the boxed payload no longer matches its case")
            return
        }
        #expect(inside == violation)
        #expect(first.name == "policyViolation")
    }
}
