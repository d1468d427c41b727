import AgentAdapters
import AgentPolicy

extension Orchestrator {
    /// Runs a graph task: the orchestrator's graph driver on the workflow's policy, ledger and deadline, with the
    /// task's input as the graph's task and the graph's final output (``AgentGraphReport/output``) as the output.
    ///
    /// A graph that cannot run (an agent or capability its registry lacks, a tool its policy names that the
    /// orchestrator lacks) or that does not complete (a failed node, the deadline, a budget) is a failure outcome,
    /// so the task takes its failure transition.
    @concurrent
    nonisolated func performWorkflowGraph(
        _ graph: AgentGraph,
        named name: String,
        input: JSONValue,
        run: WorkflowRun,
        deadline: Duration
    ) async -> WorkflowTaskOutcome {
        let configuration = GraphConfiguration()
        let report: AgentGraphReport
        do throws(OrchestrationError) {
            let plans = try prepare(
                graph,
                policy: run.policy,
                configuration: configuration,
                registry: run.registry.agents
            )
            let events = GraphEventEmitter(
                executionID: ids.next(),
                metadata: run.metadata,
                route: EventRoute(hub: hub, listeners: []),
                time: time
            )
            report = try await runGraph(
                graph,
                plans: plans,
                task: input,
                policy: run.policy,
                configuration: configuration,
                sharedBudget: run.budget,
                events: events,
                deadline: deadline
            )
        } catch {
            return .failure(error.code.rawValue, detail: "graph \"\(name)\": \(error.description)", executionID: nil)
        }
        if case .completed = report.stopReason {
            return .success(report.output ?? .null, executionID: report.executionID)
        }
        return .failure(
            report.stopReason.code,
            detail: "graph \"\(name)\" \(report.stopReason)",
            executionID: report.executionID
        )
    }
}
