import AgentPolicy

@testable import AgentOrchestration

/// A run's state machine for tests that drive it directly: execution `run-1` of agent `a` on task `t`, outside a
/// graph, without metadata.
func testRunMachine(emitsEvents: Bool = true) -> RunStateMachine {
    RunStateMachine(
        identity: RunStateMachine.Identity(
            executionID: "run-1",
            agentName: "a",
            nodeID: nil,
            task: "t",
            metadata: [:]
        ),
        emitsEvents: emitsEvents
    )
}

/// An event of run `run-1` numbered `sequence` (its time and step index the same number), for driving a subscriber's
/// buffer directly.
func numberedEvent(_ sequence: Int64) -> OrchestrationEvent {
    OrchestrationEvent(
        executionID: "run-1",
        nodeID: nil,
        sequence: sequence,
        atNanoseconds: Nanoseconds(rawValue: sequence),
        kind: .stepStarted(index: Int(sequence), revision: 0)
    )
}
