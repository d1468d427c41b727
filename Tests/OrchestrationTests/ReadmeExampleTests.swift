import AgentOrchestration
import AgentTesting
import Testing

// The README's usage examples, verbatim apart from printing (each `print` becomes an expectation) and the timeout
// (below), with the README's one import: `AgentOrchestration` re-exports AgentPolicy and AgentAdapters. If an
// example stops compiling or working, or needs another import, this fails.

private let weather = ClosureTool(
    name: "weather",
    description: "Temperature in a city, in °C.",
    parameters: .object(properties: ["city": .string()], required: ["city"])
) { arguments in arguments["city"] == "Oslo" ? 3 : 21 }

private let agent = ClosureAgent(name: "forecaster") { step, context in
    let celsius = try await context.callTool("weather", arguments: ["city": step.input])
    return "It is \(celsius) °C in \(step.input.stringValue ?? "?")."
}

/// The README's `timeout: .seconds(30)`, longer here: these runs use the real clock, and in the ThreadSanitizer pass
/// of the parallel suite a run waited 38–40 s for the shared pool (the example's flow is under test, not its
/// deadline, which `TimeoutAndCancellationTests` cover on a manual clock).
private let readmeTimeout: Duration = .seconds(300)

@Suite("README example")
struct ReadmeExampleTests {
    @Test("The README's usage example runs and answers")
    func readmeExample() async throws {
        let orchestrator = try Orchestrator(tools: [weather])
        let policy = try StrictPolicy(maxSteps: 5, maxToolCalls: 3, allowedTools: ["weather"], timeout: readmeTimeout)
        let report = await orchestrator.run(agent, task: "Oslo", policy: policy)
        #expect(report.status == .succeeded)
        #expect(report.stopReason == .completed)
        #expect(report.finalOutput == "It is 3 °C in Oslo.")
        #expect(report.jsonText().contains(#""finalOutput":"It is 3 °C in Oslo.""#))
        #expect(!report.jsonText(prettyPrinted: true).isEmpty)
    }

    @Test("The README's \"Runs you can hold\" example: start, the run's events, its report, then shutdown")
    func runsYouCanHold() async throws {
        let orchestrator = try Orchestrator(tools: [weather])
        let policy = try StrictPolicy(maxSteps: 5, maxToolCalls: 3, allowedTools: ["weather"], timeout: readmeTimeout)

        let handle = orchestrator.start(agent, task: "Bergen", policy: policy)
        var names: [String] = []
        for await event in handle.events { names.append(event.kind.name) }
        let held = await handle.report  // handle.cancel() would end it with .cancelled
        #expect(held.status == .succeeded)
        #expect(held.finalOutput == "It is 21 °C in Bergen.")
        #expect(names.first == "runStarted")
        #expect(names.last == "runFinished")

        await orchestrator.shutdown()
        let late = await orchestrator.run(agent, task: "Oslo", policy: policy)
        #expect(late.stopReason == .shutdown)
        #expect("\(late.stopReason)" == "the orchestrator was shutting down")
        #expect(late.steps.isEmpty)
    }
}

// The README's "A model-driven agent" example, verbatim apart from printing (its types are namespaced here: other
// tests declare a `Weather` too).
private enum ReadmeModelExample {
    struct Weather: Tool {
        struct Arguments: Decodable, Sendable { var city: String }
        let name = "weather"
        let description = "Current temperature in a city, in °C."
        func call(arguments: Arguments) async throws -> Int { arguments.city == "Oslo" ? 3 : 20 }
    }
    struct Clothing: Tool {
        struct Arguments: Decodable, Sendable { var celsius: Int }
        let name = "clothing"
        let description = "What to wear at a temperature."
        func call(arguments: Arguments) async throws -> String { arguments.celsius < 10 ? "a coat" : "a shirt" }
    }
    struct Advice: Decodable {
        var city: String
        var wear: String
    }
}

@Suite("README model-driven agent example")
struct ReadmeModelAgentTests {
    @Test("Two typed tools and a typed output; every model call shows reserved and used tokens")
    func modelAgentExample() async throws {
        typealias Weather = ReadmeModelExample.Weather
        typealias Clothing = ReadmeModelExample.Clothing
        typealias Advice = ReadmeModelExample.Advice
        let model = ScriptedModel(turns: [
            .toolCalls([ModelToolCall(id: "1", name: "weather", arguments: ["city": "Oslo"])]),
            .toolCalls([ModelToolCall(id: "2", name: "clothing", arguments: ["celsius": 3])]),
            .text(#"{"city": "Oslo", "wear": "a coat"}"#),
        ])
        let advisor = ModelAgent(
            name: "advisor",
            instructions: "Advise on clothing.",
            model: model,
            output: Advice.self
        )
        let advice = try await Orchestrator(tools: [Weather(), Clothing()]).run(advisor, task: "Oslo today?")
        #expect(try advice.output(as: Advice.self).wear == "a coat")
        let calls = advice.steps.flatMap(\.modelCalls)
        #expect(calls.count == 3)
        #expect(calls.allSatisfy { $0.reservedUsage.outputTokens == 4_096 && $0.usage.outputTokens > 0 })
        #expect(advice.totals.toolCalls == 2)
    }
}
