public import AgentAdapters
import AgentPolicy

extension RunJournal {
    /// Reads stored records as a run journal, as resume and replay do, and returns each entry's kind, in order.
    ///
    /// The records' hash chain is checked (versions, positions, hashes), then each entry is read as a run entry
    /// (`Docs/JournalFormat.md` lists the kinds) and the typed fields that resume and replay feed back (policy,
    /// plans, results, model responses, errors, usage, stop reasons) are decoded. This is the reader's public entry
    /// point, for tools that inspect journals and for the `FuzzRunJournal` fuzz target: it never traps, whatever
    /// the bytes.
    ///
    /// - Parameters:
    ///   - records: The journal's records, from position 0.
    ///   - id: The journal's identity, named in errors.
    /// - Returns: Each entry's kind (for example `"runStarted"`, `"toolCallFinished"`), in order.
    /// - Throws: ``DurableRunError`` with code ``DurableRunError/Code/unsupportedVersion`` for an entry of a
    ///   future format version, ``DurableRunError/Code/corruptJournal`` for a broken chain, an unknown kind or a
    ///   field that does not decode; the error names the entry's position.
    public static func entryKinds(of records: [JournalRecord], id: JournalID) throws(DurableRunError) -> [String] {
        let entries = try read(records, of: id).entries
        for (position, entry) in entries.enumerated() {
            do {
                try entry.decodeTypedFields()
            } catch {
                throw DurableRunError(code: .corruptJournal, journal: id, position: position, message: error.message)
            }
        }
        return entries.map(\.kind.rawValue)
    }

    /// ``read(_:of:)`` as `Orchestrator.load` reads a journal for resume, replay and fork: a long journal in parts at
    /// the same time (``JournalChain/readEntriesInParts(_:genesis:knownVersion:partSize:making:)``), any other, and any journal
    /// a part refuses, in one walk; the entries, the chain and every error are those of ``read(_:of:)``.
    ///
    /// - Parameters:
    ///   - records: The journal's records, from position 0.
    ///   - id: The journal's identity, named in errors.
    ///   - partSize: The fewest records a part holds (tests pass fewer than the default).
    /// - Returns: The chain that continues `records`, and their entries.
    /// - Throws: ``DurableRunError`` as ``read(_:of:)`` throws it.
    package static func readInParts(
        _ records: [JournalRecord],
        of id: JournalID,
        partSize: Int = JournalChain.recordsPerPart
    ) async throws(DurableRunError) -> (chain: JournalChain, entries: [RunJournalEntry]) {
        let parted = await JournalChain.readEntriesInParts(records, partSize: partSize) { read, position in
            try? RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
        }
        if let parted { return parted }
        return try read(records, of: id)
    }

    /// The chain that continues `records`, and their entries (what `Orchestrator.load` returns after reading the
    /// store; package access for the W12 benchmark, which times this read apart from the replayed run).
    package static func read(
        _ records: [JournalRecord],
        of id: JournalID
    ) throws(DurableRunError) -> (chain: JournalChain, entries: [RunJournalEntry]) {
        // A new run's journal is empty: the chain a walk of no records returns, without the walk.
        if records.isEmpty { return (JournalChain(), []) }
        let chain: JournalChain
        var entries: [RunJournalEntry] = []
        entries.reserveCapacity(records.count)
        var failure: DurableRunError?
        do throws(JournalFault) {
            // One walk verifies the chain, parses each record once (`kind` and `at` as values, not members) and
            // makes each entry while its members are fresh.
            chain = try JournalChain.readEntries(records) { read, position in
                guard failure == nil else { return }
                do throws(RunJournalEntry.EntryReadError) {
                    entries.append(
                        try RunJournalEntry(members: read.members, kind: read.kind, at: read.at, position: position)
                    )
                } catch {
                    failure = DurableRunError(
                        code: .corruptJournal,
                        journal: id,
                        position: position,
                        message: error.message
                    )
                }
            }
        } catch {
            throw DurableRunError(
                code: error.kind == .unknownVersion ? .unsupportedVersion : .corruptJournal,
                journal: id,
                position: error.position,
                message: "\(error.description): this library reads entry format version \(JournalChain.formatVersion)"
            )
        }
        // A fault of the chain (thrown above) comes first, wherever it is; then the first entry that does not read.
        if let failure { throw failure }
        return (chain, entries)
    }
}

extension RunJournalEntry {
    /// Decodes the typed fields of the entry's kind that are present, as feeding them back would.
    func decodeTypedFields() throws(EntryReadError) {
        func present<T: Decodable>(_ type: T.Type, _ field: String) throws(EntryReadError) {
            if fields[field] != nil { _ = try decode(type, field) }
        }
        switch kind {
        case .runStarted: try present(StrictPolicy.self, "policy")
        case .planned: try present([AgentStep].self, "steps")
        case .stepFinished: try present(StepResult.self, "result")
        case .reviewed: try present(ReviewDecision.self, "decision")
        case .agentThrew, .toolCallRefused, .modelCallRefused: try present(ErrorRecord.self, "error")
        case .terminated:
            try present(StopReason.self, "reason")
            try present(PolicyViolation?.self, "violation")
        case .toolCallFinished: try present(ErrorRecord.self, "error")
        case .modelCallStarted: try present(ModelUsage.self, "reserved")
        case .modelCallFinished:
            try present(ModelResponse.self, "response")
            try present(ModelUsage.self, "usage")
            try present(ModelError.self, "modelError")
            try present(ErrorRecord.self, "error")
        case .usageReserved, .usageReleased: try present(ModelUsage.self, "estimate")
        case .usageReported:
            try present(ModelUsage.self, "actual")
            try present(ModelUsage.self, "reserved")
        case .clockRead:
            switch string("property").flatMap(RunRuntime.ClockProperty.init(rawValue:)) {
            case .elapsed?: break
            case .timeRemaining?:
                guard integer("remaining") != nil else {
                    throw EntryReadError(
                        position: -1,
                        message: "clockRead entry of timeRemaining has no integer 'remaining'"
                    )
                }
            case nil:
                throw EntryReadError(
                    position: -1,
                    message: "clockRead entry's 'property' is not elapsed or timeRemaining"
                )
            }
        case .lifecycleStarted, .stepStarted, .toolCallStarted, .toolProgress, .approvalRequested, .approvalDecided,
            .modelCallRequested, .modelCallRetrying:
            break
        }
    }
}
