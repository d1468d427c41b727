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
        let time = BudgetLine(budget: "timeNanoseconds", limit: timeout.rawValue, used: duration.rawValue)
        // A graph node's report keeps only the lines that say something: see `compactLedger(_:time:)`.
        let compact = identity.nodeID != nil
        let lines = compact ? Self.compactLedger(ledger, time: time) : ledger + [time]
        var counts = counts
        counts.emitted += 1
        counts.runFinished += 1
        let completed = steps.filter { $0.status == .completed }
        return ExecutionReport(
            storedExecutionID: ReportID(identity.executionID),
            agentName: identity.agentName,
            nodeID: identity.nodeID,
            task: identity.task,
            agentStopped: agentStopped,
            status: reason.status,
            metadata: identity.metadata,
            outOfLineStopReason: ExecutionReport.outOfLine(reason),
            finalOutput: reason == .completed ? lifecycle.finalOutput : nil,
            stepOutputs: completed.compactMap(\.output),
            steps: compact ? Self.exactSize(steps) : steps,
            sharedTotals: .value(
                RunTotals(
                    steps: steps.count,
                    completedSteps: completed.count,
                    toolCalls: toolBodies,
                    refusedToolCalls: refusedToolCalls,
                    failedToolCalls: failedToolCalls,
                    usage: usage,
                    revisions: lifecycle.revision,
                    modelCalls: modelCallCount
                )
            ),
            ledgers: ReportLedgers(
                ledger: lines,
                sharedLedger: compact ? sharedLedger.map { Self.compactLedger($0, time: nil) } : sharedLedger
            ),
            history: compact ? Self.exactSize(history) : history,
            sharedEvents: .value(counts),
            durationNanoseconds: duration,
            extras: ReportExtras(
                toolCallsOutsideSteps: toolCallsOutsideSteps,
                violations: violations,
                modelCallsOutsideSteps: modelCallsOutsideSteps,
                modelTranscript: modelTranscript,
                pendingApproval: reason.status == .awaitingApproval ? journal.pendingApproval : nil
            ).boxed
        )
    }

    /// `array` in a buffer of exactly its size: a graph keeps its node reports until it ends, so their arrays
    /// should not keep the slack of growing (the history of a run grows to 8 entries for 6).
    ///
    /// - Parameter array: The array.
    /// - Returns: The same elements, in a buffer of their count (the array itself when it has no slack).
    static func exactSize<Element>(_ array: [Element]) -> [Element] {
        guard array.capacity > array.count else { return array }
        var exact: [Element] = []
        exact.reserveCapacity(array.count)
        exact.append(contentsOf: array)
        return exact
    }

    /// A graph node's ledger lines: those that say more than the budget table does, then `time` if given, in an
    /// array of exactly that size.
    ///
    /// A line is left out when nothing was used and its limit is its kind's `BudgetKind.defaultLimit` (the
    /// default of ``StrictPolicy``): the table says all it would. Lines with use, limits set to anything but the
    /// default (`nil` for unlimited included) and per-tool lines with a limit or a call are kept. A graph of
    /// 100,000 nodes kept about 0.8 KB of full tables per node (the run's and the shared budget's).
    /// Docs/CompactNodeReports.md records the decision; ``ExecutionReport/ledgerLine(_:)`` reads a line back.
    ///
    /// - Parameters:
    ///   - lines: The ledger's full table, in table order.
    ///   - time: The `timeNanoseconds` line to append, if any.
    /// - Returns: The kept lines, in table order.
    static func compactLedger(_ lines: [BudgetLine], time: BudgetLine?) -> [BudgetLine] {
        func says(_ line: BudgetLine) -> Bool {
            line.used != 0 || line.limit != BudgetKind.defaultLimit(ofLine: line.budget)
        }
        var kept = 0
        for line in lines where says(line) { kept += 1 }
        var compact: [BudgetLine] = []
        compact.reserveCapacity(kept + (time == nil ? 0 : 1))
        for line in lines where says(line) { compact.append(line) }
        if let time { compact.append(time) }
        return compact
    }
}
