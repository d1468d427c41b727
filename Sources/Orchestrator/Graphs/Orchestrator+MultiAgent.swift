public import AgentAdapters
public import AgentPolicy

extension Orchestrator {
    /// Runs several agents on one task concurrently, each with its own lifecycle and report.
    ///
    /// At most `maxConcurrency` runs are in flight; the next starts as soon as one ends. A failing agent affects
    /// no other (its report says why); pass a `SharedBudget` to make the agents draw on one budget, which is
    /// exact under concurrency. Cancelling the calling task cancels every run; each still returns its report.
    ///
    /// - Parameters:
    ///   - agents: The agents; names must be unique.
    ///   - task: The task every agent gets.
    ///   - policy: Each run's policy.
    ///   - maxConcurrency: The most runs in flight at once; at least 1.
    ///   - sharedBudget: A budget all the runs draw on, if any.
    ///   - metadata: Values passed unchanged to every run.
    /// - Returns: The reports by agent name.
    /// - Throws: ``OrchestrationError`` for duplicate agent names or a cap below 1, before any agent runs.
    @concurrent
    public nonisolated func run(
        _ agents: [any Agent],
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        maxConcurrency: Int = 8,
        sharedBudget: SharedBudget? = nil,
        metadata: [String: JSONValue] = [:]
    ) async throws(OrchestrationError) -> MultiAgentReport {
        guard maxConcurrency >= 1 else {
            throw OrchestrationError(
                code: .invalidConfiguration,
                message: "maxConcurrency is \(maxConcurrency); it must be at least 1"
            )
        }
        var seen: Set<String> = []
        for agent in agents where !seen.insert(agent.name).inserted {
            throw OrchestrationError(
                code: .duplicateAgent,
                name: agent.name,
                registered: agents.map(\.name).sorted(),
                message: "two agents are named \"\(agent.name)\"; reports are keyed by name, so names must be unique"
            )
        }
        let reports = await withTaskGroup(of: ExecutionReport.self) { group in
            var next = 0
            var reports: [String: ExecutionReport] = [:]
            while next < agents.count, next < maxConcurrency {
                let agent = agents[next]
                group.addTask {
                    await self.run(agent, task: task, policy: policy, sharedBudget: sharedBudget, metadata: metadata)
                }
                next += 1
            }
            while let report = await group.next() {
                reports[report.agentName] = report
                if next < agents.count {
                    let agent = agents[next]
                    group.addTask {
                        await self.run(
                            agent,
                            task: task,
                            policy: policy,
                            sharedBudget: sharedBudget,
                            metadata: metadata
                        )
                    }
                    next += 1
                }
            }
            return reports
        }
        let status = reports.keys.sorted().lazy.compactMap { reports[$0]?.status }.first { $0 != .succeeded }
        return MultiAgentReport(
            reports: reports,
            status: status ?? .succeeded,
            sharedLedger: sharedBudget?.ledger.lines
        )
    }
}
