import AgentAdapters
public import AgentPolicy

extension Orchestrator {
    /// Continues a journaled graph live from entry `position` of its graph journal in a new graph journal,
    /// optionally under another policy.
    ///
    /// The new journal's `graphStarted` entry (a new execution id, the policy) carries `forkedFrom`: the parent
    /// journal's id, `position` and the parent's head hash at that point. The parent's graph entries before
    /// `position` follow. Each node attempt the parent finished before `position` is fed back from the parent's node
    /// journal (its `nodeStarted` entry names it; in another store it is copied there under its id, with the journals
    /// it went on in after a shutdown, `<id>.r2`, ...), so nothing in it runs again and its calls keep their ids and
    /// idempotency keys. Every other node attempt (one that had started but not finished before `position` too) runs
    /// live in `<into>.<node>.<attempt>`, under the new policy, as do the nodes after.
    ///
    /// - Parameters:
    ///   - graph: The graph: the same nodes before `position`; the agents of the nodes that run live may differ.
    ///   - journal: The parent graph journal.
    ///   - position: How many of the parent's graph entries to keep, at least 1 (the graph's start).
    ///   - into: The new graph journal, in the same store or another; must be empty.
    ///   - policy: The policy to continue under; the parent's when `nil`.
    ///   - configuration: Scheduling settings.
    ///   - registry: The agents that `named` and `capability` nodes resolve to.
    ///   - sharedBudget: A budget this run shares with others.
    /// - Returns: The forked graph's report.
    /// - Throws: ``DurableGraphError/journal(_:)`` with ``DurableRunError/Code/invalidFork`` for a position outside
    ///   the parent or a target journal with entries, or the errors of
    ///   ``resume(_:journal:configuration:registry:sharedBudget:)``.
    @concurrent
    public nonisolated func fork(
        _ graph: AgentGraph,
        journal: RunJournal,
        at position: Int,
        into: RunJournal,
        policy: StrictPolicy?,
        configuration: GraphConfiguration = GraphConfiguration(),
        registry: AgentRegistry = AgentRegistry(),
        sharedBudget: SharedBudget? = nil
    ) async throws(DurableGraphError) -> AgentGraphReport {
        let parent: (chain: JournalChain, entries: [GraphJournalEntry])
        let target: (chain: JournalChain, entries: [GraphJournalEntry])
        do {
            parent = try await Self.loadGraph(journal)
            target = try await Self.loadGraph(into)
        } catch {
            throw .journal(error)
        }
        guard position >= 1, position <= parent.entries.count, target.entries.isEmpty,
            parent.entries.first?.kind == .graphStarted
        else {
            throw .journal(
                DurableRunError(
                    code: .invalidFork,
                    journal: into.id,
                    position: position,
                    message: "fork at \(position) of a graph journal of \(parent.entries.count) entries into one of "
                        + "\(target.entries.count): the position must be 1...\(parent.entries.count) and the target "
                        + "empty"
                )
            )
        }
        try validateNodeJournals(graph, journal: into)
        let parentEntries = Array(parent.entries[..<position])
        var origin = JournalChain()
        for entry in parentEntries { _ = try? origin.append(entry.jsonValue) }
        var first = parentEntries[0]
        if let policy {
            let json = RunJournalEntry.encode(policy)
            first.fields["policy"] = json
            first.fields["policyHash"] = .string(SHA256.hash(json.canonicalJSONBytes()).description)
        }
        first.fields["executionID"] = .string(ids.next())
        first.fields["forkedFrom"] = [
            "journal": .string(journal.id.rawValue), "position": .integer(Int64(position)),
            "headHash": .string(origin.headHash.description),
        ]
        // Node attempts that finished before the fork point keep their runs; the others run again, live.
        let finished = Set(
            parentEntries.filter { $0.kind == .nodeAttemptFinished }.map { "\($0.node ?? "") \($0.attempt ?? 0)" }
        )
        var entries = [first]
        var kept: [JournalID] = []
        for entry in parentEntries.dropFirst() {
            guard let node = entry.node, let attempt = entry.attempt, entry.kind == .nodeStarted else {
                entries.append(entry)
                continue
            }
            guard finished.contains("\(node) \(attempt)") else { continue }
            // The entry names the parent's node journal, which the fork feeds back (same calls, same keys).
            if let id = entry.string("journal").flatMap(JournalID.init(rawValue:)) { kept.append(id) }
            entries.append(entry)
        }
        do {
            for base in kept {
                // Another store: the parent's node journal is copied there, under its id, with the journals it went
                // on in after a shutdown (`<id>.r2`, `.r3`, ...).
                var id: JournalID? = base
                var continuation = 1
                while let current = id {
                    let records = try await journal.store.records(of: current, from: 0)
                    if records.isEmpty { break }
                    if try await into.store.records(of: current, from: 0).isEmpty {
                        try await into.store.append(records, to: current, durability: .immediate)
                    }
                    continuation += 1
                    id = JournalID(rawValue: "\(base.rawValue).r\(continuation)")
                }
            }
            var chain = JournalChain()
            var records: [JournalRecord] = []
            for entry in entries { records.append(try chain.append(entry.jsonValue)) }
            try await into.store.append(records, to: into.id, durability: .immediate)
        } catch let error as DurableRunError {
            throw .journal(error)
        } catch {
            throw .journal(
                DurableRunError(code: .storeFailed, journal: into.id, message: "cannot write the fork: \(error)")
            )
        }
        return try await resume(
            graph,
            journal: into,
            configuration: configuration,
            registry: registry,
            sharedBudget: sharedBudget
        )
    }
}
