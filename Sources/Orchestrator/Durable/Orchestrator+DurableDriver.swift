import AgentAdapters
import AgentPolicy

extension Orchestrator {
    /// Starts or resumes a journaled run; never throws (errors end in the report).
    nonisolated func runJournaled(
        _ agent: some Agent,
        start: DurableStart,
        journal: RunJournal,
        sharedBudget: SharedBudget?
    ) async -> ExecutionReport {
        // Skeleton: journaling not wired yet.
        await run(
            agent,
            task: start.task,
            policy: start.policy,
            sharedBudget: sharedBudget,
            metadata: start.metadata
        )
    }

    /// Resumes or replays a journal.
    nonisolated func continueJournaled(
        _ agent: some Agent,
        journal: RunJournal,
        mode: DurableMode,
        sharedBudget: SharedBudget?
    ) async throws(DurableRunError) -> ExecutionReport {
        throw DurableRunError(code: .storeFailed, journal: journal.id, message: "not implemented yet (skeleton)")
    }

    /// Forks a journal.
    nonisolated func forkJournaled(
        _ agent: some Agent,
        journal: RunJournal,
        at position: Int,
        into: RunJournal,
        policy: StrictPolicy?,
        sharedBudget: SharedBudget?
    ) async throws(DurableRunError) -> ExecutionReport {
        throw DurableRunError(code: .invalidFork, journal: journal.id, message: "not implemented yet (skeleton)")
    }
}
