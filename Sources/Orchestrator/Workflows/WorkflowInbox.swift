import AgentAdapters
@_spi(Internals) import AgentPolicy

/// One input of a workflow run, as its journal records it.
enum WorkflowInput: Hashable, Sendable {
    case taskFinished(WorkflowTaskKey, WorkflowTaskOutcome)
    case timerFired(state: String, visit: Int)
    case deadlineReached
    case signal(String, payload: JSONValue)
    case decision(approved: Bool, reason: String?)
    case pause
    case resume
    case cancel
    /// The orchestrator is shutting down: the run ends cancelled, and the input is never journaled, so a journaled
    /// run resumes from its journal in the next process.
    case shutdown
}

/// The mailbox between a workflow's driver and everything that feeds it (its task runs, its timers, its handle),
/// plus the run's published status.
///
/// Follows the library's one continuation pattern: the state value decides under the lock and hands back the
/// continuations to resume, which are resumed after unlocking.
final class WorkflowInbox: Sendable {
    struct Message: Sendable {
        var input: WorkflowInput
        /// Told whether the input was accepted (handle calls only).
        var reply: CheckedContinuation<Bool, Never>?
        /// What a finished task charged to the workflow ledger, journaled with its `taskFinished` input.
        var consumption: BudgetConsumption? = nil
    }

    struct State: Sendable {
        var queue: [Message] = []
        var reader: CheckedContinuation<Message, Never>?
        var status: WorkflowStatus = .starting
        var watchers:
            [(wants: @Sendable (WorkflowStatus) -> Bool, continuation: CheckedContinuation<WorkflowStatus, Never>)] = []
        var isClosed = false
        /// The run's execution id, once the driver knows it (a resumed run's comes from its journal).
        var executionID: String?
        var identityWaiters: [CheckedContinuation<String, Never>] = []
    }

    private let state = LockedState(State())

    /// Queues a message for the driver; after the run ended, a handle call is told at once that it was refused.
    func send(_ message: Message) {
        enum Action {
            case none
            case wake(CheckedContinuation<Message, Never>)
            case refuse(CheckedContinuation<Bool, Never>)
        }
        let action = state.withLock { state -> Action in
            if state.isClosed { return message.reply.map(Action.refuse) ?? .none }
            if let reader = state.reader {
                state.reader = nil
                return .wake(reader)
            }
            state.queue.append(message)
            return .none
        }
        switch action {
        case .none: break
        case .wake(let reader): reader.resume(returning: message)
        case .refuse(let reply): reply.resume(returning: false)
        }
    }

    /// Sends `input` and waits until the driver says whether it was accepted.
    func ask(_ input: WorkflowInput) async -> Bool {
        await withCheckedContinuation { reply in send(Message(input: input, reply: reply)) }
    }

    /// The next message, for the driver (the only reader).
    func next() async -> Message {
        await withCheckedContinuation { reader in
            let ready = state.withLock { state -> Message? in
                if !state.queue.isEmpty { return state.queue.removeFirst() }
                state.reader = reader
                return nil
            }
            if let ready { reader.resume(returning: ready) }
        }
    }

    /// Takes every queued message at once, without waiting: what reached the driver after its run ended.
    func drain() -> [Message] {
        state.withLock { state in
            defer { state.queue = [] }
            return state.queue
        }
    }

    /// Records the run's execution id (the driver's first act) and wakes those waiting for it.
    func identify(_ executionID: String) {
        let waiters = state.withLock { state in
            state.executionID = executionID
            defer { state.identityWaiters = [] }
            return state.identityWaiters
        }
        for waiter in waiters { waiter.resume(returning: executionID) }
    }

    /// The run's execution id, once the driver has recorded it.
    func executionID() async -> String {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> String? in
                if let id = state.executionID { return id }
                state.identityWaiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// The run's current status.
    var status: WorkflowStatus { state.withLock { $0.status } }

    /// Publishes the run's status, waking the watchers it satisfies; `final` closes the inbox and refuses what is
    /// still queued.
    func publish(_ status: WorkflowStatus, final: Bool = false) {
        let (woken, refused) = state.withLock { state in
            state.status = status
            var woken: [CheckedContinuation<WorkflowStatus, Never>] = []
            state.watchers.removeAll { watcher in
                guard final || watcher.wants(status) else { return false }
                woken.append(watcher.continuation)
                return true
            }
            var refused: [CheckedContinuation<Bool, Never>] = []
            if final {
                state.isClosed = true
                refused = state.queue.compactMap(\.reply)
                state.queue = []
            }
            return (woken, refused)
        }
        for watcher in woken { watcher.resume(returning: status) }
        for reply in refused { reply.resume(returning: false) }
    }

    /// Waits until the status satisfies `wants` or the run ends; returns that status.
    func wait(until wants: @escaping @Sendable (WorkflowStatus) -> Bool) async -> WorkflowStatus {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> WorkflowStatus? in
                if state.isClosed || wants(state.status) { return state.status }
                state.watchers.append((wants, continuation))
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }
}
