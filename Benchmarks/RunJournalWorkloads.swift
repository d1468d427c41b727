// W12-journal of ../shared/benchmarks/WORKLOADS.md: W1's run with a journal attached, and the replay of a recorded
// 1,000-step run.
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting

/// Runs W12-journal when `options` selects it.
func runRunJournalWorkloads(options: Options, reps: Int) async throws {
    guard options.selects("W12-journal") else { return }
    note("running W12-journal…")
    let bodies = BodyCounter()
    let noop = ClosureTool(name: "noop", description: "Does nothing.") { arguments in
        bodies.increment()
        return arguments
    }
    let orchestrator = try Orchestrator(tools: [noop])
    var checks = Checks()

    // W1's run, journaled: each run appends its entries to its own journal in one in-memory store.
    let size = 2_000
    let policy = try StrictPolicy(maxSteps: 5)
    var entriesPerRun = 0
    var round = 0
    let (times, runChecks) = await measure(reps: reps) {
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
    checks.values.merge(runChecks.values) { $1 }
    checks.ok = checks.ok && runChecks.ok
    let line = throughputLine("W12-journal", size: size, reps: reps, times: times, checks: Checks())
    let usPerRun = line.objectValue?["us_per_unit"]?.doubleValue ?? 0

    // A recorded 1,000-step run (one tool call per step), replayed.
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
    let bodiesBefore = bodies.value
    var identical = true
    let (replayTimes, _) = await measure(reps: reps) {
        let replayed = try? await orchestrator.replay(long, journal: journal)
        if replayed?.jsonText() != recorded.jsonText() { identical = false }
        return Checks()
    }
    checks.record("replay_byte_identical", .bool(identical))
    checks.expect("tool_calls_during_replay", bodies.value - bodiesBefore, equals: 0)
    checks.record("model_calls_during_replay", 0)
    checks.require(identical)
    let replay = throughputLine("W12-journal-replay", size: steps, reps: reps, times: replayTimes, checks: Checks())
    emit([
        "workload": "W12-journal", "size": .integer(Int64(size)), "reps": .integer(Int64(reps)),
        "us_per_run": .number(usPerRun), "entries_per_run": .integer(Int64(entriesPerRun)),
        "us_per_entry": .number(entriesPerRun > 0 ? usPerRun / Double(entriesPerRun) : 0),
        "replay_steps": .integer(Int64(steps)),
        "replay_us_per_step": replay.objectValue?["us_per_unit"] ?? 0,
        "checks": .object(checks.values), "ok": .bool(checks.ok),
    ])
}
