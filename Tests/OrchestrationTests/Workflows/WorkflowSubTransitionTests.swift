import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

/// A sub-workflow's transitions are charged to its parent: parent and children together stay within the policy's
/// `maxWorkflowTransitions`.
@Suite("Workflow transitions: sub-workflows are charged to their parent", .timeLimit(.suite))
struct WorkflowSubTransitionTests {
    /// Two transitions: a → b → end.
    static let child = WorkflowDefinition(
        name: "child",
        version: "1",
        initialState: "a",
        states: [
            "a": agentTask("echo", output: "$.a", next: "b"),
            "b": agentTask("echo", output: "$.b", next: "end"),
            "end": succeededEnd, "failed": failedEnd,
        ]
    )

    /// Two transitions of its own: sub → after → done.
    static let parent = WorkflowDefinition(
        name: "parent",
        version: "1",
        initialState: "sub",
        states: [
            "sub": .task(
                WorkflowTaskState(.workflow("child"), output: "$.result", next: "after", onFailure: "failed")
            ),
            "after": agentTask("echo", output: "$.after", next: "done"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func run(_ definition: WorkflowDefinition, limit: Int64) async throws -> WorkflowReport {
        try await makeOrchestrator().run(
            workflow: definition,
            data: [:],
            registry: try workflowRegistry([echoAgent("echo")], workflows: [child]),
            policy: try StrictPolicy(maxWorkflowTransitions: limit)
        )
    }

    @Test("The child's transitions count in the parent's: 2 + 2 fit a limit of 4, reported as 4")
    func chargedWithinLimit() async throws {
        let report = try await Self.run(Self.parent, limit: 4)
        #expect(report.succeeded)
        #expect(report.transitions == 4)
    }

    @Test("A parent whose limit is reached only when its child's transitions are counted stops, naming the state")
    func limitReachedThroughChild() async throws {
        let report = try await Self.run(Self.parent, limit: 3)
        // The child took 2 of the 3 (its own run succeeded); sub → after is the 3rd; after → done would be a 4th.
        #expect(report.path[0].outcome == .succeeded)
        #expect(report.path[0].runs.first?.succeeded == true)
        #expect(report.stopReason.kind == .transitionLimitReached)
        #expect(report.stopReason.state == "done")
        #expect(report.stopReason.limit == 3)
        #expect(report.transitions == 3)
        #expect(report.statesTaken == ["sub", "after"])
    }

    /// A parallel state of two sub-workflow branches, joined by `any` (both run to their end): fan → done is its one
    /// transition.
    static let fan = WorkflowDefinition(
        name: "fan",
        version: "1",
        initialState: "fan",
        states: [
            "fan": .parallel(
                WorkflowParallelState(
                    [.init("left", .workflow("child")), .init("right", .workflow("child"))],
                    join: .any,
                    output: "$.joined",
                    next: "done",
                    onFailure: "failed"
                )
            ),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    @Test("Parallel sub-workflows share what is left: each gets an equal part, so together they cannot overrun")
    func parallelShares() async throws {
        // 5 left: 2 each (5 / 2); both children take their 2; fan → done is the 5th.
        let fits = try await Self.run(Self.fan, limit: 5)
        #expect(fits.succeeded)
        #expect(fits.transitions == 5)
        // 3 left: 1 each; each child takes 1 and stops at its 2nd, so both branches fail; 1 + 1 + fan → failed.
        let tight = try await Self.run(Self.fan, limit: 3)
        #expect(tight.statesTaken == ["fan", "failed"])
        #expect(tight.path[0].runs.map(\.stopReason) == ["transitionLimitReached", "transitionLimitReached"])
        #expect(tight.transitions == 3)
    }

    @Test("A journal keeps a sub-workflow's transitions with its outcome (an additive field), so a resume charges them")
    func journalKeepsTransitions() {
        let key = WorkflowTaskKey(state: "sub", visit: 1, branch: nil)
        var outcome = WorkflowTaskOutcome.success(["a": 1], executionID: "c")
        outcome.transitions = 2
        let members = WorkflowRecorder.members(of: .taskFinished(key, outcome))
        #expect(members["transitions"] == 2)
        #expect(WorkflowRecorder.input(from: members) == .taskFinished(key, outcome))
        // An outcome with none (every agent, tool and graph task) is written as before.
        let plain = WorkflowRecorder.members(of: .taskFinished(key, .success(1, executionID: "r")))
        #expect(plain["transitions"] == nil)
    }
}
