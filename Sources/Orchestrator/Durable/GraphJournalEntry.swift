import AgentAdapters
import AgentPolicy

/// One graph-level decision of a journaled graph run, as the graph journal stores it: a flat JSON object
/// `{"kind": …, "at": …, "node": …, "attempt": …, fields…}` (the chain adds its envelope fields).
///
/// `at` is the graph clock's reading, in nanoseconds since the graph started (active time only). Node runs keep
/// their own journals (`<graph journal id>.<node id>.<attempt>`); `Docs/JournalFormat.md` lists every kind.
struct GraphJournalEntry: Hashable, Sendable {
    /// What the entry records.
    enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The graph's identity, task, policy and nodes; always entry 0.
        case graphStarted
        /// A node attempt's agent run started (or resumed) in its node journal.
        case nodeStarted
        /// A node attempt's agent run ended; its node journal's head hash pins it.
        case nodeAttemptFinished
        /// The executor will try the node again after a delay.
        case nodeRetrying
        /// The executor settled a node's status (succeeded, failed, skipped, cancelled, timed out).
        case nodeSettled
        /// A node waited for a free slot of its agent.
        case slotWaited
        /// A node attempt's output routed the graph: the successors taken and why the others were not.
        case routed
        /// The graph ended.
        case graphFinished
        /// The graph paused: node runs await approval (`attempt` counts the graph's pauses, from 1).
        case graphPaused
    }

    /// What the entry records.
    var kind: Kind
    /// The graph clock's reading.
    var at: Nanoseconds
    /// The node concerned, if any.
    var node: String?
    /// The attempt concerned, from 1, if any.
    var attempt: Int?
    /// The kind's other fields.
    var fields: [String: JSONValue]

    /// Creates an entry.
    init(_ kind: Kind, at: Nanoseconds, node: String?, attempt: Int?, _ fields: [String: JSONValue] = [:]) {
        self.kind = kind
        self.at = at
        self.node = node
        self.attempt = attempt
        self.fields = fields
    }

    /// What makes an entry one decision: its kind, node and attempt (a resume never records one twice).
    var key: String { Self.key(kind, node: node, attempt: attempt) }

    /// The key of the decision `kind` about `node` and `attempt`.
    static func key(_ kind: Kind, node: String?, attempt: Int?) -> String {
        "\(kind.rawValue) \(node ?? "") \(attempt.map(String.init) ?? "")"
    }

    /// The entry as the chain seals it.
    var jsonValue: JSONValue {
        var members = fields
        members["kind"] = .string(kind.rawValue)
        members["at"] = .integer(at.rawValue)
        if let node { members["node"] = .string(node) }
        if let attempt { members["attempt"] = .integer(Int64(attempt)) }
        return .object(members)
    }

    /// Reads an entry from a record's members (envelope fields are dropped).
    ///
    /// - Throws: A message naming the missing or unknown field.
    init(members: [String: JSONValue], position: Int) throws(RunJournalEntry.EntryReadError) {
        guard case .string(let text)? = members["kind"], let kind = Kind(rawValue: text) else {
            throw RunJournalEntry.EntryReadError(
                position: position,
                message: "not a graph journal entry: 'kind' must be one of "
                    + Kind.allCases.map(\.rawValue).joined(separator: ", ")
            )
        }
        guard case .integer(let at)? = members["at"] else {
            throw RunJournalEntry.EntryReadError(position: position, message: "\(text) entry has no integer 'at'")
        }
        var fields = members
        for key in JournalChain.envelopeFields.union(["kind", "at", "node", "attempt"]) { fields[key] = nil }
        var node: String?
        if case .string(let value)? = members["node"] { node = value }
        var attempt: Int?
        if case .integer(let value)? = members["attempt"] { attempt = Int(value) }
        self.init(kind, at: Nanoseconds(rawValue: at), node: node, attempt: attempt, fields)
    }

    /// A string field.
    func string(_ field: String) -> String? {
        if case .string(let value)? = fields[field] { return value }
        return nil
    }
}

extension Orchestrator {
    /// A graph journal's records, verified, and its entries.
    static func loadGraph(
        _ journal: RunJournal
    ) async throws(DurableRunError) -> (chain: JournalChain, entries: [GraphJournalEntry]) {
        let records: [JournalRecord]
        do {
            records = try await journal.store.records(of: journal.id, from: 0)
        } catch {
            throw DurableRunError(code: .storeFailed, journal: journal.id, message: "cannot read the journal: \(error)")
        }
        let chain: JournalChain
        do {
            chain = try JournalChain(continuing: records)
        } catch {
            throw DurableRunError(
                code: error.kind == .unknownVersion ? .unsupportedVersion : .corruptJournal,
                journal: journal.id,
                position: error.position,
                message: "\(error.description): this library reads entry format version \(JournalChain.formatVersion)"
            )
        }
        var entries: [GraphJournalEntry] = []
        for record in records {
            do {
                let members = try JournalChain.readEntry(record)
                entries.append(try GraphJournalEntry(members: members, position: record.position))
            } catch let error as RunJournalEntry.EntryReadError {
                throw DurableRunError(
                    code: .corruptJournal,
                    journal: journal.id,
                    position: record.position,
                    message: error.message
                )
            } catch {
                throw DurableRunError(
                    code: .unsupportedVersion,
                    journal: journal.id,
                    position: record.position,
                    message: "\(error)"
                )
            }
        }
        return (chain, entries)
    }
}
