import AgentPolicy
import Testing

@Suite("Model usage arithmetic: negatives count as zero, sums saturate")
struct ModelUsageTests {
    @Test("Negative reported usage adds nothing to a sum")
    func negativeAddsNothing() {
        var total = ModelUsage(inputTokens: 900)
        total += ModelUsage(inputTokens: -100_000, outputTokens: -1, cost: -5)
        #expect(total == ModelUsage(inputTokens: 900))
        #expect(ModelUsage(inputTokens: -3) + ModelUsage(outputTokens: 2) == ModelUsage(outputTokens: 2))
    }

    @Test("Total tokens of Int64.max input and Int64.max output saturate at Int64.max")
    func totalTokensSaturate() {
        let usage = ModelUsage(inputTokens: .max, outputTokens: .max)
        #expect(usage.totalTokens == .max)
        var sum = ModelUsage.zero
        sum += ModelUsage(inputTokens: .max)
        sum += ModelUsage(outputTokens: .max)
        #expect(sum.totalTokens == .max)
    }

    @Test("Sums of huge reports saturate instead of wrapping")
    func sumsSaturate() {
        let huge = ModelUsage(inputTokens: .max, outputTokens: .max, cost: .max)
        let sum = huge + huge
        #expect(sum == huge)
        #expect(sum.totalTokens == .max)
    }

    @Test("Total tokens of a negative report count its negative part as zero")
    func totalTokensOfNegative() {
        #expect(ModelUsage(inputTokens: -10, outputTokens: 4).totalTokens == 4)
    }

    @Test("Subtraction stops at zero")
    func subtractionStopsAtZero() {
        #expect(ModelUsage(inputTokens: 5, cost: 1) - ModelUsage(inputTokens: 7) == ModelUsage(cost: 1))
    }
}
