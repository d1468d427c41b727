import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite(
    "Workflow engine: every state kind, failure transitions, bounds, waits, pause and cancel",
    .timeLimit(.suite)
)
struct WorkflowEngineTests {
    @Test("Task → decision → end: the output is written at its path, the decision routes on it, the path is reported")
    func taskDecisionEnd() async throws {
        let definition = WorkflowDefinition(
            name: "triage",
            version: "1",
            initialState: "classify",
            states: [
                "classify": agentTask("classifier", input: "$.ticket", output: "$.category", next: "route"),
                "route": .decision(
                    WorkflowDecisionState(
                        [
                            .init(.equals("$.category", "billing"), next: "billing"),
                            .init(.predicate("never"), next: "failed"),
                        ],
                        default: "other"
                    )
                ),
                "billing": agentTask("echo", input: "$.ticket", output: "$.draft", next: "done"),
                "other": agentTask("echo", output: "$.draft", next: "done"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let orchestrator = try makeOrchestrator()
        let report = try await orchestrator.run(
            workflow: definition,
            data: ["ticket": ["text": "refund please"]],
            registry: try workflowRegistry(
                [constantAgent("classifier", "billing"), echoAgent("echo")],
                predicates: ["never": { _ in false }]
            )
        )
        #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "done"))
        #expect(report.statesTaken == ["classify", "route", "billing", "done"])
        #expect(report.path.map(\.outcome) == [.succeeded, .chose, .succeeded, .ended])
        #expect(report.path[1].transition == "$.category == \"billing\"")
        #expect(
            report.finalData == [
                "ticket": ["text": "refund please"], "category": "billing",
                "draft": ["seen": ["text": "refund please"]],
            ]
        )
        #expect(report.states["other"] == nil)
        #expect(report.states["billing"] == WorkflowStateSummary(visits: 1, lastOutcome: .succeeded))
        #expect(report.transitions == 3)
        #expect(report.path[0].runs.first?.executionID != nil)
        #expect(report.definitionHash == definition.hash)
        #expect(report.version == "1")
        let decoded = try JSONValueDecoder().decode(WorkflowReport.self, from: try JSONValueEncoder().encode(report))
        #expect(decoded == report)
        #expect(report.schemaVersion == WorkflowReport.currentSchemaVersion)
    }

    @Test("A failing agent task takes its failure transition: handler runs once, the workflow succeeds")
    func taskFailureTransition() async throws {
        let handled = Counter()
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "a",
            states: [
                "a": agentTask("broken", output: "$.a", next: "done", onFailure: "handler"),
                "handler": agentTask("handler", output: "$.handled", next: "done"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: [:],
            registry: try workflowRegistry([failingAgent("broken"), constantAgent("handler", true, counter: handled)])
        )
        #expect(report.succeeded)
        #expect(handled.value == 1)
        #expect(report.statesTaken == ["a", "handler", "done"])
        #expect(report.path[0].outcome == .failed)
        #expect(report.path[0].transition == "failure")
        #expect(report.path[0].runs.first?.stopReason == "agentFailed")
        #expect(report.path[0].detail?.contains("broken broke") == true)
    }

    @Test("A tool task calls the tool once, governed; a failing tool and a missing input take the failure transition")
    func toolTasks() async throws {
        let calls = Counter()
        let tools: [any Tool] = [
            countingTool("lookup", calls),
            ClosureTool(name: "explode", description: "Fails.", parameters: .any) { _ in
                throw ToolError(code: .toolFailed, tool: "explode", message: "boom")
            },
        ]
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "look",
            states: [
                "look": .task(
                    WorkflowTaskState(
                        .tool("lookup"),
                        input: "$.query",
                        output: "$.found",
                        next: "explode",
                        onFailure: "failed"
                    )
                ),
                "explode": .task(
                    WorkflowTaskState(.tool("explode"), output: "$.x", next: "failed", onFailure: "missing")
                ),
                // Validation accepts the path (this state writes it), but the data does not hold it yet.
                "missing": .task(
                    WorkflowTaskState(
                        .tool("lookup"),
                        input: "$.later",
                        output: "$.later",
                        next: "failed",
                        onFailure: "done"
                    )
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator(tools: tools).run(
            workflow: definition,
            data: ["query": ["id": 1]],
            registry: WorkflowRegistry()
        )
        #expect(report.succeeded)
        #expect(calls.value == 1)
        #expect(report.finalData["found"] == ["id": 1])
        #expect(report.path.map(\.outcome) == [.succeeded, .failed, .failed, .ended])
        #expect(report.path[1].runs.first?.stopReason == "toolFailed")
        #expect(report.path[2].runs.first?.stopReason == "missingInput")
        #expect(report.path[2].runs.first?.executionID == nil)
    }

    @Test(
        "A sub-workflow task runs the registered workflow on its input; its final data is the output; its failure fails the task"
    )
    func subWorkflow() async throws {
        let child = WorkflowDefinition(
            name: "child",
            version: "1",
            initialState: "work",
            states: [
                "work": agentTask("echo", output: "$.echoed", next: "end"), "end": succeededEnd, "failed": failedEnd,
            ]
        )
        let failingChild = WorkflowDefinition(
            name: "failing",
            version: "1",
            initialState: "end",
            states: ["end": .end(WorkflowEndState(.failed, reason: "no"))]
        )
        let definition = WorkflowDefinition(
            name: "parent",
            version: "1",
            initialState: "sub",
            states: [
                "sub": .task(
                    WorkflowTaskState(
                        .workflow("child"),
                        input: "$.order",
                        output: "$.result",
                        next: "bad",
                        onFailure: "failed"
                    )
                ),
                "bad": .task(
                    WorkflowTaskState(.workflow("failing"), output: "$.bad", next: "failed", onFailure: "done")
                ),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: ["order": ["id": 9]],
            registry: try workflowRegistry([echoAgent("echo")], workflows: [child, failingChild])
        )
        #expect(report.succeeded)
        #expect(report.finalData["result"] == ["id": 9, "echoed": ["seen": ["id": 9]]])
        #expect(report.path[1].outcome == .failed)
        #expect(report.path[1].runs.first?.stopReason == "failed")
    }

    static func parallel(_ join: WorkflowParallelState.Join, _ agents: [String]) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "p",
            version: "1",
            initialState: "fan",
            states: [
                "fan": .parallel(
                    WorkflowParallelState(
                        agents.map { WorkflowParallelState.Branch($0, .agent($0)) },
                        join: join,
                        output: "$.joined",
                        next: "done",
                        onFailure: "handler"
                    )
                ),
                "handler": agentTask("ok", output: "$.handled", next: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
    }

    @Test("Parallel joins: all succeeds with every output, any keeps the succeeded ones, firstSuccess takes one")
    func parallelJoins() async throws {
        let registry = try workflowRegistry([
            constantAgent("ok", 1), constantAgent("ok2", 2), failingAgent("bad"), failingAgent("bad2"),
        ])
        let orchestrator = try makeOrchestrator()
        let all = try await orchestrator.run(
            workflow: Self.parallel(.all, ["ok", "ok2"]),
            data: [:],
            registry: registry
        )
        #expect(all.succeeded)
        #expect(all.finalData["joined"] == ["ok": 1, "ok2": 2])
        let any = try await orchestrator.run(
            workflow: Self.parallel(.any, ["ok", "bad"]),
            data: [:],
            registry: registry
        )
        #expect(any.succeeded)
        #expect(any.finalData["joined"] == ["ok": 1])
        #expect(Set(any.path[0].runs.map(\.succeeded)) == [true, false])
        let first = try await orchestrator.run(
            workflow: Self.parallel(.firstSuccess, ["bad", "ok"]),
            data: [:],
            registry: registry
        )
        #expect(first.succeeded)
        #expect(first.finalData["joined"] == ["ok": 1])
    }

    @Test("Parallel failure transitions: all with one failure, any with all failed, firstSuccess with all failed")
    func parallelFailures() async throws {
        let registry = try workflowRegistry([constantAgent("ok", 1), failingAgent("bad"), failingAgent("bad2")])
        let orchestrator = try makeOrchestrator()
        for (join, agents) in [
            (WorkflowParallelState.Join.all, ["ok", "bad"]), (.any, ["bad", "bad2"]), (.firstSuccess, ["bad", "bad2"]),
        ] {
            let report = try await orchestrator.run(
                workflow: Self.parallel(join, agents),
                data: [:],
                registry: registry
            )
            #expect(report.statesTaken == ["fan", "handler", "failed"], "join \(join)")
            #expect(report.path[0].outcome == .failed, "join \(join)")
            #expect(report.path[0].transition == "failure", "join \(join)")
            #expect(report.stopReason.kind == .failed)
        }
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
                        // Shorter than the default policy's 300 s workflow timeout, or start refuses it.
                        timeout: .seconds(240),
                        output: "$.got",
                        next: "done",
                        onTimeout: "late",
                        onDenied: "denied"
                    )
                ),
                "done": succeededEnd,
                "late": .end(WorkflowEndState(.failed, reason: "nobody answered")),
                "denied": .end(WorkflowEndState(.failed, reason: "denied")),
            ]
        )
    }

    @Test("A wait takes its signal: only the awaited name is accepted, the payload is written, the timer is dropped")
    func waitForSignal() async throws {
        try await withWatchdog("a wait takes its signal") {
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(workflow: Self.waiting(.signal("reply")), data: [:])
            #expect(await handle.waitUntilWaiting() == .waiting(state: "hold", for: .signal("reply")))
            #expect(await handle.signal("other", payload: 1) == false)
            #expect(await handle.approve() == false)
            #expect(await handle.signal("reply", payload: ["text": "thanks"]))
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "done"))
            #expect(report.finalData == ["got": ["text": "thanks"]])
            #expect(report.path[0].outcome == .signalled)
            #expect(await handle.signal("reply") == false)
        }
    }

    @Test("An approval wait: approve takes next with the decision written, deny takes onDenied")
    func waitForApproval() async throws {
        try await withWatchdog("approval waits decide") {
            let orchestrator = try makeOrchestrator()
            let approved = try orchestrator.start(workflow: Self.waiting(.approval(prompt: "ok?")), data: [:])
            _ = await approved.waitUntilWaiting()
            #expect(await approved.signal("reply") == false)
            #expect(await approved.approve(reason: "fine"))
            let yes = await approved.report
            #expect(yes.succeeded)
            #expect(yes.finalData == ["got": ["approved": true, "reason": "fine"]])
            let denied = try orchestrator.start(workflow: Self.waiting(.approval(prompt: "ok?")), data: [:])
            _ = await denied.waitUntilWaiting()
            #expect(await denied.deny(reason: "too expensive"))
            let no = await denied.report
            #expect(no.stopReason == WorkflowStopReason(.failed, state: "denied", reason: "denied"))
            #expect(no.path[0].outcome == .denied)
            #expect(no.path[0].detail == "too expensive")
        }
    }

    @Test("A wait times out on the injected clock, holding no thread, and takes its timeout transition")
    func waitTimeout() async throws {
        try await withWatchdog("a wait times out on the manual clock") {
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: Self.waiting(.signal("reply")),
                data: [:],
                policy: try StrictPolicy(timeout: .seconds(7200))
            )
            _ = await handle.waitUntilWaiting()
            // The wait's timer and the workflow's deadline sleep on the clock.
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .seconds(239))
            #expect(handle.status == .waiting(state: "hold", for: .signal("reply")))
            clock.advance(by: .seconds(1))
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.failed, state: "late", reason: "nobody answered"))
            #expect(report.path[0].outcome == .timedOut)
            #expect(report.path[0].transition == "timeout")
            #expect(report.durationNanoseconds == Nanoseconds(.seconds(240)))
        }
    }

    @Test("The workflow deadline ends a wait that began too late to time out itself, at the deadline")
    func deadline() async throws {
        try await withWatchdog("the deadline ends the workflow") {
            // Each wait is shorter than the 10 s workflow timeout (start refuses one that is not), but the second
            // begins at 6 s, so the deadline at 10 s comes before its own timeout at 12 s.
            let twoWaits = WorkflowDefinition(
                name: "wait",
                version: "1",
                initialState: "first",
                states: [
                    "first": .wait(
                        WorkflowWaitState(.signal("go"), timeout: .seconds(6), next: "done", onTimeout: "hold")
                    ),
                    "hold": .wait(
                        WorkflowWaitState(.signal("reply"), timeout: .seconds(6), next: "done", onTimeout: "late")
                    ),
                    "done": succeededEnd,
                    "late": .end(WorkflowEndState(.failed, reason: "nobody answered")),
                ]
            )
            let clock = ManualClock()
            let handle = try makeOrchestrator(clock: clock).start(
                workflow: twoWaits,
                data: [:],
                policy: try StrictPolicy(timeout: .seconds(10))
            )
            _ = await handle.waitUntilWaiting()
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .seconds(6))
            // The first wait's timer fired; the second's and the deadline sleep.
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .seconds(4))
            let report = await handle.report
            #expect(report.stopReason.kind == .timedOut)
            #expect(report.stopReason.state == "hold")
            #expect(report.path.map(\.outcome) == [.timedOut, .stopped])
        }
    }

    static let loop = WorkflowDefinition(
        name: "loop",
        version: "1",
        initialState: "work",
        states: [
            "work": agentTask("counter", output: "$.n", next: "check"),
            "check": .decision(WorkflowDecisionState([.init(.equals("$.n", 3), next: "done")], default: "work")),
            "done": succeededEnd, "failed": failedEnd,
        ]
    )

    static func countingAgent(_ counter: Counter) -> ClosureAgent {
        ClosureAgent(name: "counter") { _, _ in
            counter.increment()
            return .integer(Int64(counter.value))
        }
    }

    @Test("A loop revisits and re-executes its states; the visit cap stops an endless loop naming the state")
    func visitCap() async throws {
        let runs = Counter()
        let orchestrator = try makeOrchestrator()
        let report = try await orchestrator.run(
            workflow: Self.loop,
            data: [:],
            registry: try workflowRegistry([Self.countingAgent(runs)])
        )
        #expect(report.succeeded)
        #expect(runs.value == 3)
        #expect(report.states["work"]?.visits == 3)

        var endless = Self.loop
        endless.states["check"] = .decision(
            WorkflowDecisionState([.init(.equals("$.n", -1), next: "done")], default: "work")
        )
        endless.maxVisitsPerState = 4
        let endlessRuns = Counter()
        let stopped = try await orchestrator.run(
            workflow: endless,
            data: [:],
            registry: try workflowRegistry([Self.countingAgent(endlessRuns)])
        )
        #expect(stopped.stopReason.kind == .visitCapReached)
        #expect(stopped.stopReason.state == "work")
        #expect(stopped.stopReason.limit == 4)
        #expect(endlessRuns.value == 4)
        #expect(stopped.states["work"]?.visits == 4)
    }

    @Test("The policy's transition limit stops a loop the visit caps allow")
    func transitionLimit() async throws {
        var endless = Self.loop
        endless.states["check"] = .decision(
            WorkflowDecisionState([.init(.equals("$.n", -1), next: "done")], default: "work")
        )
        endless.maxVisitsPerState = 1_000
        let runs = Counter()
        let report = try await makeOrchestrator().run(
            workflow: endless,
            data: [:],
            registry: try workflowRegistry([Self.countingAgent(runs)]),
            policy: try StrictPolicy(maxWorkflowTransitions: 5)
        )
        #expect(report.stopReason.kind == .transitionLimitReached)
        #expect(report.stopReason.limit == 5)
        #expect(report.transitions == 5)
        #expect(runs.value == 3)
        #expect(StrictPolicy().maxWorkflowTransitions == StrictPolicy.Defaults.maxWorkflowTransitions)
    }

    @Test(
        "maxWorkflowTransitions: encoded only when not the default (old policy hashes hold), round-trips, not negative"
    )
    func transitionLimitField() throws {
        let plain = try JSONValueEncoder().encode(StrictPolicy())
        #expect(plain["maxWorkflowTransitions"] == nil)
        let limited = try StrictPolicy(maxWorkflowTransitions: 7)
        let encoded = try JSONValueEncoder().encode(limited)
        #expect(encoded["maxWorkflowTransitions"] == 7)
        #expect(try JSONValueDecoder().decode(StrictPolicy.self, from: encoded) == limited)
        #expect(StrictPolicy().tightened(by: limited).maxWorkflowTransitions == 7)
        #expect(throws: PolicyError.self) { try StrictPolicy(maxWorkflowTransitions: -1) }
    }

    @Test(
        "One workflow ledger: the policy's step limit covers all task runs together, and the overrun takes the failure edge"
    )
    func sharedLedger() async throws {
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "one",
            states: [
                "one": agentTask("a", output: "$.one", next: "two"),
                "two": agentTask("b", output: "$.two", next: "done", onFailure: "failed"),
                "done": succeededEnd, "failed": failedEnd,
            ]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: [:],
            registry: try workflowRegistry([constantAgent("a", 1), constantAgent("b", 2)]),
            policy: try StrictPolicy(maxSteps: 1)
        )
        #expect(report.statesTaken == ["one", "two", "failed"])
        #expect(report.path[1].runs.first?.stopReason == "policyViolation")
        #expect(report.ledger.first { $0.budget == BudgetKind.steps.name }?.used == 1)
    }

    @Test("Pause acts at the next state boundary: the running task ends, the next state waits for resume")
    func pauseAndResume() async throws {
        try await withWatchdog("pause holds the next state back") {
            let release = Signal()
            let started = Signal()
            let secondRuns = Counter()
            let slow = ClosureAgent(name: "slow") { _, _ in
                started.fire()
                await release.wait()
                return 1
            }
            let definition = WorkflowDefinition(
                name: "w",
                version: "1",
                initialState: "one",
                states: [
                    "one": agentTask("slow", output: "$.one", next: "two"),
                    "two": agentTask("second", output: "$.two", next: "done"),
                    "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let handle = try makeOrchestrator().start(
                workflow: definition,
                data: [:],
                registry: try workflowRegistry([slow, constantAgent("second", 2, counter: secondRuns)])
            )
            await started.wait()
            #expect(await handle.pause())
            #expect(await handle.pause() == false)
            release.fire()
            #expect(await handle.waitUntilWaiting() == .paused(before: "two"))
            #expect(secondRuns.value == 0)
            #expect(await handle.resume())
            let report = await handle.report
            #expect(report.succeeded)
            #expect(secondRuns.value == 1)
            #expect(await handle.resume() == false)
        }
    }

    @Test("Cancel ends a waiting workflow as cancelled; a finished workflow refuses cancel")
    func cancel() async throws {
        try await withWatchdog("cancel ends the workflow") {
            let handle = try makeOrchestrator().start(workflow: Self.waiting(.signal("reply")), data: [:])
            _ = await handle.waitUntilWaiting()
            #expect(await handle.cancel())
            let report = await handle.report
            #expect(report.stopReason == WorkflowStopReason(.cancelled, state: "hold"))
            #expect(report.path[0].outcome == .stopped)
            #expect(await handle.cancel() == false)
        }
    }

    @Test("Cancel during a task cancels its governed run")
    func cancelRunningTask() async throws {
        try await withWatchdog("cancel reaches the running task") {
            let started = Signal()
            let hanging = ClosureAgent(name: "hang") { _, _ in
                started.fire()
                try await Task.sleep(for: .seconds(3600))
                return 1
            }
            let definition = WorkflowDefinition(
                name: "w",
                version: "1",
                initialState: "one",
                states: [
                    "one": agentTask("hang", output: "$.x", next: "done"), "done": succeededEnd, "failed": failedEnd,
                ]
            )
            let handle = try makeOrchestrator().start(
                workflow: definition,
                data: [:],
                registry: try workflowRegistry([hanging])
            )
            await started.wait()
            #expect(await handle.cancel())
            let report = await handle.report
            #expect(report.stopReason.kind == .cancelled)
            #expect(report.path[0].outcome == .stopped)
        }
    }
}
