import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

/// A retryable failure of a tool's own.
private struct Flaky: RetryableError {
    var isRetryable: Bool { true }
    var retryAfter: Duration? { .seconds(2) }
}

@Suite("A closure tool called directly (no wrapping levels) keeps the governed call's semantics", .timeLimit(.suite))
struct ClosureToolDirectCallTests {
    @Test("The closure sees its ToolInvocation, before and after an await of its own")
    func invocationReachesClosure() async throws {
        let tool = ClosureTool(name: "probe", description: "Names its invocation.") { _ in
            let before = ToolInvocation.current?.toolName ?? "none"
            await Task.yield()
            let after = ToolInvocation.current?.toolName ?? "none"
            return [.string(before), .string(after)]
        }
        let agent = ClosureAgent(name: "caller") { _, context in try await context.callTool("probe") }
        let report = try await makeOrchestrator(tools: [tool]).run(agent, task: nil, policy: StrictPolicy())
        #expect(report.status == .succeeded)
        #expect(report.finalOutput == ["probe", "probe"], "the closure did not see its ToolInvocation")
    }

    @Test("A closure's error becomes toolFailed, keeping its retryability and retry-after hint")
    func closureErrorMapped() async throws {
        let tool = ClosureTool(name: "flaky", description: "Fails.") { _ in throw Flaky() }
        let agent = ClosureAgent(name: "caller") { _, context in
            do {
                _ = try await context.callTool("flaky")
                return "no error"
            } catch let error as ToolError {
                return [
                    .bool(error.code == .toolFailed), .bool(error.isRetryable),
                    .integer(error.retryAfterNanoseconds?.rawValue ?? -1),
                ]
            }
        }
        let report = try await makeOrchestrator(tools: [tool]).run(agent, task: nil, policy: StrictPolicy())
        #expect(report.finalOutput == [true, true, 2_000_000_000], "the closure's error was not mapped")
    }
}
