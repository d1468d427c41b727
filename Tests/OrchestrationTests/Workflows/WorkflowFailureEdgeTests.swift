import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

/// Reaches the failure transitions the other suites do not: outputs and payloads that cannot be written, a branch
/// whose input is missing, a task still running when the workflow deadline passes.
@Suite("Workflow failure edges: every way a state fails is reached and named", .timeLimit(.suite))
struct WorkflowFailureEdgeTests {
    /// `$.note` holds a string, so any path through it cannot be written.
    static let data: JSONValue = ["note": "a string, not an object"]

    @Test("A task whose output path goes through a non-object takes its failure transition; the data is unchanged")
    func taskOutputCannotBeWritten() async throws {
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "a",
            states: [
                "a": agentTask("ok", output: "$.note.body", next: "done", onFailure: "handler"),
                "handler": agentTask("handler", output: "$.handled", next: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: Self.data,
            registry: try workflowRegistry([constantAgent("ok", 1), constantAgent("handler", true)])
        )
        #expect(report.statesTaken == ["a", "handler", "failed"])
        #expect(report.path[0].outcome == .failed)
        #expect(report.path[0].transition == "failure")
        #expect(report.path[0].next == "handler")
        // The run itself succeeded; writing its output is what failed.
        #expect(report.path[0].runs.map(\.succeeded) == [true])
        let detail = try #require(report.path[0].detail)
        #expect(detail.contains("cannot be written at $.note.body"), "detail: \(detail)")
        #expect(detail.contains("non-object"), "detail: \(detail)")
        #expect(report.finalData["note"] == Self.data["note"])
        #expect(report.stopReason == WorkflowStopReason(.failed, state: "failed", reason: "a task failed"))
    }

    static func fan(
        _ branches: [WorkflowParallelState.Branch],
        join: WorkflowParallelState.Join = .all,
        output: JSONPath
    ) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "p",
            version: "1",
            initialState: "fan",
            states: [
                "fan": .parallel(
                    WorkflowParallelState(branches, join: join, output: output, next: "done", onFailure: "handler")
                ),
                // Writes `$.later`, so validation accepts a branch reading it; the data does not hold it yet.
                "handler": agentTask("ok", output: "$.later", next: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
    }

    @Test("A parallel state whose joined output cannot be written takes its failure transition")
    func parallelOutputCannotBeWritten() async throws {
        let report = try await makeOrchestrator().run(
            workflow: Self.fan([.init("ok", .agent("ok")), .init("ok2", .agent("ok2"))], output: "$.note.joined"),
            data: Self.data,
            registry: try workflowRegistry([constantAgent("ok", 1), constantAgent("ok2", 2)])
        )
        #expect(report.statesTaken == ["fan", "handler", "failed"])
        #expect(report.path[0].outcome == .failed)
        #expect(report.path[0].transition == "failure")
        #expect(report.path[0].next == "handler")
        #expect(report.path[0].runs.map(\.succeeded) == [true, true])
        let detail = try #require(report.path[0].detail)
        #expect(detail.contains("cannot be written at $.note.joined"), "detail: \(detail)")
        #expect(report.finalData["note"] == Self.data["note"])
    }

    @Test("A parallel branch whose input path is missing fails without running; join all takes the failure edge")
    func branchInputMissing() async throws {
        let runs = Counter()
        let report = try await makeOrchestrator().run(
            workflow: Self.fan(
                [.init("later", .agent("counted"), input: "$.later"), .init("ok", .agent("ok"))],
                output: "$.joined"
            ),
            data: [:],
            registry: try workflowRegistry([constantAgent("counted", 1, counter: runs), constantAgent("ok", 1)])
        )
        #expect(report.statesTaken == ["fan", "handler", "failed"])
        #expect(report.path[0].outcome == .failed)
        #expect(report.path[0].transition == "failure")
        #expect(report.path[0].detail == "branches failed: later")
        #expect(runs.value == 0)
        let missing = try #require(report.path[0].runs.first { $0.branch == "later" })
        #expect(missing.stopReason == "missingInput")
        #expect(missing.executionID == nil)
        #expect(missing.detail == "the data has no value at $.later")
    }

    static func waiting(_ awaited: WorkflowWaitState.Awaited) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "wait",
            version: "1",
            initialState: "hold",
            states: [
                "hold": .wait(
                    WorkflowWaitState(
                        awaited,
                        timeout: .seconds(3600),
                        output: "$.note.reply",
                        next: "done",
                        onTimeout: "late",
                        onDenied: "late"
                    )
                ),
                "done": succeededEnd, "late": failedEnd,
            ]
        )
    }

    @Test(
        "A wait whose signal payload or approval decision cannot be written ends the run failed at the wait (a wait has no failure transition)"
    )
    func waitPayloadCannotBeWritten() async throws {
        try await withWatchdog("a payload that cannot be written ends the wait") {
            let orchestrator = try makeOrchestrator()
            let signalled = try orchestrator.start(workflow: Self.waiting(.signal("reply")), data: Self.data)
            _ = await signalled.waitUntilWaiting()
            #expect(await signalled.signal("reply", payload: ["text": "thanks"]))
            let report = await signalled.report
            #expect(report.stopReason.kind == .failed)
            #expect(report.stopReason.state == "hold")
            let reason = try #require(report.stopReason.reason)
            #expect(reason.contains("cannot be written at $.note.reply"), "reason: \(reason)")
            #expect(report.statesTaken == ["hold"])
            #expect(report.path[0].outcome == .failed)
            #expect(report.path[0].transition == nil)
            #expect(report.path[0].detail == reason)
            #expect(report.finalData == Self.data)

            let approval = try orchestrator.start(workflow: Self.waiting(.approval(prompt: "ok?")), data: Self.data)
            _ = await approval.waitUntilWaiting()
            #expect(await approval.approve(reason: "fine"))
            let approved = await approval.report
            #expect(approved.stopReason.kind == .failed)
            #expect(approved.stopReason.state == "hold")
            #expect(approved.path[0].outcome == .failed)
        }
    }

    static let slow = WorkflowDefinition(
        name: "w",
        version: "1",
        initialState: "work",
        states: [
            "work": agentTask("slow", output: "$.x", next: "done", onFailure: "handler"),
            "handler": agentTask("handler", output: "$.handled", next: "failed"),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    @Test(
        "A task still running when the workflow deadline passes: the run ends timedOut at the task, no failure transition"
    )
    func deadlineDuringTask() async throws {
        try await withWatchdog("the workflow deadline ends a running task") {
            let clock = ManualClock()
            let handlerRuns = Counter()
            let slow = ScriptedAgent(name: "slow", steps: [[.sleep(.seconds(3600)), .output("never")]])
            var agents = AgentRegistry()
            try agents.register(slow)
            try agents.register(constantAgent("handler", true, counter: handlerRuns))
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: Self.slow,
                data: [:],
                registry: WorkflowRegistry(agents: agents),
                policy: try StrictPolicy(timeout: .seconds(10))
            )
            // The workflow deadline, the task run's deadline (the same instant) and the agent's sleep.
            await clock.waitForSleepers(count: 3)
            clock.advance(by: .seconds(10))
            let report = await handle.report
            #expect(report.stopReason.kind == .timedOut)
            #expect(report.stopReason.state == "work")
            #expect(report.stopReason.limit == Nanoseconds(.seconds(10)).rawValue)
            #expect(report.statesTaken == ["work"])
            #expect(report.path[0].outcome == .stopped)
            #expect(report.path[0].transition == nil)
            #expect(handlerRuns.value == 0)
            // Whichever reached the driver first (the run's timeout or the deadline), the run is recorded.
            #expect(report.path[0].runs.count == 1)
            #expect(report.path[0].runs.first?.succeeded == false)
        }
    }

    /// A machine in state `work`, its task pending, with a 10 s deadline.
    static func machineInWork() -> WorkflowMachine {
        var machine = WorkflowMachine(
            definition: slow,
            data: [:],
            predicates: PredicateRegistry(),
            maxTransitions: 100,
            timeout: .seconds(10)
        )
        _ = machine.start(at: 0)
        return machine
    }

    static let work = WorkflowTaskKey(state: "work", visit: 1, branch: nil)

    @Test(
        "The race of a task's end and the deadline is decided by the clock's reading: at the deadline or later the deadline wins"
    )
    func deadlineWinsTheRace() {
        let deadline = Nanoseconds(.seconds(10))
        let before = Nanoseconds(rawValue: deadline.rawValue - 1)
        // One nanosecond before: the task's failure takes the failure transition.
        var early = Self.machineInWork()
        _ = early.taskFinished(Self.work, .failure("agentFailed", detail: "x", executionID: "r"), at: before)
        #expect(early.path.first?.transition == "failure")
        #expect(early.status == .running(state: "handler"))
        // At the deadline, a failure (the run's own timeout) and even a success lose to the deadline.
        for outcome in [
            WorkflowTaskOutcome.failure("timedOut", detail: "timed out", executionID: "r"),
            .success("late", executionID: "r"),
        ] {
            var machine = Self.machineInWork()
            let effects = machine.taskFinished(Self.work, outcome, at: deadline)
            #expect(effects == [.finished])
            #expect(machine.stop?.kind == .timedOut, "outcome \(outcome)")
            #expect(machine.stop?.state == "work")
            #expect(machine.path.map(\.state) == ["work"])
            #expect(machine.path[0].outcome == .stopped)
            #expect(machine.path[0].runs.map(\.stopReason) == [outcome.stopReason])
            #expect(machine.data == [:])
            // The deadline's own input, arriving second, changes nothing.
            #expect(machine.deadlineReached(at: deadline) == [])
        }
        // The other order: the deadline first; the task's late outcome is not taken, the run is recorded cancelled.
        var machine = Self.machineInWork()
        _ = machine.deadlineReached(at: deadline)
        #expect(machine.taskFinished(Self.work, .success("late", executionID: "r"), at: deadline) == [])
        #expect(machine.stop?.kind == .timedOut)
        #expect(machine.path[0].runs.map(\.stopReason) == ["cancelled"])
    }

    @Test("A wait's timer that fires at the deadline loses to the deadline: no timeout transition")
    func deadlineWinsOverTimer() {
        var machine = WorkflowMachine(
            definition: WorkflowWaitTests.waiting(.signal("reply")),
            data: [:],
            predicates: PredicateRegistry(),
            maxTransitions: 100,
            timeout: .seconds(3600)
        )
        _ = machine.start(at: 0)
        let effects = machine.timerFired(state: "hold", visit: 1, at: Nanoseconds(.seconds(3600)))
        #expect(effects.contains(.finished))
        #expect(machine.stop?.kind == .timedOut)
        #expect(machine.stop?.state == "hold")
        #expect(machine.path[0].transition == nil)
    }
}
