// DurableRun: a ten-step journaled run that survives SIGKILL. Run the same command again until it prints its report.
//
//   swift run DurableRun <dir>/<id>.journal           run, or resume what a killed process left
//   swift run DurableRun --verify <dir>/<id>.journal  recompute the journal's hash chain
//
// The journal lives in a FileCheckpointStore over <dir> (which names its files <id>.journal). Each step calls the
// tool `effects.append` once; the call takes ~100 ms and appends `step <n> key <idempotency key>` to
// <dir>/<id>.journal.effects, skipping a key that is already there. The key comes from `ToolInvocation.current` and
// is the same when a call journaled as started but not finished runs again after a crash, so each of the ten lines
// is written exactly once however often the process is killed. `.ci/durable-kill.sh` checks exactly that.
import AgentFileJournal
import AgentOrchestration

let usage = """
    usage: DurableRun <journal-file>            run the ten-step agent journaled in <journal-file>, or resume it
           DurableRun --verify <journal-file>   check the journal's hash chain: "verified N entries" or the first bad one

    <journal-file> is <directory>/<id>.journal: the directory of a FileCheckpointStore (made if missing) and the
    journal's id (letters, digits, '-', '_' and '.'), because the store names its files <id>.journal. The tool's
    effects go to <journal-file>.effects. Kill the run at any moment (even with SIGKILL) and run the same command
    again: finished steps and tool calls are not run again, and each effect is written once.
    """

/// Where a `<directory>/<id>.journal` path lives in a `FileCheckpointStore`.
func locate(_ path: String) -> (directory: String, id: JournalID)? {
    let name: Substring
    let directory: String
    if let slash = path.lastIndex(of: "/") {
        directory = slash == path.startIndex ? "/" : String(path[..<slash])
        name = path[path.index(after: slash)...]
    } else {
        directory = "."
        name = Substring(path)
    }
    guard name.hasSuffix(".journal"), let id = JournalID(rawValue: String(name.dropLast(".journal".count))) else {
        return nil
    }
    return (directory, id)
}

/// The run's one tool: appends the step's line to the effects file, once per idempotency key.
struct AppendEffect: Tool {
    struct Arguments: Decodable, Sendable { var step: Int }
    let name = "effects.append"
    let description = "Appends `step <n> key <idempotency key>` to the effects file unless the key is there."
    let file: EffectsFile

    func call(arguments: Arguments) async throws -> String {
        guard let key = ToolInvocation.current?.idempotencyKey else {
            throw EffectsFile.Failure(description: "effects.append has no idempotency key: the run keeps no journal")
        }
        try await Task.sleep(for: .milliseconds(50))  // a kill here: the intent is journaled, no effect yet
        let line = try file.appendOnce(key: key, line: "step \(arguments.step) key \(key)")
        try await Task.sleep(for: .milliseconds(50))  // a kill here: the effect happened, its result is not journaled
        return line
    }
}

/// Ten steps, planned up front; each calls `effects.append` once.
struct TenSteps: Agent {
    let name = "ten-steps"

    func plan(_ request: PlanRequest, context: AgentContext) async throws -> [AgentStep] {
        (1...10).map { AgentStep(.integer(Int64($0)), label: "step \($0)") }
    }

    func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
        let line = try await context.callTool("effects.append", arguments: ["step": step.input])
        return StepResult(output: line)
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--help"] || arguments == ["-h"] {
    print(usage)
    exitProcess(0)
}
let verifying = arguments.first == "--verify"
guard arguments.count == (verifying ? 2 : 1), let path = arguments.last, let (directory, id) = locate(path) else {
    printError(usage)
    exitProcess(2)
}

if verifying {
    let records: [JournalRecord]
    do {
        records = try await FileCheckpointStore(directory: directory).records(of: id, from: 0)
    } catch {
        printError("DurableRun: cannot read \(path): \(error)")
        exitProcess(1)
    }
    guard !records.isEmpty else {
        printError("DurableRun: \(path) holds no journal entries (no such file, or an empty journal)")
        exitProcess(1)
    }
    switch JournalChain.verify(records) {
    case .verified(let count, let headHash):
        print("verified \(count) entries")
        print("head \(headHash)")
        exitProcess(0)
    case .failed(let fault):
        print("first bad entry: \(fault)")
        exitProcess(1)
    }
}

let store = FileCheckpointStore(directory: directory, durability: .stepBoundaries)
let orchestrator = try Orchestrator(tools: [AppendEffect(file: EffectsFile(path: path + ".effects"))])
let policy = try StrictPolicy(
    maxSteps: 10,
    maxToolCalls: 10,
    allowedTools: ["effects.append"],
    timeout: .seconds(60)
)
// Say what the journal held before this process started: nothing (a fresh run), part of a run (a resume), or a
// finished run (whose report is rebuilt from the journal: no tool runs, nothing is appended).
let entriesBefore = try await store.records(of: id, from: 0).count
if entriesBefore > 0 {
    print(
        "DurableRun: \(path) already holds \(entriesBefore) entries; finished steps and tool calls do not run again"
    )
}
let report = await orchestrator.run(
    TenSteps(),
    task: "ten effects",
    policy: policy,
    journal: RunJournal(store: store, id: id)
)
let entriesAfter = try await store.records(of: id, from: 0).count
try await store.close()
if entriesBefore > 0 && entriesAfter == entriesBefore {
    print("DurableRun: the journal already held this run's end; no tool ran again, and the report is rebuilt from it")
}
print(report.jsonText(prettyPrinted: true))
print(
    "DurableRun report: status \(report.status.rawValue), \(report.totals.steps) steps, "
        + "\(report.totals.toolCalls) tool calls, journal head \(report.journalHeadHash.map { "\($0)" } ?? "none")"
)
exitProcess(report.status == .succeeded ? 0 : 1)
