public import AgentPolicy

/// Approving or denying the pending call of a journaled graph paused awaiting approval.
extension Orchestrator {
    /// Continues a journaled graph paused awaiting approval, approving the pending call of one node run.
    ///
    /// The report of a paused graph (status `awaitingApproval`) lists each paused node run and the exact call in
    /// ``AgentGraphReport/pendingApprovals``; pass one of those requests. The graph resumes as
    /// ``resume(_:journal:configuration:registry:sharedBudget:)`` does, and that node's run continues: the approved
    /// call runs, exactly once (the node journal holds the decision and then the result, so resuming again, or after a
    /// crash after the call ran, never runs it a second time). Other paused node runs stay paused: the graph pauses
    /// again for them once nothing else can run.
    ///
    /// - Parameters:
    ///   - graph: The graph, the same nodes and agent code that wrote the journal.
    ///   - journal: The graph journal.
    ///   - request: The pending call, as the report gave it: the approval is bound to the call (tool, arguments
    ///     hash, call id) and to the policy (policy hash).
    ///   - configuration: The scheduling settings the run used.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others; the journaled consumption is reserved again.
    /// - Returns: The graph report.
    /// - Throws: ``DurableGraphError/journal(_:)`` with ``DurableRunError/Code/noPendingApproval`` when the node run
    ///   the request names awaits no approval (the decision may be journaled already: resume without one), or
    ///   ``DurableRunError/Code/approvalMismatch`` when the request is for another call or policy; and the errors of
    ///   ``resume(_:journal:configuration:registry:sharedBudget:)``.
    @concurrent
    public nonisolated func resume(
        _ graph: AgentGraph,
        journal: RunJournal,
        approving request: ApprovalRequest,
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableGraphError) -> AgentGraphReport {
        try await resumeDeciding(
            graph,
            journal: journal,
            ApprovalDecision(request: request, approved: true, reason: nil),
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget
        )
    }

    /// Continues a journaled graph paused awaiting approval, denying the pending call of one node run.
    ///
    /// As ``resume(_:journal:approving:configuration:registry:sharedBudget:)``, but the call is refused and never
    /// runs: the node's agent gets a `ToolError` with code `approvalDenied` carrying `reason`, and goes on (or
    /// fails) as its code decides.
    ///
    /// - Parameters:
    ///   - graph: The graph, the same nodes and agent code that wrote the journal.
    ///   - journal: The graph journal.
    ///   - request: The pending call, as the report gave it.
    ///   - reason: Why the call is denied; journaled and given to the agent.
    ///   - configuration: The scheduling settings the run used.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others; the journaled consumption is reserved again.
    /// - Returns: The graph report.
    /// - Throws: As ``resume(_:journal:approving:configuration:registry:sharedBudget:)``.
    @concurrent
    public nonisolated func resume(
        _ graph: AgentGraph,
        journal: RunJournal,
        denying request: ApprovalRequest,
        reason: String,
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableGraphError) -> AgentGraphReport {
        try await resumeDeciding(
            graph,
            journal: journal,
            ApprovalDecision(request: request, approved: false, reason: reason),
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget
        )
    }

    /// Checks that the decision's node journal (named by the request's call id) awaits that call, then resumes.
    nonisolated func resumeDeciding(
        _ graph: AgentGraph,
        journal: RunJournal,
        _ decision: ApprovalDecision,
        configuration: GraphConfiguration,
        registry: AgentRegistry,
        sharedBudget: SharedBudget?
    ) async throws(DurableGraphError) -> AgentGraphReport {
        let loaded: (chain: JournalChain, entries: [GraphJournalEntry])
        do { loaded = try await Self.loadGraph(journal) } catch { throw .journal(error) }
        let callID = decision.request.callID
        let nodeJournal = callID.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
        guard nodeJournal.hasPrefix("\(journal.id.rawValue)."), let id = JournalID(rawValue: nodeJournal),
            loaded.entries.contains(where: { $0.kind == .nodeStarted && $0.string("journal") == nodeJournal })
        else {
            throw .journal(
                DurableRunError(
                    code: .noPendingApproval,
                    journal: journal.id,
                    got: callID,
                    message: "call \(callID) is not a call of a node run of this graph: pass a request from the "
                        + "paused graph report's pendingApprovals"
                )
            )
        }
        do {
            let node = try await Self.load(RunJournal(store: journal.store, id: id))
            try Self.checkApproval(decision, node.entries, journal: id)
        } catch {
            throw .journal(error)
        }
        return try await continueGraph(
            graph,
            loaded,
            journal: journal,
            isReplay: false,
            decision: decision,
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget
        )
    }
}
