import AgentAdapters
@_spi(Internals) import AgentPolicy

extension Orchestrator {
    /// Runs one task's performer as a governed run under the workflow's policy, ledger and deadline.
    @concurrent
    nonisolated func performWorkflowTask(
        _ performer: WorkflowPerformer,
        input: JSONValue,
        key: WorkflowTaskKey,
        run: WorkflowRun,
        deadline: Duration,
        transitionsLeft: Int64
    ) async -> WorkflowTaskOutcome {
        let nodeID = [key.state, key.branch].compactMap { $0 }.joined(separator: ".")
        func governed(_ agent: some Agent) async -> WorkflowTaskOutcome {
            let report: ExecutionReport
            if let journal = run.journal {
                switch await performJournaledTask(agent, input, nodeID, key, run, journal, deadline) {
                case .success(let ended): report = ended
                case .failure(let failure):
                    return .failure("journalFailed", detail: failure.description, executionID: nil)
                }
            } else {
                report = await perform(
                    agent,
                    makeRuntime(
                        agent,
                        task: input,
                        policy: run.policy,
                        sharedBudget: run.budget,
                        metadata: run.metadata,
                        nodeID: nodeID,
                        deadline: deadline
                    )
                )
            }
            var outcome: WorkflowTaskOutcome
            if case .completed = report.stopReason {
                outcome = .success(report.finalOutput ?? .null, executionID: report.executionID)
            } else {
                outcome = .failure(
                    report.stopReason.code,
                    detail: "\(report.stopReason)",
                    executionID: report.executionID
                )
            }
            if report.agentChain.count > 1 { outcome.agentChain = report.agentChain }
            return outcome
        }
        switch performer {
        case .agent(let name):
            do throws(OrchestrationError) {
                let agent = try run.registry.agents.agent(named: name)
                // An agent with `maxConcurrentRuns` runs in one of its registry slots, as a graph node does.
                guard let slots = run.registry.agents.entry(name)?.slots else { return await governed(agent) }
                guard let lease = try? await slots.acquire() else {
                    return .failure(
                        "cancelled",
                        detail: "cancelled waiting for a slot of \"\(name)\"",
                        executionID: nil
                    )
                }
                defer { lease.release() }
                return await governed(agent)
            } catch {
                return .failure("unknownAgent", detail: error.description, executionID: nil)
            }
        case .tool(let name):
            return await governed(WorkflowToolAgent(tool: name))
        case .graph(let name):
            guard let graph = run.registry.graphs[name] else {
                return .failure("unknownGraph", detail: "graph \"\(name)\" is not registered", executionID: nil)
            }
            return await performWorkflowGraph(
                graph,
                named: name,
                input: input,
                run: run,
                deadline: deadline,
                journalID: run.journal.flatMap { taskJournalID($0, nodeID, key) }
            )
        case .workflow(let name):
            guard let definition = run.registry.workflows[name] else {
                return .failure(
                    "unknownWorkflow",
                    detail: "sub-workflow \"\(name)\" is not registered",
                    executionID: nil
                )
            }
            // In a journaled workflow the sub-workflow keeps a workflow journal of its own: resumed, its finished
            // tasks do not run again and its journaled consumption is charged again.
            var childJournal: RunJournal?
            if let journal = run.journal {
                guard let id = taskJournalID(journal, nodeID, key) else {
                    return .failure(
                        "journalFailed",
                        detail: "sub-workflow \"\(name)\" cannot name a task journal",
                        executionID: nil
                    )
                }
                childJournal = RunJournal(store: journal.store, id: id)
            }
            let inbox = WorkflowInbox()
            let child = WorkflowRun(
                definition: definition,
                data: input,
                registry: run.registry,
                policy: run.policy,
                budget: run.budget,
                metadata: run.metadata,
                executionID: ids.next(),
                maxTransitions: transitionsLeft,
                deadline: deadline,
                inbox: inbox,
                journal: childJournal
            )
            let report = await withTaskCancellationHandler {
                await drive(child)
            } onCancel: {
                // Cancelled by a shutdown, the sub-workflow ends without journaling a cancel: it resumes with its
                // parent in the next process.
                let input: WorkflowInput = workflows.withLock(\.isShuttingDown) ? .shutdown : .cancel
                inbox.send(WorkflowInbox.Message(input: input, reply: nil))
            }
            var outcome =
                report.succeeded
                ? WorkflowTaskOutcome.success(report.finalData, executionID: report.executionID)
                : .failure(
                    report.stopReason.kind.rawValue,
                    detail: "sub-workflow \"\(name)\" \(report.stopReason)",
                    executionID: report.executionID
                )
            // Charged to the parent when the outcome is taken.
            outcome.transitions = Int64(report.transitions)
            return outcome
        }
    }

    /// Runs a graph task: the orchestrator's graph driver on the workflow's policy, ledger and deadline, with the
    /// task's input as the graph's task and the graph's final output (``AgentGraphReport/output``) as the output.
    ///
    /// A graph that cannot run (an agent or capability its registry lacks, a tool its policy names that the
    /// orchestrator lacks) or that does not complete (a failed node, the deadline, a budget) is a failure outcome,
    /// so the task takes its failure transition.
    ///
    /// In a journaled workflow the graph is journaled in `journalID` (`<workflow journal>.<node>.<visit>`, the node
    /// being the state or `<state>.<branch>`) through the durable-graph path: a graph task in flight when the process
    /// died resumes from its journal (finished nodes are fed back from their node journals, not run again, and
    /// charge the workflow ledger again), and one that had ended gives its report again.
    @concurrent
    nonisolated func performWorkflowGraph(
        _ graph: AgentGraph,
        named name: String,
        input: JSONValue,
        run: WorkflowRun,
        deadline: Duration,
        journalID: JournalID?
    ) async -> WorkflowTaskOutcome {
        let configuration = GraphConfiguration()
        let report: AgentGraphReport
        if let journal = run.journal {
            guard let journalID else {
                return .failure(
                    "journalFailed",
                    detail: "graph \"\(name)\" cannot name a task journal",
                    executionID: nil
                )
            }
            do throws(DurableGraphError) {
                report = try await runJournaled(
                    graph,
                    task: input,
                    policy: run.policy,
                    journal: RunJournal(store: journal.store, id: journalID),
                    configuration: configuration,
                    registry: run.registry.agents,
                    sharedBudget: run.budget,
                    metadata: run.metadata,
                    deadline: deadline
                )
            } catch {
                let code =
                    switch error {
                    case .invalidGraph(let invalid): invalid.code.rawValue
                    case .journal: "journalFailed"
                    }
                return .failure(code, detail: "graph \"\(name)\": \(error.description)", executionID: nil)
            }
            return Self.outcome(ofGraph: report, named: name)
        }
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
        return Self.outcome(ofGraph: report, named: name)
    }

    /// A graph task's outcome: the graph's final output when it completed, a failure naming the graph otherwise.
    static func outcome(ofGraph report: AgentGraphReport, named name: String) -> WorkflowTaskOutcome {
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
