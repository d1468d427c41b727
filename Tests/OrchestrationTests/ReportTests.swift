import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import FoundationEssentials
import Testing

@Suite("Execution reports", .timeLimit(.suite))
struct ReportTests {
    func sampleRun() async throws -> ExecutionReport {
        let clock = ManualClock()
        let orchestrator = try Orchestrator(
            tools: [countingTool("echo", Counter())],
            clock: clock,
            idGenerator: .seeded(42)
        )
        let agent = ScriptedAgent(
            name: "reporter",
            steps: [
                [.callTool("echo", arguments: ["b": 2, "a": [true, nil, 1.5]]), .sleep(.milliseconds(5))],
                [
                    .useModel(
                        estimate: ModelUsage(inputTokens: 10),
                        actual: ModelUsage(inputTokens: 7, outputTokens: 2, cost: 3)
                    )
                ],
            ],
            reviews: [.revise(feedback: "again")]
        )
        async let report = orchestrator.run(agent, task: ["topic": "swift"], metadata: ["user": "u1"])
        for _ in 0..<2 {
            await clock.waitForSleepers(count: 2)
            clock.advance(by: .milliseconds(5))
        }
        return await report
    }

    @Test("Two identical runs on a manual clock with a seeded id generator encode to byte-identical JSON")
    func byteIdentical() async throws {
        let first = try await sampleRun()
        let second = try await sampleRun()
        #expect(first.stopReason == .completed)
        #expect(first.jsonText() == second.jsonText())
        #expect(first.jsonText(prettyPrinted: true) == second.jsonText(prettyPrinted: true))
        #expect(first.durationNanoseconds == Nanoseconds(.milliseconds(10)))
    }

    @Test("Reports round-trip through JSON, and durations are bare integer nanoseconds")
    func roundTrip() async throws {
        let report = try await sampleRun()
        let value = try JSONValue(parsing: report.jsonText())
        #expect(value["durationNanoseconds"] == .integer(10_000_000))
        #expect(value["steps"]?[0]?["endNanoseconds"] == .integer(5_000_000))
        #expect(value["status"] == "succeeded")
        #expect(value["stopReason"] == ["kind": "completed"])
        #expect(value["schemaVersion"] == 1)
        // A null output stays null (not "absent") through the round trip.
        #expect(report.finalOutput == .null)
        #expect(try value.decode(as: ExecutionReport.self) == report)
        // Foundation's coders agree.
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(ExecutionReport.self, from: data) == report)
    }

    @Test(
        "Every stop reason is in the report, with its status",
        arguments: [
            (StopReason.completed, RunStatus.succeeded), (.rejected(reason: "r"), .failed),
            (.policyViolation(violation: PolicyViolation(limit: .maxSteps, limitValue: 1, attempted: 2)), .failed),
            (.timedOut(timeout: Nanoseconds(rawValue: 5)), .timedOut), (.cancelled, .cancelled),
            (.agentFailed(error: ErrorRecord(type: "E", message: "m")), .failed),
            (.toolFailed(error: ErrorRecord(type: "E", message: "m")), .failed),
            (
                .policyViolation(violation: PolicyViolation(limit: .maxSteps, limitValue: 1, attempted: 2), node: "n"),
                .failed
            ),
            (.nodeFailed(node: "n"), .failed), (.shutdown, .cancelled),
        ]
    )
    func stopReasons(reason: StopReason, status: RunStatus) throws {
        #expect(reason.status == status)
        let value = try JSONValueEncoder().encode(reason)
        #expect(value["kind"] == .string(reason.code))
        #expect(try JSONValueDecoder().decode(StopReason.self, from: value) == reason)
    }

    @Test("The ledger table has a line for every budget, and the time line")
    func ledgerTable() async throws {
        let report = try await sampleRun()
        #expect(
            report.ledger.map(\.budget) == [
                "steps", "tokens", "inputTokens", "outputTokens", "toolCalls", "toolCalls[echo]", "repeatedToolCalls",
                "cost",
                "revisions", "refusedToolCalls", "modelCalls", "handoffs", "timeNanoseconds",
            ]
        )
        #expect(report.ledger.first { $0.budget == "revisions" }?.used == 1)
        #expect(report.ledger.first { $0.budget == "tokens" }?.used == 18)
        #expect(report.totals.usage == ModelUsage(inputTokens: 14, outputTokens: 4, cost: 6))
        #expect(report.steps.count == 4)
        #expect(report.steps[2].revision == 1)
    }
}
