import AgentAdapters
import AgentPolicy
import AgentTaskGraph

/// A journaled graph run's link to its graph journal: the graph-level decisions it records (node attempts started
/// and finished, retry delays, skipped nodes, slot waits, the end), each with the graph clock's reading, and the
/// node journals its node runs keep.
///
/// Entries are queued under a lock in the order they happen and appended by one appender at a time: whoever finds
/// nobody appending seals the queue into the chain and stores it, and keeps going until the queue is empty. A
/// decision already in the journal (a resume re-takes it) is not recorded twice, so a resumed graph's journal is
/// the uninterrupted one's. In replay nothing is recorded; every node attempt must be in the journal.
final class GraphRecorder: Sendable {
    struct State {
        var chain: JournalChain
        var queued: [GraphJournalEntry] = []
        var isAppending = false
        var journaled: Set<String>
        var failure: DurableRunError?

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
    /// The journal's entries when the run began.
    let entries: [GraphJournalEntry]
    /// The graph clock's reading at the last journaled entry: where a resumed graph's clock continues.
    let resumedAt: Nanoseconds
    private let state: LockedState<State>
    private let time: TimeSource
    private let start: Duration

    init(
        journal: RunJournal,
        entries: [GraphJournalEntry],
        chain: JournalChain,
        isReplay: Bool,
        time: TimeSource
    ) {
        self.journal = journal
        self.entries = entries
        self.isReplay = isReplay
        self.time = time
        let resumedAt = entries.last?.at ?? .zero
        self.resumedAt = resumedAt
        self.start = time.now() - .nanoseconds(resumedAt.rawValue)
        self.state = LockedState(State(chain: chain, journaled: Set(entries.map(\.key))))
    }

    /// The graph clock's reading: time since the graph started, active time only.
    var now: Nanoseconds { Nanoseconds(time.now() - start) }

    /// The first failure (a node journal that diverged or could not be read, a store error), if any.
    var failure: DurableRunError? { state.withLock { $0.failure } }

    /// Records the first failure.
    func fail(_ error: DurableRunError) { state.withLock { if $0.failure == nil { $0.failure = error } } }

    /// The journal of attempt `attempt` of node `node`: `<graph journal id>.<node id>.<attempt>`.
    func nodeJournal(_ node: String, attempt: Int) -> RunJournal? {
        JournalID(rawValue: "\(journal.id.rawValue).\(node).\(attempt)").map {
            RunJournal(store: journal.store, id: $0)
        }
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

    /// Queues `entry` unless the journal holds it already (or this is a replay).
    func record(_ kind: GraphJournalEntry.Kind, node: String?, attempt: Int?, _ fields: [String: JSONValue]) {
        guard !isReplay else { return }
        let entry = GraphJournalEntry(kind, at: now, node: node, attempt: attempt, fields)
        state.withLock { state in
            guard state.journaled.insert(entry.key).inserted else { return }
            state.queued.append(entry)
        }
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
