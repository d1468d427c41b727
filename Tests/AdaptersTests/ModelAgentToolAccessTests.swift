import AgentAdapters
import AgentPolicy
import Testing

@Suite("ModelAgent.ToolAccess: the policy's tool patterns", .timeLimit(.suite))
struct ModelAgentToolAccessTests {
    static let patterns = ["search_*", "*_web", "a*b*c", "*", "exact", "mcp.time.*", "ns:tool/*"]
    static let names = [
        "search_web", "search_", "research", "search", "abc", "aXXbYYc", "acb", "abcd", "exact", "exactly",
        "mcp.time.now", "mcp.time", "ns:tool/x", "x_web", "x_webs",
    ]

    @Test("A pattern allows exactly the tools the policy's allow list with that pattern allows", arguments: patterns)
    func sameAsPolicy(pattern: String) throws {
        let access = ModelAgent<String>.ToolAccess.named([try ToolPattern(pattern)])
        let policy = try StrictPolicy(allowedTools: [pattern])
        for name in Self.names {
            let allowedByPolicy = (try? policy.checkPermission(toCall: name)) != nil
            #expect(access.allows(name) == allowedByPolicy, "pattern \(pattern), tool \(name)")
        }
    }

    @Test("Several patterns allow a tool any of them matches; .all allows every tool and .none none")
    func severalPatterns() throws {
        let access = try ModelAgent<String>.ToolAccess.named(["search_*", "calculator"])
        #expect(access == .named([try ToolPattern("search_*"), try ToolPattern("calculator")]))
        #expect(access.allows("search_web"))
        #expect(access.allows("calculator"))
        #expect(!access.allows("calculator2"))
        #expect(!access.allows("research"))
        #expect(ModelAgent<String>.ToolAccess.all.allows("anything"))
        #expect(!ModelAgent<String>.ToolAccess.none.allows("anything"))
        #expect(!ModelAgent<String>.ToolAccess.named([ToolPattern]()).allows("anything"))
    }

    @Test(
        "A pattern the policy refuses is refused here, with the same code and the index of its field",
        arguments: ["", "a b", "a**", "tool?"]
    )
    func malformed(pattern: String) throws {
        let error = try #require(throws: PolicyError.self) {
            try ModelAgent<String>.ToolAccess.named(["fine_*", pattern])
        }
        #expect(error.code == .malformedPattern)
        #expect(error.field == "tools[1]")
        #expect(error.value == pattern)
        let policyError = try #require(throws: PolicyError.self) { try StrictPolicy(allowedTools: [pattern]) }
        #expect(policyError.code == error.code)
        #expect(policyError.message == error.message)
    }
}
