import AgentAdapters
package import AgentPolicy

extension RunStateMachine {
    /// The run's report, from its records and the ledger figures the caller read.
    ///
    /// - Parameters:
    ///   - ledger: The run's own budget lines.
    ///   - sharedLedger: The shared budget's lines, if the run drew on one.
    ///   - timeout: The run's timeout, for the `timeNanoseconds` line.
    ///   - now: The clock reading, used only if the run has not ended.
    /// - Returns: The report.
    package func report(
        ledger: [BudgetLine],
        sharedLedger: [BudgetLine]?,
        timeout: Nanoseconds,
        now: Nanoseconds
    ) -> ExecutionReport {
        let reason = lifecycle.stopReason ?? .cancelled
        let duration = endTime ?? now
        var lines = ledger
        lines.append(BudgetLine(budget: "timeNanoseconds", limit: timeout.rawValue, used: duration.rawValue))
        var counts = counts
        counts.emitted += 1
        counts.runFinished += 1
        let completed = steps.filter { $0.status == .completed }
        return ExecutionReport(
            executionID: identity.executionID,
            agentName: identity.agentName,
            nodeID: identity.nodeID,
            task: identity.task,
            metadata: identity.metadata,
            status: reason.status,
            stopReason: reason,
            finalOutput: reason == .completed ? lifecycle.finalOutput : nil,
            stepOutputs: completed.compactMap(\.output),
            steps: steps,
            toolCallsOutsideSteps: toolCallsOutsideSteps,
            totals: RunTotals(
                steps: steps.count,
                completedSteps: completed.count,
                toolCalls: toolBodies,
                refusedToolCalls: refusedToolCalls,
                failedToolCalls: failedToolCalls,
                usage: usage,
                revisions: lifecycle.revision,
                modelCalls: modelCallCount
            ),
            ledger: lines,
            sharedLedger: sharedLedger,
            history: history,
            violations: violations,
            events: counts,
            agentStopped: agentStopped,
            durationNanoseconds: duration,
            modelCallsOutsideSteps: modelCallsOutsideSteps,
            modelTranscript: modelTranscript,
            pendingApproval: reason.status == .awaitingApproval ? journal.pendingApproval : nil
        )
    }
}
