import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph

/// The node runs of a journaled graph that paused awaiting approval, and when the graph pauses.
///
/// A paused node's body waits (holding no thread) until nothing else can make progress: no other node in flight
/// (retry waits included) and none ready to start, or every slot held by a paused node. Then the paused bodies are
/// released and stop the graph, so every node that could still run ran first. What the executor settles after that
/// (the paused nodes, the dependents it skips) is a consequence of the pause, not a decision: it is not journaled, so
/// a resume takes those decisions afresh.
///
/// Node starts and ends come from the executor's events, which it delivers from its scheduling loop, in order, before
/// it starts the next nodes: the ready set seen here is the executor's.
final class GraphPauses: Sendable {
    struct Pending: Sendable {
        var attempt: Int
        var request: ApprovalRequest
    }

    struct State {
        var started: Set<String> = []
        var ended: Set<String> = []
        var succeeded: Set<String> = []
        var paused: [String: Pending] = [:]
        var waiters: [String: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<String> = []
        var isReleased = false
    }

    private let dependencies: [String: [String]]
    private let order: [String]
    private let maxConcurrency: Int
    private let state = LockedState(State())

    init(_ graph: TaskGraph, maxConcurrency: Int) {
        order = graph.nodeIDs
        dependencies = Dictionary(graph.nodes.map { ($0.id, $0.dependencies) }) { first, _ in first }
        self.maxConcurrency = maxConcurrency
    }

    /// Follows the executor; returns whether the event is a decision to journal (not one caused by the pause).
    func observe(_ event: TaskGraphEvent) -> Bool {
        let (journal, released) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
            let journal = !state.isReleased
            switch event {
            case .nodeStarted(let node, _, _): state.started.insert(node)
            case .nodeFinished(let node, let status, _):
                state.ended.insert(node)
                if status == .succeeded { state.succeeded.insert(node) }
            case .nodeRetrying: break
            }
            return (journal, release(&state))
        }
        for waiter in released { waiter.resume() }
        return journal
    }

    /// Waits until the graph pauses (or the task is cancelled: another node's failure, the deadline).
    func pause(node: String, attempt: Int, request: ApprovalRequest) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.paused[node] = Pending(attempt: attempt, request: request)
                    if state.isReleased || state.cancelled.contains(node) { return [continuation] }
                    state.waiters[node] = continuation
                    return release(&state)
                }
                for waiter in released { waiter.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled.insert(node)
                return state.waiters.removeValue(forKey: node)
            }
            waiter?.resume()
        }
    }

    /// Whether the graph paused; then the pending calls in declaration order.
    var pending: [AgentGraphReport.PendingApproval]? {
        state.withLock { state in
            guard state.isReleased else { return nil }
            return order.compactMap { node in
                state.paused[node].map {
                    AgentGraphReport.PendingApproval(node: node, attempt: $0.attempt, request: $0.request)
                }
            }
        }
    }

    /// Releases every paused body once nothing else can make progress.
    private func release(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        guard !state.isReleased, !state.paused.isEmpty else { return [] }
        let inFlight = state.started.subtracting(state.ended)
        guard inFlight.isSubset(of: Set(state.paused.keys)) else { return [] }
        let ready = order.contains { node in
            !state.started.contains(node) && !state.ended.contains(node)
                && (dependencies[node] ?? []).allSatisfy { state.succeeded.contains($0) }
        }
        guard !ready || inFlight.count >= maxConcurrency else { return [] }
        state.isReleased = true
        defer { state.waiters = [:] }
        return Array(state.waiters.values)
    }
}
