import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

@Suite("Where tool calls report progress", .timeLimit(.suite))
struct ProgressTargetTests {
    @Test("The progress target names its run while the run lives and holds it weakly")
    func targetHoldsTheRunWeakly() throws {
        var runtime: RunRuntime? = RunRuntime(
            identity: RunStateMachine.Identity(
                executionID: "run-1",
                agentName: "a",
                nodeID: nil,
                task: "t",
                metadata: [:]
            ),
            policy: StrictPolicy(),
            sharedBudget: nil,
            tools: try ToolRegistry(),
            time: TimeSource(ManualClock()),
            route: EventRoute(hub: EventHub(), listeners: [])
        )
        let target = try #require(runtime?.progressTarget)
        #expect(target.runtime === runtime, "the runtime attaches itself when it is made")
        runtime = nil
        #expect(target.runtime == nil, "a target kept past the run (by a tool keeping its invocation) lets it go")
    }

    @Test("Progress reported through an invocation kept past its run is dropped; during the call it is an event")
    func progressAfterTheRun() async throws {
        let kept = LockedState<ToolInvocation?>(nil)
        let tool = ClosureTool(name: "keeper", description: "Keeps its invocation.") { _ in
            kept.withLock { $0 = ToolInvocation.current }
            ToolInvocation.current?.reportProgress(1, total: 2, message: "half")
            return .null
        }
        let orchestrator = try Orchestrator(tools: [tool])
        let stream = orchestrator.events(bufferingNewest: 100)
        let agent = ClosureAgent(name: "a") { _, context in try await context.callTool("keeper") }
        let report = await orchestrator.run(agent, task: nil)
        kept.withLock { $0 }?.reportProgress(2, total: 2, message: "late")
        var progress: [OrchestrationEvent.Kind] = []
        for await event in stream {
            if case .toolProgress = event.kind { progress.append(event.kind) }
            if case .runFinished = event.kind { break }
        }
        #expect(report.status == .succeeded)
        #expect(progress == [.toolProgress(tool: "keeper", progress: 1, total: 2, message: "half")])
    }
}
