import AgentAdapters
import AgentPolicy
import Testing

/// `count` closure tools named `t0`, `t1`, …, each returning its own name.
private func namedTools(_ count: Int) -> [any Tool] {
    (0..<count).map { index in
        ClosureTool(name: "t\(index)", description: "Tool \(index).") { _ in .string("t\(index)") }
    }
}

@Suite("Tool registry look-ups", .timeLimit(.suite))
struct ToolRegistryLookupTests {
    @Test(
        "Every registered tool is found by its name and an unknown name is refused, with few tools and with many",
        arguments: [1, ToolRegistry.scanned, ToolRegistry.scanned + 1, 40]
    )
    func lookUp(count: Int) async throws {
        let registry = try ToolRegistry(namedTools(count))
        for index in 0..<count {
            let tool = try registry.tool(named: "t\(index)")
            #expect(tool.description.name == "t\(index)")
            #expect(try await tool.call(nil) == .string("t\(index)"), "the tool registered under the name")
        }
        let error = #expect(throws: ToolError.self) { try registry.tool(named: "t\(count)") }
        #expect(error?.code == .unknownTool)
        #expect(error?.registeredTools == registry.names, "the refusal lists every registered name")
    }

    @Test("Names that share a prefix or differ only in case are told apart")
    func closeNames() throws {
        let registry = try ToolRegistry([
            ClosureTool(name: "search", description: "s") { _ in "search" },
            ClosureTool(name: "search_web", description: "w") { _ in "web" },
            ClosureTool(name: "Search", description: "S") { _ in "Search" },
        ])
        #expect(try registry.tool(named: "search").description.description == "s")
        #expect(try registry.tool(named: "search_web").description.description == "w")
        #expect(try registry.tool(named: "Search").description.description == "S")
        #expect(throws: ToolError.self) { try registry.tool(named: "searc") }
    }
}
