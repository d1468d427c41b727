import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

/// The README's usage example, verbatim apart from printing: if it stops compiling or working, this fails.
@Suite("README example")
struct ReadmeExampleTests {
    @Test("The README's usage example runs and answers")
    func readmeExample() async throws {
        let weather = ClosureTool(
            name: "weather",
            description: "Temperature in a city, in °C.",
            parameters: .object(properties: ["city": .string()], required: ["city"])
        ) { arguments in arguments["city"] == "Oslo" ? 3 : 21 }

        let agent = ClosureAgent(name: "forecaster") { step, context in
            let celsius = try await context.callTool("weather", arguments: ["city": step.input])
            return "It is \(celsius) °C in \(step.input.stringValue ?? "?")."
        }

        let orchestrator = try Orchestrator(tools: [weather])
        let policy = try StrictPolicy(maxSteps: 5, maxToolCalls: 3, allowedTools: ["weather"], timeout: .seconds(30))
        let report = await orchestrator.run(agent, task: "Oslo", policy: policy)
        #expect(report.status == .succeeded)
        #expect(report.finalOutput == "It is 3 °C in Oslo.")
        #expect(report.jsonText().contains(#""finalOutput":"It is 3 °C in Oslo.""#))
    }
}
