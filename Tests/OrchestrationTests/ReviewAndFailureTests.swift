import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

struct PlainError: Error, CustomStringConvertible {
    var description: String { "plain failure" }
}

@Suite("Review, failures and errors", .timeLimit(.suite))
struct ReviewAndFailureTests {
    @Test("Review revise goes back to PLAN with feedback; accept ends the run with the output")
    func reviseThenAccept() async throws {
        let plans = Counter()
        let agent = ClosureAgent(
            name: "writer",
            plan: { request, _ in
                plans.increment()
                return [AgentStep(request.feedback ?? request.task)]
            },
            review: { request, _ in
                request.revision < 2
                    ? .revise(feedback: .string("try \(request.revision + 2)")) : .accept(output: "final")
            },
            execute: { step, _ in step.input }
        )
        let report = try await makeOrchestrator().run(agent, task: "draft", policy: try StrictPolicy(maxRevisions: 2))
        #expect(report.stopReason == .completed)
        #expect(report.finalOutput == "final")
        #expect(plans.value == 3)
        #expect(report.totals.revisions == 2)
        #expect(report.stepOutputs == ["draft", "try 2", "try 3"])
        #expect(
            report.history.map(\.phase) == [
                .initial, .planning, .executing, .reviewing, .planning, .executing, .reviewing, .planning, .executing,
                .reviewing, .terminated,
            ]
        )
    }

    @Test(
        "The revision bound: maxRevisions N allows N revisions; the (N+1)th stops the run",
        arguments: [Int64(0), 1, 3]
    )
    func revisionBound(limit: Int64) async throws {
        let plans = Counter()
        let agent = ClosureAgent(
            name: "perfectionist",
            plan: { request, _ in
                plans.increment()
                return [AgentStep(.integer(Int64(request.revision)))]
            },
            review: { _, _ in .revise(feedback: "again") },
            execute: { step, _ in step.input }
        )
        let report = try await makeOrchestrator().run(agent, task: nil, policy: try StrictPolicy(maxRevisions: limit))
        #expect(plans.value == Int(limit) + 1)
        #expect(
            report.stopReason.violation
                == PolicyViolation(limit: .maxRevisions, limitValue: limit, attempted: limit + 1)
        )
        #expect(report.stepOutputs.count == Int(limit) + 1)
    }

    @Test("Review reject ends the run with its own stop reason")
    func reject() async throws {
        let agent = ScriptedAgent(
            name: "critic",
            steps: [[.output("weak")]],
            reviews: [.reject(reason: "not good enough")]
        )
        let report = try await makeOrchestrator().run(agent, task: nil)
        #expect(report.stopReason == .rejected(reason: "not good enough"))
        #expect(report.status == .failed)
        #expect(report.finalOutput == nil)
        #expect(report.stepOutputs == ["weak"])
    }

    @Test("A throwing agent ends with agentFailed and keeps earlier outputs")
    func throwingAgent() async throws {
        let agent = ScriptedAgent(name: "fragile", steps: [[.output("ok")], [.fail("boom")], [.output("never")]])
        let report = try await makeOrchestrator().run(agent, task: nil)
        let failure = String(reflecting: ScriptedAgent.ScriptedFailure.self)
        #expect(report.stopReason == .agentFailed(error: ErrorRecord(type: failure, message: "boom")))
        #expect(report.stepOutputs == ["ok"])
        #expect(report.steps.map(\.status) == [.completed, .failed])
        #expect(report.steps[1].error?.message == "boom")
    }

    @Test("A throwing plan or review ends with agentFailed")
    func throwingPlanAndReview() async throws {
        let badPlan = ClosureAgent(name: "p", plan: { _, _ in throw PlainError() }, execute: { _, _ in nil })
        let planReport = try await makeOrchestrator().run(badPlan, task: nil)
        #expect(
            planReport.stopReason
                == .agentFailed(
                    error: ErrorRecord(type: "AgentOrchestrationTests.PlainError", message: "plain failure")
                )
        )
        #expect(planReport.steps.isEmpty)
        let badReview = ClosureAgent(name: "r", review: { _, _ in throw PlainError() }, execute: { _, _ in 1 })
        let reviewReport = try await makeOrchestrator().run(badReview, task: nil)
        #expect(reviewReport.stopReason.code == "agentFailed")
        #expect(reviewReport.stepOutputs == [1])
    }

    @Test("A tool error the agent lets escape ends with toolFailed; one it handles does not")
    func toolFailures() async throws {
        let flaky = ClosureTool(name: "flaky", description: "Always fails.") { _ in throw PlainError() }
        let orchestrator = try makeOrchestrator(tools: [flaky])
        let escaped = await orchestrator.run(toolCaller("flaky", calls: 1), task: nil)
        guard case .toolFailed(let record) = escaped.stopReason else {
            Issue.record("expected toolFailed, got \(escaped.stopReason)")
            return
        }
        #expect(record.tool == "flaky")
        #expect(record.code == "toolFailed")
        #expect(escaped.steps[0].toolCalls[0].status == .failed)

        let handler = ClosureAgent(name: "careful") { _, context in
            do {
                _ = try await context.callTool("flaky")
                return "unexpected"
            } catch let error as ToolError {
                return .string(error.code.rawValue)
            }
        }
        let handled = await orchestrator.run(handler, task: nil)
        #expect(handled.stopReason == .completed)
        #expect(handled.finalOutput == "toolFailed")
        #expect(handled.totals.failedToolCalls == 1)
    }

    @Test("An unknown tool gives a typed error naming it and listing the registered ones")
    func unknownTool() async throws {
        let orchestrator = try makeOrchestrator(tools: [
            countingTool("beta", Counter()), countingTool("alpha", Counter()),
        ])
        let agent = ClosureAgent(name: "lost") { _, context in
            do {
                _ = try await context.callTool("gamma")
                return nil
            } catch let error as ToolError {
                return [
                    "code": .string(error.code.rawValue), "tool": .string(error.tool),
                    "registered": .array((error.registeredTools ?? []).map { .string($0) }),
                ]
            }
        }
        let report = await orchestrator.run(agent, task: nil)
        #expect(report.finalOutput == ["code": "unknownTool", "tool": "gamma", "registered": ["alpha", "beta"]])
        #expect(report.totals.refusedToolCalls == 1)
    }

    @Test("Duplicate tool registrations are refused, naming what is registered")
    func duplicateTools() throws {
        let error = try #require(throws: ToolError.self) {
            try Orchestrator(tools: [countingTool("a", Counter()), countingTool("a", Counter())])
        }
        #expect(error.code == .duplicateTool)
        #expect(error.registeredTools == ["a"])
        let badName = try #require(throws: ToolError.self) {
            try Orchestrator(tools: [countingTool("bad name", Counter())])
        }
        #expect(badName.code == .invalidToolName)
    }

    @Test("A reused orchestrator shares no state between runs")
    func reusedOrchestrator() async throws {
        let orchestrator = try makeOrchestrator()
        let calls = Counter()
        let agent = ClosureAgent(name: "echo") { step, _ in
            calls.increment()
            return step.input
        }
        let first = await orchestrator.run(agent, task: "one")
        let second = await orchestrator.run(agent, task: "two")
        #expect(calls.value == 2)
        #expect(first.finalOutput == "one")
        #expect(second.finalOutput == "two")
        #expect(first.executionID != second.executionID)
    }

    @Test("Metadata reaches the agent's context and the report unchanged")
    func metadata() async throws {
        let agent = ClosureAgent(name: "meta") { _, context in .object(context.metadata) }
        let report = try await makeOrchestrator().run(agent, task: nil, metadata: ["tenant": "acme", "n": 1])
        #expect(report.finalOutput == ["tenant": "acme", "n": 1])
        #expect(report.metadata == ["tenant": "acme", "n": 1])
    }

    @Test(
        "Any JSON value is an output: object, number, false, empty string, null",
        arguments: [
            JSONValue.object(["a": [1, 2]]), 3, false, "", .null, [],
        ]
    )
    func anyOutput(value: JSONValue) async throws {
        let report = try await makeOrchestrator().run(ClosureAgent(name: "v") { step, _ in step.input }, task: value)
        #expect(report.stopReason == .completed)
        #expect(report.finalOutput == value)
    }
}
