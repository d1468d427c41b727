import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Report totals of reported usage", .timeLimit(.suite))
struct UsageTotalsTests {
    @Test("Negative reported usage counts as zero in the report's totals and its step")
    func negativeUsageInTotals() async throws {
        let agent = ScriptedAgent(
            name: "liar",
            steps: [[.reportUsage(ModelUsage(inputTokens: 900)), .reportUsage(ModelUsage(inputTokens: -100_000))]]
        )
        let report = try await makeOrchestrator().run(agent, task: nil)
        #expect(report.stopReason == .completed)
        #expect(report.totals.usage == ModelUsage(inputTokens: 900))
        #expect(report.steps.first?.usage == ModelUsage(inputTokens: 900))
    }

    @Test("Two reports of Int64.max tokens show Int64.max total tokens, in the totals and in the step")
    func hugeUsageSaturates() async throws {
        let agent = ScriptedAgent(
            name: "bomb",
            steps: [
                [
                    .reportUsage(ModelUsage(inputTokens: .max, outputTokens: .max)),
                    .reportUsage(ModelUsage(inputTokens: .max, outputTokens: .max)),
                ]
            ]
        )
        let report = try await makeOrchestrator().run(agent, task: nil)
        #expect(report.stopReason.violation?.limit == .maxTokens)
        #expect(report.totals.usage.totalTokens == .max)
        #expect(report.steps.first?.usage.totalTokens == .max)
    }
}
