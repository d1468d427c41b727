import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

// The Swift snippets of the "Getting started" and "Report schema" articles, as written there apart from printing
// (each `print` becomes an expectation of what the article says it prints): if a snippet stops compiling or
// working, a test here fails. The articles need only `import AgentOrchestration`, which re-exports AgentAdapters
// and AgentPolicy; this file imports them explicitly as well.

/// The "Getting started" tool, verbatim.
private let add = ClosureTool(
    name: "add",
    description: "Adds two integers.",
    parameters: .object(properties: ["a": .integer(), "b": .integer()], required: ["a", "b"])
) { arguments in
    .integer((arguments["a"]?.integerValue ?? 0) + (arguments["b"]?.integerValue ?? 0))
}

/// The "Getting started" agent, verbatim.
private let adder = ClosureAgent(name: "adder") { step, context in
    let sum = try await context.callTool("add", arguments: ["a": 2, "b": 2])
    return ["question": step.input, "answer": sum]
}

@Suite("Documentation snippets", .timeLimit(.suite))
struct DocSnippetTests {
    @Test("Getting started: the tool, the agent, the policy, the run and the report")
    func gettingStarted() async throws {
        let policy = try StrictPolicy(
            maxSteps: 5,
            maxToolCalls: 10,
            allowedTools: ["add"],
            timeout: .seconds(30)
        )

        let orchestrator = try Orchestrator(tools: [add])
        let report = await orchestrator.run(adder, task: "What is 2+2?", policy: policy)

        #expect("\(report.status)" == "succeeded")
        #expect("\(report.stopReason)" == "completed")
        #expect("\(report.finalOutput ?? .null)" == #"{"answer":4,"question":"What is 2+2?"}"#)
        #expect("\(report.totals.toolCalls)" == "1")
        var lines: [String] = []
        for line in report.ledger {
            lines.append("\(line.budget) \(line.used) \(line.limit.map { String($0) } ?? "-")")
        }
        #expect(lines.contains("steps 1 5"))
        #expect(!report.jsonText(prettyPrinted: true).isEmpty)

        let reproducible = try Orchestrator(tools: [add], clock: ManualClock(), idGenerator: .seeded(42))
        let saved = report.jsonText()
        let restored = try ExecutionReport(jsonText: saved)  // restored == report
        #expect(restored == report)
        let again = try Orchestrator(tools: [add], clock: ManualClock(), idGenerator: .seeded(42))
        let first = await reproducible.run(adder, task: "x", policy: policy)
        let second = await again.run(adder, task: "x", policy: policy)
        #expect(first.jsonText() == second.jsonText())
    }

    @Test("Report schema: write a report, read it back, and match on the stop reason")
    func reportSchema() async throws {
        let weather = ClosureTool(
            name: "weather",
            description: "Temperature in a city, in °C.",
            parameters: .object(properties: ["city": .string()], required: ["city"])
        ) { arguments in arguments["city"] == "Oslo" ? 3 : 21 }
        let agent = ClosureAgent(name: "forecaster") { step, context in
            _ = try await context.callTool("weather", arguments: ["city": step.input])
            return try await context.callTool("weather", arguments: ["city": "Bergen"])
        }
        let orchestrator = try Orchestrator(tools: [weather])
        let policy = try StrictPolicy(maxToolCalls: 1)

        let report = await orchestrator.run(agent, task: "Oslo", policy: policy)
        let text = report.jsonText(prettyPrinted: true)
        let restored = try ExecutionReport(jsonText: text)  // == report; re-encodes to the same text

        var printed = ""
        switch restored.stopReason {
        case .completed:
            printed = "done: \(restored.finalOutput ?? .null)"
        case .policyViolation(let violation, _):
            printed = "stopped by \(violation.limit) at \(violation.attempted) of \(violation.limitValue)"
        default:
            printed = "\(restored.status) \(restored.stopReason)"
        }
        #expect(restored == report)
        #expect(restored.jsonText(prettyPrinted: true) == text)
        #expect(printed == "stopped by maxToolCalls at 2 of 1")
    }

    @Test("Report schema: the sample report and the sample JSON objects read back")
    func reportSchemaSamples() throws {
        let report = try ExecutionReport(jsonText: Self.sampleReport)
        #expect(report.finalOutput == 4)
        #expect(report.history.map(\.phase) == LifecyclePhase.allCases)
        #expect(report.steps.first?.toolCalls.first?.status == .succeeded)
        let violation = try JSONValue(parsing: Self.sampleViolation).decode(as: StopReason.self)
        #expect(violation.violation?.limit == .maxToolCalls)
        #expect(violation == .policyViolation(violation: violation.violation!, node: "draft"))
        let event = try JSONValue(parsing: Self.sampleEvent).decode(as: OrchestrationEvent.self)
        #expect(event.kind == .stepStarted(index: 0, revision: 0))
    }

    /// The "Report schema" article's sample report, verbatim.
    static let sampleReport = """
        {
          "agentName" : "adder",
          "agentStopped" : true,
          "durationNanoseconds" : 0,
          "events" : {
            "dropped" : 0,
            "emitted" : 11,
            "policyViolation" : 0,
            "runFinished" : 1,
            "runStarted" : 1,
            "stateEntered" : 5,
            "stepFinished" : 1,
            "stepStarted" : 1,
            "toolCallFinished" : 1,
            "toolCallRefused" : 0,
            "toolCallStarted" : 1,
            "usageRecorded" : 0
          },
          "executionID" : "run-1",
          "finalOutput" : 4,
          "history" : [
            { "atNanoseconds" : 0, "phase" : "INIT" },
            { "atNanoseconds" : 0, "phase" : "PLAN" },
            { "atNanoseconds" : 0, "phase" : "EXECUTE" },
            { "atNanoseconds" : 0, "phase" : "REVIEW" },
            { "atNanoseconds" : 0, "phase" : "TERMINATE" }
          ],
          "ledger" : [
            { "budget" : "steps", "limit" : 5, "used" : 1 },
            { "budget" : "timeNanoseconds", "limit" : 30000000000, "used" : 0 }
          ],
          "metadata" : {},
          "schemaVersion" : 1,
          "status" : "succeeded",
          "stepOutputs" : [4],
          "steps" : [
            {
              "endNanoseconds" : 0,
              "index" : 0,
              "input" : "What is 2+2?",
              "output" : 4,
              "revision" : 0,
              "startNanoseconds" : 0,
              "status" : "completed",
              "toolCalls" : [
                {
                  "arguments" : { "a" : 2, "b" : 2 },
                  "endNanoseconds" : 0,
                  "output" : 4,
                  "startNanoseconds" : 0,
                  "status" : "succeeded",
                  "tool" : "add"
                }
              ],
              "usage" : { "cost" : 0, "inputTokens" : 0, "outputTokens" : 0 }
            }
          ],
          "stopReason" : { "kind" : "completed" },
          "task" : "What is 2+2?",
          "toolCallsOutsideSteps" : [],
          "totals" : {
            "completedSteps" : 1,
            "failedToolCalls" : 0,
            "refusedToolCalls" : 0,
            "revisions" : 0,
            "steps" : 1,
            "toolCalls" : 1,
            "usage" : { "cost" : 0, "inputTokens" : 0, "outputTokens" : 0 }
          },
          "violations" : []
        }
        """

    /// The "Report schema" article's sample stop reason, verbatim.
    static let sampleViolation = #"""
        { "kind" : "policyViolation", "limit" : "maxToolCalls", "limitValue" : 3, "attempted" : 4,
          "tool" : "search", "message" : "maxToolCalls is 3; this would reach 4 (tool \"search\")", "node" : "draft" }
        """#

    /// The "Report schema" article's sample event, verbatim.
    static let sampleEvent = """
        { "executionID" : "run-1", "sequence" : 3, "atNanoseconds" : 0, "kind" : "stepStarted", "index" : 0, "revision" : 0 }
        """
}
