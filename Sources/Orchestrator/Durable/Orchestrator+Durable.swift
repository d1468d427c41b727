public import AgentAdapters
public import AgentPolicy

extension Orchestrator {
    /// Runs `agent` and journals every input its run takes, in order; if the journal already has entries, resumes
    /// it instead.
    ///
    /// Each entry (a clock reading with what happened: a step's start and result, a tool call's intent and result,
    /// a model response, a stop) is sealed into the journal's hash chain and appended to its store, in order, by one
    /// appender per run; a tool call's intent is stored with `JournalDurability/immediate` before the tool runs.
    /// The report's ``ExecutionReport/journalHeadHash`` pins the journal.
    ///
    /// When the journal already has entries this is ``resume(_:journal:sharedBudget:)``: the journaled task,
    /// metadata and policy win; a `policy` different from the journaled one ends the run at once with
    /// ``StopReason/journalFailed(error:)`` whose error code is `policyMismatch` (fork the journal to change the
    /// policy). A journal that cannot be written ends the run with ``StopReason/journalFailed(error:)``.
    ///
    /// - Parameters:
    ///   - agent: The agent to run.
    ///   - task: The task, passed to the agent's plan.
    ///   - policy: The run's limits.
    ///   - journal: Where the run's journal lives.
    ///   - metadata: Values passed unchanged to the agent's context and the report.
    ///   - sharedBudget: A budget this run shares with others.
    /// - Returns: The run's report.
    @concurrent
    public nonisolated func run(
        _ agent: some Agent,
        task: JSONValue,
        policy: StrictPolicy = StrictPolicy(),
        journal: RunJournal,
        metadata: [String: JSONValue] = [:],
        sharedBudget: SharedBudget? = nil
    ) async -> ExecutionReport {
        await runJournaled(
            agent,
            start: DurableStart(task: task, policy: policy, metadata: metadata),
            journal: journal,
            sharedBudget: sharedBudget
        )
    }

    /// Continues a journaled run that died or paused: finished steps, tool calls and model calls are fed back from
    /// the journal, never executed again; the rest runs live and is journaled.
    ///
    /// The agent code runs again from the start, and every input it asks for that the journal holds is fed back (a
    /// ``DurableRunError/Code/divergence`` if it asks for something else). The ledger is rebuilt from the journaled
    /// inputs, so the resumed run can never spend more than the original budget; a `sharedBudget` gets the
    /// journaled consumption reserved again, and the resume is refused if it does not fit. The run's timeout
    /// counts active run time only: the clock continues from the last journaled reading. A tool call journaled as
    /// started but not finished is called again with the same `ToolInvocation/idempotencyKey`. A run that had
    /// ended returns its report again, byte-identical.
    ///
    /// - Parameters:
    ///   - agent: The agent, the same code that wrote the journal.
    ///   - journal: The run's journal.
    ///   - sharedBudget: A budget this run shares with others.
    /// - Returns: The run's report.
    /// - Throws: ``DurableRunError``: an empty, corrupt or newer journal, a divergence, a run awaiting approval, a
    ///   shared budget too small, or a store failure.
    @concurrent
    public nonisolated func resume(
        _ agent: some Agent,
        journal: RunJournal,
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableRunError) -> ExecutionReport {
        try await continueJournaled(agent, journal: journal, mode: .resume(nil), sharedBudget: sharedBudget)
    }

    /// Continues a run paused awaiting approval, approving the pending call: the decision is journaled, then the
    /// call runs (once, however often this is called or the process dies).
    ///
    /// - Parameters:
    ///   - agent: The agent, the same code that wrote the journal.
    ///   - journal: The run's journal.
    ///   - request: The pending call, as the paused report's ``ExecutionReport/pendingApproval`` named it.
    ///   - sharedBudget: A budget this run shares with others.
    /// - Returns: The run's report.
    /// - Throws: ``DurableRunError`` with ``DurableRunError/Code/approvalMismatch`` when `request` is not the
    ///   pending call under the journaled policy, ``DurableRunError/Code/noPendingApproval`` when no call waits
    ///   (a decision already journaled is not applied twice: resume without a decision instead), or the errors of
    ///   ``resume(_:journal:sharedBudget:)``.
    @concurrent
    public nonisolated func resume(
        _ agent: some Agent,
        journal: RunJournal,
        approving request: ApprovalRequest,
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableRunError) -> ExecutionReport {
        try await continueJournaled(
            agent,
            journal: journal,
            mode: .resume(ApprovalDecision(request: request, approved: true, reason: nil)),
            sharedBudget: sharedBudget
        )
    }

    /// Continues a run paused awaiting approval, denying the pending call: the agent's call throws a
    /// `ToolError` with code `ToolError/Code/approvalDenied` carrying `reason`, and the run goes on.
    ///
    /// - Parameters:
    ///   - agent: The agent, the same code that wrote the journal.
    ///   - journal: The run's journal.
    ///   - request: The pending call.
    ///   - reason: Why it was denied, for the agent and the journal.
    ///   - sharedBudget: A budget this run shares with others.
    /// - Returns: The run's report.
    /// - Throws: ``DurableRunError``, as ``resume(_:journal:approving:sharedBudget:)``.
    @concurrent
    public nonisolated func resume(
        _ agent: some Agent,
        journal: RunJournal,
        denying request: ApprovalRequest,
        reason: String,
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableRunError) -> ExecutionReport {
        try await continueJournaled(
            agent,
            journal: journal,
            mode: .resume(ApprovalDecision(request: request, approved: false, reason: reason)),
            sharedBudget: sharedBudget
        )
    }

    /// Runs the agent code again with every journaled input fed back, calling no tool and no model, and returns
    /// the report, byte-identical to the recorded run's.
    ///
    /// The journal is only read. If the agent code asks for something other than the journal recorded, replay
    /// stops with ``DurableRunError/Code/divergence`` naming the first differing entry: its position, what the
    /// journal holds (``DurableRunError/expected``) and what the code asked for (``DurableRunError/got``).
    ///
    /// - Parameters:
    ///   - agent: The agent code to check against the journal.
    ///   - journal: The run's journal.
    /// - Returns: The report the journal describes.
    /// - Throws: ``DurableRunError``.
    @concurrent
    public nonisolated func replay(
        _ agent: some Agent,
        journal: RunJournal
    ) async throws(DurableRunError) -> ExecutionReport {
        try await continueJournaled(agent, journal: journal, mode: .replay, sharedBudget: nil)
    }

    /// Continues a journaled run live from entry `position` in a new journal, optionally under another policy.
    ///
    /// The new journal starts with the parent's `runStarted` entry, which gains a `forkedFrom` member naming the
    /// parent journal, the position and the parent's hash at that point, then copies the parent's inputs before
    /// `position` and continues live. Its hash chain starts from the zero genesis, like any journal's, and covers
    /// the `forkedFrom` member: both journals verify on their own, and the fork pins the parent it came from.
    ///
    /// - Parameters:
    ///   - agent: The agent.
    ///   - journal: The parent journal.
    ///   - position: How many of the parent's entries to keep, at least 1 (the run's start).
    ///   - into: The new journal; must be empty.
    ///   - policy: The policy to continue under; the parent's when `nil`.
    ///   - sharedBudget: A budget this run shares with others.
    /// - Returns: The forked run's report.
    /// - Throws: ``DurableRunError`` with ``DurableRunError/Code/invalidFork`` for a position outside the parent or
    ///   a target journal with entries, or the errors of ``resume(_:journal:sharedBudget:)``.
    @concurrent
    public nonisolated func fork(
        _ agent: some Agent,
        journal: RunJournal,
        at position: Int,
        into: RunJournal,
        policy: StrictPolicy?,
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableRunError) -> ExecutionReport {
        try await forkJournaled(
            agent,
            journal: journal,
            at: position,
            into: into,
            policy: policy,
            sharedBudget: sharedBudget
        )
    }
}

/// What a new journaled run starts with.
struct DurableStart: Sendable {
    var task: JSONValue
    var policy: StrictPolicy
    var metadata: [String: JSONValue]
}

/// An approval decision handed to a resume.
struct ApprovalDecision: Sendable {
    var request: ApprovalRequest
    var approved: Bool
    var reason: String?
}

/// How a journaled run continues.
enum DurableMode: Sendable {
    /// Feed the journal, then continue live, optionally applying a decision on the pending approval.
    case resume(ApprovalDecision?)
    /// Feed the journal; never call anything; the journal must hold the whole run.
    case replay
}
