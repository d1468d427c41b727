import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph

/// A journaled graph run's link to its graph journal: the graph-level decisions it records (node attempts started
/// and finished, retry delays, skipped nodes, slot waits, the end), each with the graph clock's reading, and the
/// node journals its node runs keep.
///
/// Entries are queued under a lock in the order they happen and appended by one appender at a time: whoever finds
/// nobody appending seals the queue into the chain and stores it, and keeps going until the queue is empty. A
/// decision already in the journal (a resume re-takes it) is not recorded twice, so a resumed graph's journal is
/// the uninterrupted one's. In replay nothing is recorded; every node attempt must be in the journal.
///
/// The order in which concurrent node attempts end is an input the journal records: a resume or a replay
/// reproduces it. An attempt whose end the journal holds waits (``awaitTurn(node:attempt:)``) until every ending
/// journaled before it (attempt ends, retries, settled statuses) has been re-taken; an attempt that ends live waits
/// until all of them have. So the executor sees node ends in the journaled order and makes the journaled decisions.
final class GraphRecorder: Sendable {
    struct State {
        var chain: JournalChain
        var queued: [GraphJournalEntry] = []
        var isAppending = false
        var journaled: Set<String>
        var failure: DurableRunError?
        /// The graph clock reading of every decision in the journal (loaded or recorded), by key.
        var times: [String: Nanoseconds]
        /// The journaled endings not yet re-taken by this run.
        var outstanding: Set<String>
        /// Node attempts waiting for their turn to end: the journal position before which every ending must have
        /// been re-taken.
        var waiters: [Int: (limit: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter = 0
        var cancelledWaiters: Set<Int> = []
        /// Journaled attempt ends (`node attempt`) whose executor decision (settled, or retrying) the journal does
        /// not hold: an attempt that ends live waits until the executor has taken those decisions again.
        var followUps: Set<String>

        /// The position of the first journaled ending not re-taken yet (`Int.max`: none; `Int.max - 1`: none, but
        /// a decision on a journaled attempt end is still to come, which only an attempt that ends live waits for).
        func firstOutstanding(in endings: [(position: Int, key: String)]) -> Int {
            endings.first { outstanding.contains($0.key) }?.position ?? (followUps.isEmpty ? Int.max : Int.max - 1)
        }

        /// Removes and returns the waiters whose turn has come.
        mutating func ready(in endings: [(position: Int, key: String)]) -> [CheckedContinuation<Void, Never>] {
            guard !waiters.isEmpty else { return [] }
            let first = firstOutstanding(in: endings)
            let due = waiters.filter { $0.value.limit <= first }
            for id in due.keys { waiters[id] = nil }
            return due.values.map(\.continuation)
        }

        /// Seals the queued entries into the chain, in order, and empties the queue.
        mutating func seal() -> Result<[JournalRecord], JournalChainError> {
            defer { queued = [] }
            do throws(JournalChainError) {
                var records: [JournalRecord] = []
                for entry in queued { records.append(try chain.append(entry.jsonValue)) }
                return .success(records)
            } catch {
                return .failure(error)
            }
        }
    }

    let journal: RunJournal
    let isReplay: Bool
    /// The approval decision this resume brings, for the node run its request's call id names.
    let decision: ApprovalDecision?
    /// The journal's entries when the run began.
    let entries: [GraphJournalEntry]
    /// Where a resumed graph's clock continues: the latest reading the graph journal or the node journals of
    /// unfinished attempts hold.
    let resumedAt: Nanoseconds
    /// The journaled endings (attempt ends, retries, settled statuses of nodes that ran), in journal order.
    private let endings: [(position: Int, key: String)]
    private let state: LockedState<State>
    private let time: TimeSource
    private let start: Duration
    /// Whether the orchestrator is shutting down: a shutdown is never journaled, so nothing it causes (a node
    /// attempt it ended, the nodes and the graph ending after it) is recorded; the journal stays resumable.
    private let isShuttingDown: @Sendable () -> Bool

    init(
        journal: RunJournal,
        entries: [GraphJournalEntry],
        chain: JournalChain,
        isReplay: Bool,
        resumedAt: Nanoseconds,
        decision: ApprovalDecision? = nil,
        time: TimeSource,
        isShuttingDown: @escaping @Sendable () -> Bool = { false }
    ) {
        self.isShuttingDown = isShuttingDown
        self.journal = journal
        self.decision = decision
        self.entries = entries
        self.isReplay = isReplay
        self.time = time
        self.resumedAt = resumedAt
        self.start = time.now() - .nanoseconds(resumedAt.rawValue)
        let endings = entries.enumerated().compactMap { position, entry -> (position: Int, key: String)? in
            switch entry.kind {
            case .nodeAttemptFinished, .nodeRetrying: return (position, entry.key)
            case .nodeSettled:
                // Skipped and cancelled nodes are settled by other nodes' ends, not by their own.
                let status = try? JSONValueDecoder().decode(NodeStatus.self, from: entry.fields["status"] ?? .null)
                return status == .skipped || status == .cancelled ? nil : (position, entry.key)
            default: return nil
            }
        }
        self.endings = endings
        let journaled = Set(entries.map(\.key))
        let followUps = entries.compactMap { entry -> String? in
            guard entry.kind == .nodeAttemptFinished, let node = entry.node, let attempt = entry.attempt,
                !journaled.contains(GraphJournalEntry.key(.nodeSettled, node: node, attempt: nil)),
                !journaled.contains(GraphJournalEntry.key(.nodeRetrying, node: node, attempt: attempt))
            else { return nil }
            return "\(node) \(attempt)"
        }
        self.state = LockedState(
            State(
                chain: chain,
                journaled: journaled,
                times: Dictionary(entries.map { ($0.key, $0.at) }) { first, _ in first },
                outstanding: Set(endings.map(\.key)),
                followUps: Set(followUps)
            )
        )
    }

    /// The latest clock reading of a journal: the graph journal's last entry, or an unfinished node attempt's last
    /// node journal entry (on the graph clock: the attempt's start plus its run's reading), whichever is later.
    static func resumedAt(_ entries: [GraphJournalEntry], nodeJournalEnd: (String, Int) async -> Nanoseconds?) async
        -> Nanoseconds
    {
        var latest = entries.last?.at ?? .zero
        let finished = Set(entries.filter { $0.kind == .nodeAttemptFinished }.map(\.key))
        for entry in entries where entry.kind == .nodeStarted {
            guard let node = entry.node, let attempt = entry.attempt,
                !finished.contains(GraphJournalEntry.key(.nodeAttemptFinished, node: node, attempt: attempt)),
                let end = await nodeJournalEnd(node, attempt)
            else { continue }
            latest = max(latest, Nanoseconds(rawValue: entry.at.rawValue + end.rawValue))
        }
        return latest
    }

    /// The graph clock reading of the journaled decision `kind` about `node` and `attempt`, if the journal holds
    /// it (recorded by this run or an earlier one).
    func time(of kind: GraphJournalEntry.Kind, node: String?, attempt: Int?) -> Nanoseconds? {
        state.withLock { $0.times[GraphJournalEntry.key(kind, node: node, attempt: attempt)] }
    }

    /// Waits until node `node`'s attempt `attempt` may end: every ending the journal holds before this attempt's
    /// (all of them, if the journal does not hold this one) has been re-taken. Returns at once in a fresh run, and
    /// when the task is cancelled.
    func awaitTurn(node: String, attempt: Int) async {
        let key = GraphJournalEntry.key(.nodeAttemptFinished, node: node, attempt: attempt)
        let limit = endings.first { $0.key == key }?.position ?? Int.max
        let id = state.withLock { state -> Int? in
            guard state.firstOutstanding(in: endings) < limit else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { state -> Bool in
                    guard !state.cancelledWaiters.contains(id), state.firstOutstanding(in: endings) < limit else {
                        return false
                    }
                    state.waiters[id] = (limit, continuation)
                    return true
                }
                if !waits { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelledWaiters.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.continuation.resume()
        }
    }

    /// The graph clock's reading: time since the graph started, active time only.
    var now: Nanoseconds { Nanoseconds(time.now() - start) }

    /// The first failure (a node journal that diverged or could not be read, a store error), if any.
    var failure: DurableRunError? { state.withLock { $0.failure } }

    /// Records the first failure.
    func fail(_ error: DurableRunError) { state.withLock { if $0.failure == nil { $0.failure = error } } }

    /// The journal of attempt `attempt` of node `node`: the one its journaled `nodeStarted` entry names (a fork
    /// names its parent's), else `<graph journal id>.<node id>.<attempt>`.
    func nodeJournal(_ node: String, attempt: Int) -> RunJournal? {
        let named = entries.first { $0.kind == .nodeStarted && $0.node == node && $0.attempt == attempt }?
            .string("journal")
        return JournalID(rawValue: named ?? "\(journal.id.rawValue).\(node).\(attempt)").map {
            RunJournal(store: journal.store, id: $0)
        }
    }

    /// The node journal head hash the journal's `nodeAttemptFinished` entry for `node`'s attempt `attempt` pins,
    /// if the journal (as loaded) holds that entry.
    func pinnedHead(node: String, attempt: Int) -> String? {
        entries.last { $0.kind == .nodeAttemptFinished && $0.node == node && $0.attempt == attempt }?
            .string("journalHeadHash")
    }

    /// Whether the journal holds an entry of `kind` for `node` and `attempt`.
    func holds(_ kind: GraphJournalEntry.Kind, node: String, attempt: Int) -> Bool {
        state.withLock { $0.journaled.contains(GraphJournalEntry.key(kind, node: node, attempt: attempt)) }
    }

    /// The routing decision the journal holds for `node`'s attempt `attempt`, if any: a resumed or replayed graph
    /// follows it rather than deciding again.
    func journaledRoute(node: String, attempt: Int) -> RouteDecision? {
        entries.last { $0.kind == .routed && $0.node == node && $0.attempt == attempt }
            .flatMap { RouteDecision(fields: $0.fields) }
    }

    /// Queues `entry` unless the journal holds it already (or this is a replay, or the orchestrator is shutting
    /// down); a journaled ending re-taken lets the attempts waiting for it end.
    func record(_ kind: GraphJournalEntry.Kind, node: String?, attempt: Int?, _ fields: [String: JSONValue]) {
        let halted = !isReplay && isShuttingDown()
        let entry = GraphJournalEntry(kind, at: now, node: node, attempt: attempt, fields)
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if !state.followUps.isEmpty, let node {
                switch kind {
                case .nodeSettled: state.followUps = state.followUps.filter { !$0.hasPrefix("\(node) ") }
                case .nodeRetrying: state.followUps.remove("\(node) \(attempt ?? 0)")
                default: break
                }
            }
            if state.outstanding.remove(entry.key) != nil { return state.ready(in: endings) }
            guard !isReplay, !halted, state.journaled.insert(entry.key).inserted else {
                return state.ready(in: endings)
            }
            state.times[entry.key] = entry.at
            state.queued.append(entry)
            return state.ready(in: endings)
        }
        for waiter in ready { waiter.resume() }
    }

    /// The decision for the run journaled in `nodeJournal`, if this resume brings one for it.
    func decision(for nodeJournal: JournalID) -> ApprovalDecision? {
        guard let decision, decision.request.callID.hasPrefix("\(nodeJournal.rawValue)#") else { return nil }
        return decision
    }

    /// Records that the graph paused with `pending` node runs awaiting approval.
    func recordPause(_ pending: [AgentGraphReport.PendingApproval]) {
        let pauses = entries.filter { $0.kind == .graphPaused }.count
        record(
            .graphPaused,
            node: nil,
            attempt: pauses + 1,
            [
                "pending": .array(
                    pending.map {
                        [
                            "node": .string($0.node), "attempt": .integer(Int64($0.attempt)),
                            "tool": .string($0.request.tool), "callID": .string($0.request.callID),
                        ]
                    }
                )
            ]
        )
    }

    /// Records that attempt `attempt` of node `node` starts, run by agent `agent` in its node journal.
    func recordStart(node: String, attempt: Int, agent: String) {
        record(
            .nodeStarted,
            node: node,
            attempt: attempt,
            ["agent": .string(agent), "journal": .string(nodeJournal(node, attempt: attempt)?.id.rawValue ?? "")]
        )
    }

    /// Records what the executor decided: retry delays, and each node's terminal status (skipped nodes included).
    func observe(_ event: TaskGraphEvent) {
        switch event {
        case .nodeRetrying(let node, let failedAttempt, let delay, _):
            record(.nodeRetrying, node: node, attempt: failedAttempt, ["delayNanoseconds": .integer(delay.rawValue)])
        case .nodeFinished(let node, let status, _):
            record(.nodeSettled, node: node, attempt: nil, ["status": RunJournalEntry.encode(status)])
        case .nodeStarted:
            break
        }
    }

    /// Stores the queued entries, unless another caller is storing them already (it keeps going until the queue
    /// is empty, so nothing queued before this call is left behind once every caller has returned).
    func flush() async {
        var batch = state.withLock { state -> Result<[JournalRecord], JournalChainError>? in
            guard !state.isAppending, !state.queued.isEmpty else { return nil }
            state.isAppending = true
            return state.seal()
        }
        while let current = batch {
            do {
                try await journal.store.append(try current.get(), to: journal.id, durability: .immediate)
            } catch {
                fail(
                    DurableRunError(
                        code: .storeFailed,
                        journal: journal.id,
                        message: "the graph journal could not be written: \(error); resume the graph once the store "
                            + "works"
                    )
                )
            }
            batch = state.withLock { state in
                guard !state.queued.isEmpty else {
                    state.isAppending = false
                    return nil
                }
                return state.seal()
            }
        }
    }

    /// The chain's head hash.
    var headHash: SHA256Digest { state.withLock { $0.chain.headHash } }
}
