import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import FoundationEssentials
import Testing

/// The reports' JSON schema: flat enums with a `kind`, `schemaVersion`, and exact round trips through `jsonText`.
@Suite("Report JSON", .timeLimit(.suite))
struct ReportJSONTests {
    static let violation = PolicyViolation(limit: .maxToolCalls, limitValue: 3, attempted: 4, tool: "search")

    /// Every stop reason, with the payloads the reports carry.
    static let stopReasons: [StopReason] = [
        .completed, .rejected(reason: "too short"), .policyViolation(violation: violation),
        .policyViolation(violation: violation, node: "draft"), .timedOut(timeout: Nanoseconds(.milliseconds(100))),
        .cancelled,
        .agentFailed(error: ErrorRecord(type: "E", message: "boom", code: "x", isRetryable: true)),
        .toolFailed(
            error: ErrorRecord(
                type: "ToolError",
                message: "down",
                code: "toolFailed",
                tool: "search",
                retryAfterNanoseconds: Nanoseconds(rawValue: 7)
            )
        ),
        .nodeFailed(node: "polish"), .shutdown,
        .invalidPolicy(error: ErrorRecord(type: "ToolError", message: "unknown tool", code: "unknownTool")),
        .awaitingApproval(tool: "payments.send", callID: "pay#9"),
        .journalFailed(error: ErrorRecord(type: "DurableRunError", message: "store down", code: "storeFailed")),
    ]

    @Test("Stop reasons encode flat: a kind and the payload's fields beside it")
    func flatStopReasons() throws {
        #expect(try JSONValue(encoding: StopReason.completed) == ["kind": "completed"])
        #expect(
            try JSONValue(encoding: StopReason.timedOut(timeout: Nanoseconds(.milliseconds(100))))
                == ["kind": "timedOut", "timeoutNanoseconds": 100_000_000]
        )
        #expect(
            try JSONValue(encoding: StopReason.policyViolation(violation: Self.violation, node: "draft"))
                == [
                    "kind": "policyViolation", "limit": "maxToolCalls", "limitValue": 3, "attempted": 4,
                    "tool": "search", "message": .string(Self.violation.message), "node": "draft",
                ]
        )
        #expect(
            try JSONValue(encoding: StopReason.agentFailed(error: ErrorRecord(type: "E", message: "m")))
                == ["kind": "agentFailed", "type": "E", "message": "m", "isRetryable": false]
        )
        #expect(try JSONValue(encoding: StopReason.nodeFailed(node: "n")) == ["kind": "nodeFailed", "node": "n"])
        #expect(try JSONValue(encoding: StopReason.rejected(reason: "r")) == ["kind": "rejected", "reason": "r"])
    }

    @Test("Every stop reason round-trips through the library's coders and its JSON text", arguments: stopReasons)
    func stopReasonRoundTrip(reason: StopReason) throws {
        let value = try JSONValue(encoding: reason)
        #expect(value["kind"] == .string(reason.code))
        #expect(try value.decode(as: StopReason.self) == reason)
        #expect(try JSONValue(parsing: value.jsonText()).decode(as: StopReason.self) == reason)
        // Foundation's coders read and write the same flat shape.
        let data = try JSONEncoder().encode(reason)
        #expect(try JSONValue(parsing: String(decoding: data, as: UTF8.self)) == value)
        #expect(try JSONDecoder().decode(StopReason.self, from: data) == reason)
    }

    @Test("The stop reasons listed in allCodes are exactly the codes of the cases")
    func allCodes() {
        #expect(Self.stopReasons.map(\.code).uniqued() == StopReason.allCodes)
    }

    @Test("An unknown stop reason kind is a DecodingError naming the kind")
    func unknownStopReason() throws {
        let error = try #require(throws: DecodingError.self) {
            try (["kind": "exploded"] as JSONValue).decode(as: StopReason.self)
        }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription.contains(#"unknown StopReason kind "exploded""#))
        #expect(context.codingPath.map(\.stringValue) == ["kind"])
    }

    /// One event of every kind.
    static func allEventKinds() async throws -> [OrchestrationEvent.Kind] {
        let report = try await ReportTests().sampleRun()
        var graph = AgentGraph()
        graph.add("only", agent: labeller("only"))
        let graphReport = try await makeOrchestrator().run(graph, task: "t")
        return [
            .runStarted(agent: "a", task: ["topic": "swift"]), .stateEntered(.planning),
            .stepStarted(index: 0, revision: 1), .stepFinished(index: 0, status: .interrupted),
            .toolCallStarted(tool: "echo", arguments: ["a": [1, 2.5, nil]]),
            .toolCallFinished(tool: "echo", status: .refused), .toolCallRefused(tool: "x", reason: "unknown"),
            .toolProgress(tool: "fetch", progress: 2, total: 4.5, message: "half"),
            .usageRecorded(ModelUsage(inputTokens: 3, outputTokens: 4, cost: 5)), .policyViolation(violation),
            .runFinished(report), .nodeStarted(attempt: 2),
            .nodeRetrying(failedAttempt: 1, delayNanoseconds: Nanoseconds(.milliseconds(100))),
            .nodeWaitingForSlot(agent: "writer"), .nodeFinished(status: .skipped), .graphFinished(graphReport),
            .modelCallStarted(model: "m", attempt: 2, maximumOutputTokens: 512),
            .modelDelta(.toolCallFragment(index: 0, id: "c1", name: "echo", arguments: "{\"a\"")),
            .modelCallFinished(
                model: "m",
                attempt: 1,
                status: .succeeded,
                usage: ModelUsage(inputTokens: 10, outputTokens: 3, cost: 7)
            ),
            .modelCallRetrying(model: "m", failedAttempt: 1, delayNanoseconds: Nanoseconds(.seconds(2))),
        ]
    }

    @Test("Model-call events encode flat: the delta nests under \"delta\", usage under \"usage\"")
    func modelEventsAreFlat() throws {
        let delta = try JSONValue(encoding: OrchestrationEvent.Kind.modelDelta(.response("Hel")))
        #expect(delta == ["kind": "modelDelta", "delta": ["kind": "response", "text": "Hel"]])
        let finished = try JSONValue(
            encoding: OrchestrationEvent.Kind.modelCallFinished(
                model: "m",
                attempt: 1,
                status: .refused,
                usage: .zero
            )
        )
        #expect(finished["status"] == "refused")
        #expect(finished["usage"]?["outputTokens"] == 0)
        let retrying = try JSONValue(
            encoding: OrchestrationEvent.Kind.modelCallRetrying(
                model: "m",
                failedAttempt: 2,
                delayNanoseconds: Nanoseconds(.seconds(1))
            )
        )
        #expect(
            retrying == [
                "kind": "modelCallRetrying", "model": "m", "failedAttempt": 2, "delayNanoseconds": 1_000_000_000,
            ]
        )
    }

    @Test("Events encode flat, with the kind's fields beside the event's, and round-trip")
    func flatEvents() async throws {
        let kinds = try await Self.allEventKinds()
        #expect(kinds.map(\.name) == OrchestrationEvent.Kind.allNames)
        for (index, kind) in kinds.enumerated() {
            let event = OrchestrationEvent(
                executionID: "run-1",
                nodeID: index.isMultiple(of: 2) ? "n" : nil,
                sequence: Int64(index + 1),
                atNanoseconds: Nanoseconds(rawValue: Int64(index)),
                kind: kind
            )
            let value = try JSONValue(encoding: event)
            #expect(value["kind"] == .string(kind.name))
            #expect(value["sequence"] == .integer(Int64(index + 1)))
            #expect(try value.decode(as: OrchestrationEvent.self) == event)
            #expect(try JSONValue(parsing: value.jsonText()).decode(as: OrchestrationEvent.Kind.self) == kind)
            #expect(try JSONDecoder().decode(OrchestrationEvent.self, from: JSONEncoder().encode(event)) == event)
        }
        let started = OrchestrationEvent(
            executionID: "run-1",
            nodeID: nil,
            sequence: 3,
            atNanoseconds: .zero,
            kind: .stepStarted(index: 0, revision: 0)
        )
        #expect(
            try JSONValue(encoding: started)
                == [
                    "executionID": "run-1", "sequence": 3, "atNanoseconds": 0, "kind": "stepStarted", "index": 0,
                    "revision": 0,
                ]
        )
        #expect(
            try JSONValue(encoding: OrchestrationEvent.Kind.usageRecorded(ModelUsage(inputTokens: 1)))
                == ["kind": "usageRecorded", "inputTokens": 1, "outputTokens": 0, "cost": 0]
        )
        #expect(
            try JSONValue(encoding: OrchestrationEvent.Kind.stateEntered(.reviewing)) == [
                "kind": "stateEntered", "phase": "REVIEW",
            ]
        )
    }

    @Test("An unknown event kind is a DecodingError naming the kind")
    func unknownEventKind() throws {
        let error = try #require(throws: DecodingError.self) {
            try (["kind": "stepSkipped", "index": 0] as JSONValue).decode(as: OrchestrationEvent.Kind.self)
        }
        #expect(String(describing: error).contains(#"unknown OrchestrationEvent.Kind kind "stepSkipped""#))
    }

    @Test("An execution report reads back from its JSON text, equal and byte-identical")
    func executionReportJSONText() async throws {
        let report = try await ReportTests().sampleRun()
        #expect(report.schemaVersion == 1)
        #expect(ExecutionReport.currentSchemaVersion == 1)
        for pretty in [false, true] {
            let text = report.jsonText(prettyPrinted: pretty)
            let decoded = try ExecutionReport(jsonText: text)
            #expect(decoded == report)
            #expect(decoded.jsonText(prettyPrinted: pretty) == text)
        }
    }

    @Test("Reports of runs that stop keep their stop reason, violations and interrupted records through JSON text")
    func stoppedReportsJSONText() async throws {
        try await withWatchdog(
            "a timed-out run returns its report without awaiting its sleeping agent (the deadline escape)"
        ) {
            let clock = ManualClock()
            let orchestrator = try Orchestrator(
                tools: [countingTool("echo", Counter())],
                clock: clock,
                idGenerator: .seeded(3)
            )
            let spammer = ScriptedAgent(
                name: "spammer",
                steps: [
                    [
                        .callTool("echo", arguments: 1), .callTool("echo", arguments: 2.0),
                        .callTool("echo", arguments: 3),
                    ]
                ]
            )
            let violated = await orchestrator.run(spammer, task: nil, policy: try StrictPolicy(maxToolCalls: 2))
            #expect(violated.stopReason.violation?.limit == .maxToolCalls)
            let slow = ScriptedAgent(name: "slow", steps: [[.output(-0.0)], [.sleep(.seconds(1)), .output("late")]])
            async let pending = orchestrator.run(slow, task: nil, policy: try StrictPolicy(timeout: .milliseconds(100)))
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(100))
            let timedOut = try await pending
            #expect(timedOut.stopReason == .timedOut(timeout: Nanoseconds(.milliseconds(100))))
            for report in [violated, timedOut] {
                let decoded = try ExecutionReport(jsonText: report.jsonText())
                #expect(decoded == report)
                #expect(decoded.jsonText() == report.jsonText())
            }
            // The library's own text form keeps a number that is integral, and negative zero, as numbers.
            #expect(try ExecutionReport(jsonText: timedOut.jsonText()).stepOutputs == [.number(-0.0)])
        }
    }

    @Test("Multi-agent and graph reports read back from their JSON text, equal and byte-identical")
    func teamAndGraphJSONText() async throws {
        let orchestrator = try makeOrchestrator()
        let team = try await orchestrator.run(
            [ClosureAgent(name: "a") { _, _ in 1 }, ClosureAgent(name: "b") { _, _ in .null }],
            task: "t",
            sharedBudget: SharedBudget(try BudgetLimits(maxSteps: 10))
        )
        #expect(team.schemaVersion == MultiAgentReport.currentSchemaVersion)
        let decodedTeam = try MultiAgentReport(jsonText: team.jsonText())
        #expect(decodedTeam == team)
        #expect(decodedTeam.jsonText(prettyPrinted: true) == team.jsonText(prettyPrinted: true))

        var graph = AgentGraph()
        graph.add("a", agent: ClosureAgent(name: "a") { _, _ in 2.0 })
        graph.add(
            "b",
            agent: ClosureAgent(name: "b") { _, _ in throw ToolError(code: .toolFailed, tool: "t", message: "x") }
        )
        graph.add("c", agent: ClosureAgent(name: "c") { _, _ in "c" }, dependsOn: ["a", "b"])
        let report = try await orchestrator.run(
            graph,
            task: "t",
            configuration: .init(failureMode: .continueIndependent)
        )
        #expect(report.stopReason == .nodeFailed(node: "b"))
        #expect(report.schemaVersion == AgentGraphReport.currentSchemaVersion)
        let decoded = try AgentGraphReport(jsonText: report.jsonText())
        #expect(decoded == report)
        #expect(decoded.jsonText() == report.jsonText())
    }

    @Test("A report of a newer schema version is refused with a clear error", arguments: [2, 99])
    func newerSchemaVersion(version: Int64) async throws {
        let report = try await ReportTests().sampleRun()
        guard case .object(var members) = try JSONValue(parsing: report.jsonText()) else {
            Issue.record("a report encodes as an object")
            return
        }
        members["schemaVersion"] = .integer(version)
        let text = JSONValue.object(members).jsonText()
        let error = try #require(throws: OrchestrationError.self) { try ExecutionReport(jsonText: text) }
        #expect(error.code == .unsupportedSchemaVersion)
        #expect(error.message.contains("schemaVersion \(version), newer than this library's 1"))
        // Through any decoder: a DecodingError with the same explanation.
        let decodingError = try #require(throws: DecodingError.self) {
            try JSONValue.object(members).decode(as: ExecutionReport.self)
        }
        #expect(String(describing: decodingError).contains("newer than this library's 1"))
        let newer = #"{"schemaVersion": \#(version)}"#
        let teamError = try #require(throws: OrchestrationError.self) { try MultiAgentReport(jsonText: newer) }
        #expect(teamError.code == .unsupportedSchemaVersion)
        #expect(teamError.name == "MultiAgentReport")
        let graphError = try #require(throws: OrchestrationError.self) { try AgentGraphReport(jsonText: newer) }
        #expect(graphError.code == .unsupportedSchemaVersion)
        #expect(graphError.name == "AgentGraphReport")
    }

    @Test("Text that is not JSON, or not a report, is an invalidReport error naming the place")
    func invalidReportText() async throws {
        let notJSON = try #require(throws: OrchestrationError.self) { try ExecutionReport(jsonText: "{\"a\": ") }
        #expect(notJSON.code == .invalidReport)
        #expect(notJSON.message.contains("not valid JSON"))

        let report = try await ReportTests().sampleRun()
        guard case .object(var members) = try JSONValue(parsing: report.jsonText()) else { return }
        members["stopReason"] = ["kind": "exploded"]
        let unknownKind = try #require(throws: OrchestrationError.self) {
            try ExecutionReport(jsonText: JSONValue.object(members).jsonText())
        }
        #expect(unknownKind.code == .invalidReport)
        #expect(unknownKind.message.contains(#"unknown StopReason kind "exploded""#))
        #expect(unknownKind.message.contains("at stopReason.kind"))

        members["stopReason"] = ["kind": "completed"]
        guard case .array(var steps)? = members["steps"], case .object(var step) = steps[0] else { return }
        step["status"] = "skipped"
        steps[0] = .object(step)
        members["steps"] = .array(steps)
        let badStatus = try #require(throws: OrchestrationError.self) {
            try ExecutionReport(jsonText: JSONValue.object(members).jsonText())
        }
        #expect(badStatus.message.contains("at steps[0].status"))

        let missing = try #require(throws: OrchestrationError.self) {
            try ExecutionReport(jsonText: #"{"schemaVersion": 1}"#)
        }
        #expect(missing.message.contains(#"key "executionID" is missing"#))
    }

    @Test("A lifecycle phase prints as its JSON name", arguments: LifecyclePhase.allCases)
    func phaseNames(phase: LifecyclePhase) throws {
        #expect("\(phase)" == phase.rawValue)
        #expect(try JSONValue(encoding: phase) == .string("\(phase)"))
    }

    @Test("Printed phases read INIT, PLAN, EXECUTE, REVIEW, TERMINATE")
    func phaseSpelling() {
        #expect(
            LifecyclePhase.allCases.map(String.init(describing:)) == ["INIT", "PLAN", "EXECUTE", "REVIEW", "TERMINATE"]
        )
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
