import AgentAdapters
@_spi(Internals) import AgentPolicy

extension RunRuntime {
    /// Feeds one transition from the journal or, live, applies it and queues its entry.
    ///
    /// - Parameters:
    ///   - probe: The entry's kind and the fields the agent code determines (a fed entry must match them).
    ///   - durability: The live entry's durability.
    ///   - instant: The live entry's clock reading; the clock's when `nil`.
    ///   - ended: The value when the run ended before the transition.
    ///   - transition: Applies the transition at the given time, with the journal's entry when feeding and the
    ///     entry's position. Returns
    ///     the value, the effects, and the fields the live entry adds (`nil`: record nothing).
    /// - Returns: The value, and the entry's position (fed or recorded), if there is one.
    func journaled<Value>(
        _ probe: RunJournalEntry,
        durability: JournalDurability = .deferred,
        at instant: Nanoseconds? = nil,
        ended: Value,
        _ transition: (inout RunStateMachine, Nanoseconds, RunJournalEntry?, Int) -> (
            Value, RunEffects, EntryFields?
        )
    ) -> (Value, Int?) {
        journaled(
            probe.kind,
            probe: { probe },
            matching: nil,
            live: nil,
            durability: durability,
            at: instant,
            ended: ended,
            transition: transition
        )
    }

    /// ``journaled(_:durability:at:ended:_:)`` for a probe of `kind` built only when needed: for the live entry, or
    /// for a divergence's message when feeding. `matches`, when given, answers for a fed entry of `kind` what
    /// comparing the probe's fields with the entry's would answer, without building the probe (a plan's or a step
    /// result's JSON); without it, the probe is built and compared. `direct`, when given, is the probe's one field
    /// held as its value: the live entry carries it instead of the probe's fields, and is sealed straight to bytes
    /// (the probe is then built only when feeding).
    func journaled<Value>(
        _ kind: RunJournalEntry.Kind,
        probe: () -> RunJournalEntry,
        matching matches: ((RunJournalEntry) -> Bool)?,
        live direct: (key: String, value: DirectFieldValue)? = nil,
        durability: JournalDurability = .deferred,
        at instant: Nanoseconds? = nil,
        ended: Value,
        transition: (inout RunStateMachine, Nanoseconds, RunJournalEntry?, Int) -> (
            Value, RunEffects, EntryFields?
        )
    ) -> (Value, Int?) {
        guard let recorder else { preconditionFailure("journaled transition without a journal") }
        let fed: RunRecorder.Fed
        if recorder.startsLive {
            // A new run: nothing to feed, so no probe to match (`next` would answer `.live` after its lock).
            fed = .live
        } else if recorder.isReplay, isTerminated, !recorder.isFeeding {
            // Nothing is journaled after a run ends, so a replayed run's late transitions (its code unwinding, a
            // deadline noticed late) have no entry to match: they apply as they did live, recording nothing.
            fed = .live
        } else {
            do {
                if let matches {
                    fed = try recorder.next(kind, probe: probe, matches: matches) { applyFed($0) }
                } else {
                    fed = try recorder.next(probe()) { applyFed($0) }
                }
            } catch {
                fail(error)
                return (ended, nil)
            }
        }
        switch fed {
        case .ended:
            return (ended, nil)
        case .entry(let entry):
            let (value, effects, position) = state.withLock { machine in
                let position = machine.journal.nextPosition
                machine.journal.countFed()
                let (value, effects, _) = transition(&machine, entry.at, entry, position)
                return (value, effects, position)
            }
            perform(effects)
            return (value, position)
        case .live:
            let now = instant ?? liveOffset
            // Built before the run's lock is taken (a plan's JSON is not encoded under it); with a direct field, the
            // probe's one field, not built at all.
            let probed = direct == nil ? probe() : RunJournalEntry(kind, at: now)
            let (value, effects, position) = state.withLock { machine in
                let wasRunning = !machine.isTerminated
                let (value, effects, fields) = transition(&machine, now, nil, machine.journal.nextPosition)
                guard wasRunning || kind == .terminated, let fields else { return (value, effects, Int?.none) }
                var entry = probed
                entry.at = now
                entry.fields = Self.merged(entry.fields, fields)
                return (value, effects, machine.journal.record(entry, direct: direct, durability: durability))
            }
            perform(effects)
            return (value, position)
        }
    }

    /// `fields` merged into `probe` (a field of both takes `fields`' value), without a merge when one holds them all:
    /// most live transitions add nothing to their probe, and the run's start adds a superset of it.
    static func merged(_ probe: EntryFields, _ fields: EntryFields) -> EntryFields {
        if fields.isEmpty { return probe }
        if probe.isEmpty || (probe.count <= fields.count && probe.allSatisfy { fields[$0.key] != nil }) {
            return fields
        }
        var merged = probe
        merged.reserveCapacity(probe.count + fields.count)
        for (key, value) in fields { merged[key] = value }
        return merged
    }

    /// ``merged(_:_:)`` on dictionaries (the list's merge, as `Dictionary.merging` would give it).
    static func merged(_ probe: [String: JSONValue], _ fields: [String: JSONValue]) -> [String: JSONValue] {
        merged(EntryFields(probe), EntryFields(fields)).dictionary
    }

    /// Applies an entry fed back without being asked for: progress, or a termination that came from outside the
    /// agent's code (timeout, cancellation, a pause).
    func applyFed(_ entry: RunJournalEntry) {
        let effects = state.withLock { machine -> RunEffects in
            machine.journal.countFed()
            switch entry.kind {
            case .toolProgress:
                return machine.toolProgress(
                    entry.string("tool") ?? "",
                    progress: (try? entry.decode(Double.self, "progress")) ?? 0,
                    total: try? entry.decode(Double?.self, "total"),
                    message: entry.string("message"),
                    at: entry.at
                )
            case .terminated:
                return Self.applyTermination(entry, to: &machine).1
            default:
                return RunEffects()
            }
        }
        perform(effects)
    }

    /// Applies a journaled termination.
    static func applyTermination(_ entry: RunJournalEntry, to machine: inout RunStateMachine) -> (Bool, RunEffects) {
        guard let reason = try? entry.decode(StopReason.self, "reason") else { return (false, RunEffects()) }
        return machine.terminate(
            reason,
            violation: try? entry.decode(PolicyViolation?.self, "violation"),
            agentEnded: entry.bool("agentEnded"),
            at: entry.at
        )
    }

    /// Stops the run on a journal failure (not journaled: the journal is what failed).
    func fail(_ error: DurableRunError) {
        recorder?.fail(error)
        let record = ErrorRecord(
            type: "DurableRunError",
            message: error.description,
            code: error.code.rawValue
        )
        _ = update { machine, now in machine.terminate(.journalFailed(error: record), at: now) }
    }

    /// Seals and stores every queued entry; returns when they (and any appended meanwhile) are stored.
    func flushJournal() async {
        guard let recorder else { return }
        var (batch, idle) = state.withLock { ($0.journal.take(), $0.journal.isIdle) }
        while true {
            if let (entries, taken) = batch {
                // This caller is the appender: the chain is its own until it gives it back.
                var chain = taken
                var failure: DurableRunError?
                if recorder.failure == nil {
                    do { try await recorder.store(entries, into: &chain) } catch { failure = error }
                }
                let sealed = chain
                // One lock section gives the chain back and takes what was queued meanwhile.
                let waiters: [CheckedContinuation<Void, Never>]
                (waiters, batch, idle) = state.withLock {
                    ($0.journal.finishAppend(sealed), $0.journal.take(), $0.journal.isIdle)
                }
                for waiter in waiters { waiter.resume() }
                if let failure { fail(failure) }
                continue
            }
            if idle { return }
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { $0.journal.wait(waiter) }
                if !waits { waiter.resume() }
            }
            (batch, idle) = state.withLock { ($0.journal.take(), $0.journal.isIdle) }
        }
    }

    // MARK: Lifecycle transitions

    func journaledBegin(_ probe: RunJournalEntry, live fields: EntryFields) {
        _ = journaled(probe, ended: ()) { machine, time, _, _ in ((), machine.begin(at: time), fields) }
    }

    /// After the agent's code: applies the journaled entries that came from outside it (a timeout, a cancellation,
    /// progress); anything else left is a divergence.
    func finishFeeding() {
        guard let recorder, !recorder.startsLive, recorder.failure == nil else { return }
        for entry in recorder.remaining {
            switch entry.kind {
            case .toolProgress, .terminated:
                if entry.kind == .terminated, recorder.skipsPause(entry) { continue }
                applyFed(entry)
            default:
                recorder.fail(
                    DurableRunError(
                        code: .divergence,
                        journal: recorder.journal.id,
                        expected: entry.summary,
                        got: "the end of the agent's code",
                        message: "the agent's code ended where the journal holds \(entry.summary): the code "
                            + "changed since the journal was written"
                    )
                )
                return
            }
        }
    }

    func journaledStart() -> LifecycleMachine.Action? {
        journaled(RunJournalEntry(.lifecycleStarted, at: .zero), ended: nil) { machine, time, _, _ in
            let (action, effects) = machine.start(at: time)
            return (action, effects, [:])
        }.0
    }

    func journaledPlanReady(_ plan: [AgentStep]) -> LifecycleMachine.Action? {
        // A fed plan is compared with the journal's step by step, without encoding it (1,000 objects for a
        // 1,000-step plan).
        journaled(
            .planned,
            probe: { RunJournalEntry(.planned, at: .zero, fields: ["steps": RunJournalEntry.encode(plan)]) },
            matching: { RunJournalEntry.plan(plan, equals: $0.fields["steps"]) },
            // Live, the plan is sealed straight to bytes: its JSON is built only for a divergence's message.
            live: ("steps", .plan(plan)),
            ended: nil,
            transition: { machine, time, _, _ in
                let (action, effects) = machine.planReady(plan, at: time)
                return (action, effects, [:])
            }
        ).0
    }

    func journaledStepStarted(_ step: AgentStep) -> Bool {
        let probe = RunJournalEntry(
            .stepStarted,
            at: .zero,
            fields: ["index": .integer(Int64(step.index)), "revision": .integer(Int64(step.revision))]
        )
        return journaled(probe, ended: false) { machine, time, _, _ in
            let (started, effects) = machine.stepStarted(step, at: time)
            return (started, effects, [:])
        }.0
    }

    func journaledStepFinished(_ result: StepResult) -> LifecycleMachine.Action? {
        journaled(
            .stepFinished,
            probe: { RunJournalEntry(.stepFinished, at: .zero, fields: ["result": RunJournalEntry.encode(result)]) },
            matching: { RunJournalEntry.result(result, equals: $0.fields["result"]) },
            live: ("result", .result(result)),
            ended: nil,
            transition: { machine, time, _, _ in
                let (action, effects) = machine.stepFinished(result, at: time)
                return (action, effects, [:])
            }
        ).0
    }

    func journaledReviewed(_ decision: ReviewDecision) -> LifecycleMachine.Action? {
        journaled(
            .reviewed,
            probe: { RunJournalEntry(.reviewed, at: .zero, fields: ["decision": RunJournalEntry.encode(decision)]) },
            matching: nil,
            // Live, the decision is sealed straight to bytes; fed, the probe is built and compared.
            live: ("decision", .decision(decision)),
            ended: nil,
            transition: { machine, time, _, _ in
                let (action, effects) = machine.reviewed(decision, at: time)
                return (action, effects, [:])
            }
        ).0
    }

    func journaledAgentThrew(_ error: any Error) {
        _ = journaled(RunJournalEntry(.agentThrew, at: .zero), ended: ()) { machine, time, fed, _ in
            // Fed: the journal's record decides the stop reason, whatever the code throws this time.
            let recorded = (try? fed?.decode(ErrorRecord.self, "error")) ?? ErrorRecord(error)
            let thrown: any Error = fed == nil ? error : JournaledFailure(recorded, isToolError: fed!.bool("toolError"))
            return (
                (), machine.agentThrew(thrown, at: time),
                ["error": RunJournalEntry.encode(recorded), "toolError": .bool(error is ToolError)]
            )
        }
    }

    func journaledTerminate(
        _ reason: StopReason,
        violation: PolicyViolation?,
        agentEnded: Bool,
        at instant: Nanoseconds?
    ) -> Bool {
        let probe = RunJournalEntry(.terminated, at: .zero, fields: ["reasonKind": .string(reason.code)])
        return journaled(probe, at: instant, ended: false) { machine, now, fed, _ in
            if let fed {
                let (ended, effects) = Self.applyTermination(fed, to: &machine)
                return (ended, effects, nil)
            }
            let (ended, effects) = machine.terminate(reason, violation: violation, agentEnded: agentEnded, at: now)
            var fields: EntryFields = [
                "reason": RunJournalEntry.encode(reason), "agentEnded": .bool(agentEnded),
            ]
            if let violation { fields["violation"] = RunJournalEntry.encode(violation) }
            return (ended, effects, ended ? fields : nil)
        }.0
    }

    /// The journal's head hash once every entry is stored (after ``flushJournal()``); `nil` without a journal.
    var journalHeadHash: SHA256Digest? {
        guard recorder != nil else { return nil }
        return state.withLock { $0.journal.chain.headHash }
    }

    /// The live clock reading (time since the run started, active time only).
    var liveOffset: Nanoseconds { Nanoseconds(time.now() - start) }
}

/// An agent failure fed back from the journal, so the stop reason is the recorded one.
struct JournaledFailure: Error, ErrorRecordConvertible {
    let errorRecord: ErrorRecord
    let isToolError: Bool
    init(_ record: ErrorRecord, isToolError: Bool) {
        errorRecord = record
        self.isToolError = isToolError
    }
}
