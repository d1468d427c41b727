import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

/// What a tool's body reports: whether it ran isolated to `host`, and the tool name of its task-local invocation.
private func whereAmI(_ isolation: isolated (any Actor)? = #isolation, host: some Actor) -> JSONValue {
    ["onHost": .bool(isolation === host), "invocation": .string(ToolInvocation.current?.toolName ?? "")]
}

/// A tool that reports where its body runs.
private struct WhereTool: Tool {
    let name = "where"
    let description = "Reports where its body runs."
    let parameters = ToolSchema.object(properties: [:])
    let host: Host

    func call(arguments: JSONValue) async throws -> JSONValue { whereAmI(host: host) }
}

/// An actor whose methods call tools: agent code isolated to it.
private actor Host {
    func call(_ tool: String, _ context: AgentContext) async throws -> JSONValue {
        try await context.callTool(tool)
    }
}

@Suite("Tool bodies and the caller's isolation", .timeLimit(.suite))
struct ToolIsolationTests {
    @Test("A tool called from actor-isolated or plain agent code sees its invocation and runs as before")
    func isolationPassedOn() async throws {
        let host = Host()
        let closure = ClosureTool(name: "closure", description: "Reports where its body runs.") { _ in
            whereAmI(host: host)
        }
        let orchestrator = try Orchestrator(tools: [WhereTool(host: host), closure])
        let agent = ClosureAgent(name: "hosted") { _, context in
            [
                try await host.call("where", context), try await host.call("closure", context),
                try await context.callTool("where"), try await context.callTool("closure"),
            ]
        }
        let report = await orchestrator.run(agent, task: nil)
        // The context passes the agent code's isolation to the run, which binds the invocation on it; the bodies
        // themselves (a Tool's `call`, a ClosureTool's closure) are not isolated to the caller, as before.
        #expect(
            report.finalOutput
                == [
                    ["onHost": false, "invocation": "where"], ["onHost": false, "invocation": "closure"],
                    ["onHost": false, "invocation": "where"], ["onHost": false, "invocation": "closure"],
                ]
        )
        #expect(report.steps.first?.toolCalls.map(\.status) == Array(repeating: .succeeded, count: 4))
    }
}
