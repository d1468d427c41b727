public import AgentAdapters

/// A running workflow: send it signals and approval decisions, pause, resume or cancel it, watch its status, await
/// its report.
///
/// Every call is an input to the run's state machine, decided in order with the run's own inputs; the `Bool` each
/// returns says whether the run accepted it (a signal nobody waits for, a second pause, a cancel after the end are
/// refused).
public struct WorkflowHandle: Sendable {
    /// The run's id, also its report's ``WorkflowReport/executionID``: a run resumed from a journal keeps the id
    /// its journal's first entry holds, so this waits until the run has read its journal.
    public var executionID: String { get async { await inbox.executionID() } }
    let inbox: WorkflowInbox
    let task: Task<WorkflowReport, Never>

    /// Sends the signal `name` with its payload; accepted only while the current state waits for that signal.
    ///
    /// - Parameters:
    ///   - name: The signal's name.
    ///   - payload: Its payload, written at the wait's output path.
    /// - Returns: Whether the waiting state took it.
    @discardableResult
    public func signal(_ name: String, payload: JSONValue = .null) async -> Bool {
        await inbox.ask(.signal(name, payload: payload))
    }

    /// Approves the pending approval; accepted only while the current state waits for an approval.
    ///
    /// - Parameter reason: Why, written in the decision.
    /// - Returns: Whether a state waited for it.
    @discardableResult
    public func approve(reason: String? = nil) async -> Bool {
        await inbox.ask(.decision(approved: true, reason: reason))
    }

    /// Denies the pending approval: the wait takes its `onDenied` transition.
    ///
    /// - Parameter reason: Why, written in the decision and the path.
    /// - Returns: Whether a state waited for it.
    @discardableResult
    public func deny(reason: String) async -> Bool {
        await inbox.ask(.decision(approved: false, reason: reason))
    }

    /// Pauses the run at the next state boundary: the current state finishes, the next one is not entered.
    ///
    /// - Returns: Whether the run was running and not paused already.
    @discardableResult
    public func pause() async -> Bool { await inbox.ask(.pause) }

    /// Resumes a paused run: it enters the state the pause held back.
    ///
    /// - Returns: Whether the run was paused.
    @discardableResult
    public func resume() async -> Bool { await inbox.ask(.resume) }

    /// Cancels the run: runs in flight are cancelled and the report says `cancelled`.
    ///
    /// - Returns: Whether the run was still going; a run that has ended cannot be cancelled.
    @discardableResult
    public func cancel() async -> Bool { await inbox.ask(.cancel) }

    /// Where the run stands now.
    public var status: WorkflowStatus { inbox.status }

    /// Waits until the run waits for a signal or an approval, is paused, or has ended, and returns that status.
    public func waitUntilWaiting() async -> WorkflowStatus {
        await inbox.wait { status in
            switch status {
            case .waiting, .paused, .finished: true
            case .starting, .running: false
            }
        }
    }

    /// The run's report, once it ends.
    public var report: WorkflowReport { get async { await task.value } }
}
