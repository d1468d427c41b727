/// The workflow drivers an orchestrator is running, and whether it is shutting down: what ``Orchestrator/shutdown()``
/// ends and waits for.
///
/// A value under the orchestrator's lock: each method decides and hands back what to do (inboxes to send the
/// shutdown to, waiters to resume), done after unlocking.
struct WorkflowTable: Sendable {
    private var running: [ObjectIdentifier: WorkflowInbox] = [:]
    private var shuttingDown = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Whether ``Orchestrator/shutdown()`` has begun.
    var isShuttingDown: Bool { shuttingDown }

    /// Registers a driver's inbox; false once the orchestrator is shutting down (the driver ends at once).
    mutating func admit(_ inbox: WorkflowInbox) -> Bool {
        running[ObjectIdentifier(inbox)] = inbox
        return !shuttingDown
    }

    /// Forgets a driver whose report is made; returns the shutdown waiters to resume when none is left.
    mutating func retire(_ inbox: WorkflowInbox) -> [CheckedContinuation<Void, Never>] {
        running[ObjectIdentifier(inbox)] = nil
        guard running.isEmpty else { return [] }
        defer { waiters = [] }
        return waiters
    }

    /// Starts the shutdown; returns the inboxes of the drivers running.
    mutating func beginShutdown() -> [WorkflowInbox] {
        shuttingDown = true
        return Array(running.values)
    }

    /// Keeps `waiter` until no driver is left, or hands it back to resume at once.
    mutating func waitUntilEmpty(_ waiter: CheckedContinuation<Void, Never>) -> CheckedContinuation<Void, Never>? {
        if running.isEmpty { return waiter }
        waiters.append(waiter)
        return nil
    }
}
