// W12-journal of ../shared/benchmarks/WORKLOADS.md: W1's run with a journal attached, and the replay of a recorded
// 1,000-step run.
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting

/// Runs W12-journal when `options` selects it.
///
/// The journaling cost is measured against the plain run in the same sitting: each repetition times 2,000 plain W1
/// runs, then the same 2,000 runs journaled, alternately, and `us_per_entry` is
/// (journaled − plain) / entries per run from the two medians (Docs/Performance.md states the definition).
func runRunJournalWorkloads(options: Options, reps: Int) async throws {
    // `--only W12-journal-replay` runs the replay part alone, `--only W12-journal-runs` the plain and journaled W1
    // runs alone (for profiling each); `--only W12-journal-runs-journaled` the journaled runs without the plain ones
    // (no `us_per_entry` then: a profile of the journaled run alone).
    let replayOnly = options.only?.contains("W12-journal-replay") == true
    let journaledOnly = options.only?.contains("W12-journal-runs-journaled") == true
    let runsOnly = options.only?.contains("W12-journal-runs") == true || journaledOnly
    guard options.selects("W12-journal") || replayOnly || runsOnly else { return }
    note("running W12-journal…")
    let bodies = BodyCounter()
    let noop = ClosureTool(name: "noop", description: "Does nothing.") { arguments in
        bodies.increment()
        return arguments
    }
    let orchestrator = try Orchestrator(tools: [noop])
    var checks = Checks()

    // W1's run, plain and journaled: each journaled run appends its entries to its own journal in one store.
    let size = 2_000
    let policy = try StrictPolicy(maxSteps: 5)
    var entriesPerRun = 0
    var round = 0
    var plainChecks = Checks()
    func journaledRuns() async -> Checks {
        round += 1
        let store = InMemoryCheckpointStore()
        var succeeded = 0
        var lastReport: ExecutionReport?
        for index in 0..<size {
            let journal = RunJournal(store: store, id: JournalID(rawValue: "r\(round)-\(index)")!)
            let report = await orchestrator.run(
                noOpAgent,
                task: .integer(Int64(index)),
                policy: policy,
                journal: journal
            )
            if report.status == .succeeded, report.finalOutput == .integer(Int64(index)) { succeeded += 1 }
            lastReport = report
        }
        var checks = Checks()
        checks.expect("succeeded_with_right_output", succeeded, equals: size)
        let records = store.records(of: JournalID(rawValue: "r\(round)-\(size - 1)")!, from: 0)
        entriesPerRun = records.count
        let verification = JournalChain.verify(records, expectedHeadHash: lastReport?.journalHeadHash)
        if case .verified = verification { checks.record("verified", true) } else { checks.ok = false }
        return checks
    }
    // A warm-up of each, then the two alternately.
    if !replayOnly {
        if !journaledOnly { _ = await sequentialRuns(size, on: orchestrator, policy: policy) }
        _ = await journaledRuns()
    }
    var plainTimes: [Double] = []
    var times: [Double] = []
    var runChecks = Checks()
    for _ in 0..<(replayOnly ? 0 : reps) {
        if !journaledOnly {
            let (plain, plainTime) = await timed { await sequentialRuns(size, on: orchestrator, policy: policy) }
            plainChecks = plain
            plainTimes.append(plainTime)
        }
        let (journaled, journaledTime) = await timed { await journaledRuns() }
        runChecks = journaled
        times.append(journaledTime)
    }
    checks.values.merge(runChecks.values) { $1 }
    checks.ok = checks.ok && runChecks.ok && plainChecks.ok
    checks.record("plain_succeeded_with_right_output", plainChecks.values["succeeded_with_right_output"] ?? .null)
    let usPerRun = median(times) / Double(size) * 1e6
    let usPerPlainRun = journaledOnly ? 0 : median(plainTimes) / Double(size) * 1e6
    let entries = Double(max(1, entriesPerRun))
    if runsOnly {
        var line: [String: JSONValue] = [
            "workload": "W12-journal-runs", "size": .integer(Int64(size)), "reps": .integer(Int64(reps)),
            "us_per_run": .number(usPerRun), "entries_per_run": .integer(Int64(entriesPerRun)),
            "checks": .object(checks.values), "ok": .bool(checks.ok),
        ]
        if !journaledOnly {
            line["us_per_run_plain"] = .number(usPerPlainRun)
            line["us_per_entry"] = .number((usPerRun - usPerPlainRun) / entries)
        }
        emit(.object(line))
        return
    }

    // A recorded 1,000-step run (one tool call per step), replayed: each replay reads the journal from the store,
    // verifies its chain, decodes its entries and feeds them to the agent code.
    let steps = 1_000
    let long = ScriptedAgent(
        name: "long",
        steps: (0..<steps).map { [.callTool("noop", arguments: ["n": .integer(Int64($0))])] }
    )
    let longPolicy = try StrictPolicy(maxSteps: Int64(steps), maxToolCalls: Int64(steps))
    let store = InMemoryCheckpointStore()
    let journal = RunJournal(store: store, id: JournalID(rawValue: "long")!)
    let recorded = await orchestrator.run(long, task: "go", policy: longPolicy, journal: journal)
    checks.record("recorded_status", .string(recorded.status.rawValue))
    checks.record("replay_entries", .integer(Int64(store.records(of: journal.id, from: 0).count)))
    let bodiesBefore = bodies.value
    // Only the replay is timed; each replayed report is compared with the recorded one afterwards.
    var replayed: [ExecutionReport?] = []
    let (replayTimes, _) = await measure(reps: reps) {
        replayed.append(try? await orchestrator.replay(long, journal: journal))
        return Checks()
    }
    let toolCallsDuringReplay = bodies.value - bodiesBefore
    let recordedText = recorded.jsonText()
    let identical = replayed.allSatisfy { $0?.jsonText() == recordedText }
    checks.record("replay_byte_identical", .bool(identical))
    checks.expect("tool_calls_during_replay", toolCallsDuringReplay, equals: 0)
    checks.record("model_calls_during_replay", 0)
    checks.require(identical)
    let replay = throughputLine("W12-journal-replay", size: steps, reps: reps, times: replayTimes, checks: Checks())
    // For reference, the same 1,000-step run live without a journal: the floor a replay runs on.
    let (liveTimes, _) = await measure(reps: reps) {
        _ = await orchestrator.run(long, task: "go", policy: longPolicy)
        return Checks()
    }
    let live = throughputLine("W12-journal-live", size: steps, reps: reps, times: liveTimes, checks: Checks())
    // For reference, the replay's reading alone: verifying the chain of the recorded journal's records.
    let longRecords = store.records(of: journal.id, from: 0)
    var verifiedLong = false
    let (verifyTimes, _) = await measure(reps: reps) {
        let verification = JournalChain.verify(longRecords, expectedHeadHash: recorded.journalHeadHash)
        if case .verified = verification { verifiedLong = true } else { verifiedLong = false }
        return Checks()
    }
    checks.require(verifiedLong)
    let verify = throughputLine("W12-journal-verify", size: steps, reps: reps, times: verifyTimes, checks: Checks())
    // For reference, the replay's read alone (what `Orchestrator.load` does before the replayed run): the store's
    // records, the chain verified, the entries made.
    var readEntries = 0
    let (readTimes, _) = await measure(reps: reps) {
        let records = (try? await (store as any CheckpointStore).records(of: journal.id, from: 0)) ?? []
        readEntries = (try? await RunJournal.readInParts(records, of: journal.id))?.entries.count ?? -1
        return Checks()
    }
    checks.expect("read_entries", readEntries, equals: longRecords.count)
    // The read above takes the parted path (it would fall back to one walk, silently, at a record it refuses).
    let parted = await JournalChain.readEntriesInParts(longRecords) { _, position in position }
    checks.record("read_in_parts", .bool(parted?.entries.count == longRecords.count))
    checks.require(parted?.entries.count == longRecords.count)
    let read = throughputLine("W12-journal-read", size: steps, reps: reps, times: readTimes, checks: Checks())
    // The read in one walk (`RunJournal.read`, on this thread alone: a journal read in parts has its parts' CPU time
    // on other threads) in thread CPU time, the records fetched once, which a busy machine inflates less than wall
    // time.
    let readCPU = (try? measureCPU(reps: reps) { _ = try RunJournal.read(longRecords, of: journal.id) }) ?? []
    emit([
        "workload": "W12-journal", "size": .integer(Int64(size)), "reps": .integer(Int64(reps)),
        "us_per_run_plain": .number(usPerPlainRun),
        "us_per_run": .number(usPerRun), "us_per_unit": .number(usPerRun),
        "entries_per_run": .integer(Int64(entriesPerRun)),
        "us_per_entry": .number((usPerRun - usPerPlainRun) / entries),
        "us_per_entry_whole_run": .number(usPerRun / entries),
        "replay_steps": .integer(Int64(steps)),
        "replay_us_per_step": replay.objectValue?["us_per_unit"] ?? 0,
        "plain_run_us_per_step": live.objectValue?["us_per_unit"] ?? 0,
        "verify_us_per_step": verify.objectValue?["us_per_unit"] ?? 0,
        "read_us_per_step": read.objectValue?["us_per_unit"] ?? 0,
        "read_cpu_us_per_step": .number(median(readCPU.map(\.cpu)) / Double(steps) * 1e6),
        "checks": .object(checks.values), "ok": .bool(checks.ok),
    ])
}

/// Times one call of `body`, in seconds.
func timed<Value>(_ body: () async -> Value) async -> (Value, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = await body()
    return (value, seconds(clock.now - start))
}
