import AgentAdapters
import AgentPolicy

/// Why a workflow journal could not be opened or written.
struct WorkflowJournalError: Error, Hashable, Sendable, CustomStringConvertible {
    var journal: JournalID
    var position: Int?
    var message: String

    var description: String {
        "workflow journal \(journal)" + (position.map { " at entry \($0)" } ?? "") + ": \(message)"
    }
}

/// A journaled workflow's link to its journal: entry 0 pins the definition (name, version, hash), the policy's hash,
/// the initial data, the execution id and the journal format; every later entry is one input the machine took, with
/// the workflow clock's reading, or (format 2) a `waitDeadline`: the wall-clock deadline of a wait the run entered.
/// From format 3 a `taskFinished` entry also holds the task's `consumption`: what its runs charged to the workflow
/// ledger, which a resume charges again before anything runs. From format 4 a `taskCharged` entry (not an input)
/// holds the consumption of a task run cancelled before it finished (a join's loser, a run the workflow's stop
/// ended), journaled when the run reports back and charged again on resume like a finished task's.
///
/// The driver is the journal's only writer and records each input before it applies it, so the journal never falls
/// behind the run; feeding the journaled inputs to a fresh `WorkflowMachine` rebuilds the run exactly.
struct WorkflowRecorder: Sendable {
    let journal: RunJournal
    private(set) var chain: JournalChain

    var headHash: SHA256Digest { chain.headHash }

    /// The journal format this code writes: 2 adds `waitDeadline` entries and the `journalFormat` field of entry 0
    /// (a journal without it is format 1, read the same way); 3 adds `consumption` to `taskFinished` entries (a
    /// format 1 or 2 journal has none: its finished tasks charge nothing on resume); 4 adds `taskCharged` entries (a
    /// format 3 reader would not know them: it refuses the journal by its format); a later format is refused.
    static let journalFormat: Int64 = 4

    /// What opening a journal gives: the recorder, the run's initial data, the journaled inputs and where the
    /// workflow clock continues.
    struct Opened: Sendable {
        var recorder: WorkflowRecorder
        var data: JSONValue
        var inputs: [(WorkflowInput, Nanoseconds)]
        var resumedAt: Nanoseconds
        /// The journaled waits' deadlines on the wall clock, by ``timerKey(state:visit:)``.
        var waitDeadlines: [String: Duration]
        /// The run's execution id, as entry 0 journaled it.
        var executionID: String
        /// What the journaled finished tasks charged to the workflow ledger, together.
        var consumption: BudgetConsumption
    }

    /// How the driver and the journal name one visit's wait timer.
    static func timerKey(state: String, visit: Int) -> String { "\(state)#\(visit)" }

    /// Opens `journal` for `run`: writes entry 0 into an empty journal, or reads a journal written for the same
    /// definition and policy.
    static func open(_ journal: RunJournal, run: WorkflowRun) async throws(WorkflowJournalError) -> Opened {
        func fail(_ message: String, _ position: Int? = nil) -> WorkflowJournalError {
            WorkflowJournalError(journal: journal.id, position: position, message: message)
        }
        let records: [JournalRecord]
        do {
            records = try await journal.store.records(of: journal.id, from: 0)
        } catch {
            throw fail("cannot read the journal: \(error)")
        }
        let definitionHash = run.definition.hash.description
        let policyHash = RunJournalEntry.policyHash(run.policy).description
        guard !records.isEmpty else {
            var chain = JournalChain()
            let started: JSONValue = [
                "kind": "workflowStarted",
                "at": 0,
                "workflow": .string(run.definition.name),
                "definitionVersion": .string(run.definition.version),
                "definitionHash": .string(definitionHash),
                "policyHash": .string(policyHash),
                "executionID": .string(run.executionID),
                "data": run.data,
                "journalFormat": .integer(journalFormat),
            ]
            do {
                let record = try chain.append(started)
                try await journal.store.append([record], to: journal.id, durability: .immediate)
            } catch {
                throw fail("cannot write the first entry: \(error)")
            }
            return Opened(
                recorder: WorkflowRecorder(journal: journal, chain: chain),
                data: run.data,
                inputs: [],
                resumedAt: .zero,
                waitDeadlines: [:],
                executionID: run.executionID,
                consumption: BudgetConsumption()
            )
        }
        let chain: JournalChain
        do {
            chain = try JournalChain(continuing: records)
        } catch {
            throw fail("\(error)", error.position)
        }
        var entries: [[String: JSONValue]] = []
        for record in records {
            do {
                entries.append(try JournalChain.readEntry(record))
            } catch {
                throw fail("\(error)", record.position)
            }
        }
        let first = entries[0]
        guard first["kind"] == "workflowStarted", let data = first["data"] else {
            throw fail("entry 0 is not a workflowStarted entry: this is not a workflow journal", 0)
        }
        guard first["definitionHash"] == .string(definitionHash) else {
            throw fail(
                "it was written by definition \"\(first["workflow"]?.stringValue ?? "?")\" version "
                    + "\(first["definitionVersion"]?.stringValue ?? "?") with hash \(first["definitionHash"]?.stringValue ?? "?"); "
                    + "this is version \(run.definition.version) with hash \(definitionHash): resume with the "
                    + "definition that wrote it",
                0
            )
        }
        guard first["policyHash"] == .string(policyHash) else {
            throw fail(
                "it was written under another policy (hash \(first["policyHash"]?.stringValue ?? "?")): resume "
                    + "with the same policy",
                0
            )
        }
        var format: Int64 = 1
        if case .integer(let value)? = first["journalFormat"] { format = value }
        guard format <= journalFormat else {
            throw fail("it is journal format \(format); this code reads formats 1 to \(journalFormat)", 0)
        }
        var inputs: [(WorkflowInput, Nanoseconds)] = []
        var waitDeadlines: [String: Duration] = [:]
        var resumedAt = Nanoseconds.zero
        var consumption = BudgetConsumption()
        for (index, entry) in entries.enumerated().dropFirst() {
            guard case .integer(let at)? = entry["at"] else { throw fail("entry has no \"at\" reading", index) }
            resumedAt = Nanoseconds(rawValue: at)
            if entry["kind"] == "waitDeadline" {
                guard let state = entry["state"]?.stringValue, case .integer(let visit)? = entry["visit"],
                    case .integer(let deadline)? = entry["deadlineNanoseconds"]
                else { throw fail("waitDeadline entry lacks its state, visit or deadline", index) }
                waitDeadlines[timerKey(state: state, visit: Int(visit))] = .nanoseconds(deadline)
                continue
            }
            let kind = entry["kind"]?.stringValue ?? "?"
            if let charged = entry["consumption"] {
                do {
                    consumption.add(try JSONValueDecoder().decode(BudgetConsumption.self, from: charged))
                } catch {
                    throw fail("\(kind) entry's consumption does not decode: \(error)", index)
                }
            }
            if kind == "taskCharged" {
                guard entry["state"]?.stringValue != nil, case .integer? = entry["visit"], entry["consumption"] != nil
                else { throw fail("taskCharged entry lacks its state, visit or consumption", index) }
                continue
            }
            guard let input = Self.input(from: entry) else { throw fail("entry is not a workflow input", index) }
            inputs.append((input, Nanoseconds(rawValue: at)))
        }
        return Opened(
            recorder: WorkflowRecorder(journal: journal, chain: chain),
            data: data,
            inputs: inputs,
            resumedAt: resumedAt,
            waitDeadlines: waitDeadlines,
            executionID: first["executionID"]?.stringValue ?? run.executionID,
            consumption: consumption
        )
    }

    /// Appends `input` durably, with a finished task's `consumption`, and returns the recorder with the longer
    /// chain.
    func record(
        _ input: WorkflowInput,
        consumption: BudgetConsumption? = nil,
        at: Nanoseconds
    ) async throws(WorkflowJournalError) -> WorkflowRecorder {
        var members = Self.members(of: input)
        if let consumption { members["consumption"] = RunJournalEntry.encode(consumption) }
        return try await append(members, at: at)
    }

    /// Appends a wait's deadline on the wall clock durably (before its timer starts) and returns the recorder with
    /// the longer chain: a resumed run's wait ends at this deadline, not a full timeout after the restart.
    func recordWaitDeadline(
        state: String,
        visit: Int,
        deadline: Duration,
        at: Nanoseconds
    ) async throws(WorkflowJournalError) -> WorkflowRecorder {
        try await append(
            [
                "kind": "waitDeadline", "state": .string(state), "visit": .integer(Int64(visit)),
                "deadlineNanoseconds": .integer(Nanoseconds(deadline).rawValue),
            ],
            at: at
        )
    }

    /// Journals the charge of a task run the machine no longer awaited when it reported back (a `taskFinished`
    /// message the machine did not accept, with a non-empty consumption); any other message leaves the recorder as
    /// it is.
    func recordCharge(of message: WorkflowInbox.Message, at: Nanoseconds) async throws(WorkflowJournalError)
        -> WorkflowRecorder
    {
        guard case .taskFinished(let key, _) = message.input, let consumption = message.consumption,
            consumption != BudgetConsumption()
        else { return self }
        return try await recordCharge(key, consumption: consumption, at: at)
    }

    /// Appends what a task run cancelled before it finished charged to the workflow ledger, reported after the
    /// machine stopped awaiting it, and returns the recorder with the longer chain: a resume charges it again.
    func recordCharge(
        _ key: WorkflowTaskKey,
        consumption: BudgetConsumption,
        at: Nanoseconds
    ) async throws(WorkflowJournalError) -> WorkflowRecorder {
        var members: [String: JSONValue] = [
            "kind": "taskCharged", "state": .string(key.state), "visit": .integer(Int64(key.visit)),
            "consumption": RunJournalEntry.encode(consumption),
        ]
        if let branch = key.branch { members["branch"] = .string(branch) }
        return try await append(members, at: at)
    }

    private func append(_ entry: [String: JSONValue], at: Nanoseconds) async throws(WorkflowJournalError)
        -> WorkflowRecorder
    {
        var next = self
        do {
            var members = entry
            members["at"] = .integer(at.rawValue)
            let record = try next.chain.append(.object(members))
            try await journal.store.append([record], to: journal.id, durability: .immediate)
        } catch {
            throw WorkflowJournalError(journal: journal.id, position: chain.count, message: "cannot append: \(error)")
        }
        return next
    }

    static func members(of input: WorkflowInput) -> [String: JSONValue] {
        switch input {
        case .taskFinished(let key, let outcome):
            var members: [String: JSONValue] = [
                "kind": "taskFinished", "state": .string(key.state), "visit": .integer(Int64(key.visit)),
                "succeeded": .bool(outcome.succeeded), "stopReason": .string(outcome.stopReason),
            ]
            if let branch = key.branch { members["branch"] = .string(branch) }
            if let output = outcome.output { members["output"] = output }
            if let id = outcome.executionID { members["executionID"] = .string(id) }
            if let detail = outcome.detail { members["detail"] = .string(detail) }
            // Additive: only a sub-workflow's outcome has transitions to charge to its parent.
            if outcome.transitions > 0 { members["transitions"] = .integer(outcome.transitions) }
            // Additive: only a task whose agent handed the conversation off has a chain.
            if !outcome.agentChain.isEmpty { members["agentChain"] = .array(outcome.agentChain.map { .string($0) }) }
            return members
        case .timerFired(let state, let visit):
            return ["kind": "timerFired", "state": .string(state), "visit": .integer(Int64(visit))]
        case .deadlineReached:
            return ["kind": "deadlineReached"]
        case .signal(let name, let payload):
            return ["kind": "signal", "name": .string(name), "payload": payload]
        case .decision(let approved, let reason):
            var members: [String: JSONValue] = ["kind": "decision", "approved": .bool(approved)]
            if let reason { members["reason"] = .string(reason) }
            return members
        case .pause:
            return ["kind": "pause"]
        case .resume:
            return ["kind": "resume"]
        case .cancel:
            return ["kind": "cancel"]
        case .shutdown:
            // Never journaled (the driver does not record it); named for completeness.
            return ["kind": "shutdown"]
        }
    }

    static func input(from members: [String: JSONValue]) -> WorkflowInput? {
        func int(_ key: String) -> Int? {
            if case .integer(let value)? = members[key] { return Int(value) }
            return nil
        }
        switch members["kind"]?.stringValue {
        case "taskFinished":
            guard let state = members["state"]?.stringValue, let visit = int("visit"),
                case .bool(let succeeded)? = members["succeeded"],
                let stopReason = members["stopReason"]?.stringValue
            else { return nil }
            let outcome = WorkflowTaskOutcome(
                // `.none`, not `nil`: `JSONValue` is `ExpressibleByNilLiteral`, so a bare `nil` here is JSON null and
                // a failed task would replay as a success.
                output: succeeded ? .some(members["output"] ?? .null) : .none,
                executionID: members["executionID"]?.stringValue,
                stopReason: stopReason,
                detail: members["detail"]?.stringValue,
                transitions: Int64(int("transitions") ?? 0),
                agentChain: members["agentChain"]?.arrayValue?.compactMap(\.stringValue) ?? []
            )
            return .taskFinished(
                WorkflowTaskKey(state: state, visit: visit, branch: members["branch"]?.stringValue),
                outcome
            )
        case "timerFired":
            guard let state = members["state"]?.stringValue, let visit = int("visit") else { return nil }
            return .timerFired(state: state, visit: visit)
        case "deadlineReached": return .deadlineReached
        case "signal":
            guard let name = members["name"]?.stringValue else { return nil }
            return .signal(name, payload: members["payload"] ?? .null)
        case "decision":
            guard case .bool(let approved)? = members["approved"] else { return nil }
            return .decision(approved: approved, reason: members["reason"]?.stringValue)
        case "pause": return .pause
        case "resume": return .resume
        case "cancel": return .cancel
        default: return nil
        }
    }
}
