import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

@Suite("A sub-workflow cannot wait: its signals and approvals could never reach it")
struct WorkflowSubWorkflowWaitTests {
    @Test("A wait in a sub-workflow is refused at load with waitInSubWorkflow, naming it and its wait state")
    func refused() throws {
        let approve = WorkflowWaitTests.waiting(.approval(prompt: "ok?"))
        let parent = WorkflowDefinition(
            name: "parent",
            version: "1",
            initialState: "child",
            states: [
                "child": .task(
                    WorkflowTaskState(.workflow("wait"), output: "$.child", next: "done", onFailure: "failed")
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let registry = try workflowRegistry([], workflows: [approve])
        let errors = parent.validationErrors(registry: registry, tools: [])
        #expect(errors.map(\.code) == [.waitInSubWorkflow])
        #expect(errors.first?.workflow == "wait")
        #expect(errors.first?.state == "hold")
        #expect(errors.first?.message.contains("parent") == true)
        // The same definition at the top level may wait.
        #expect(approve.validationErrors(registry: registry, tools: []) == [])
        #expect(throws: WorkflowDefinitionError.self) {
            _ = try makeOrchestrator().start(workflow: parent, data: [:], registry: registry)
        }
    }
}
