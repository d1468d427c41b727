import AgentPolicy
import Testing

@Suite("StrictPolicy construction")
struct StrictPolicyTests {
    @Test("Defaults are finite and documented")
    func defaultsAreFinite() {
        let policy = StrictPolicy()
        // The documented figures (BudgetsAndPolicies.md), not the constants the initializer reads them from.
        #expect(policy.maxSteps == 25)
        #expect(policy.maxRefusedToolCalls == 25)
        #expect(policy.maxTokens == 100_000)
        #expect(policy.maxToolCalls == 100)
        #expect(policy.maxRepeatedToolCalls == 10)
        #expect(policy.maxCost == 10_000_000)
        #expect(policy.timeout == .seconds(300))
        #expect(policy.maxRevisions == 3)
        #expect(policy.maxModelCalls == 50)
        #expect(policy.maxOutputTokensPerModelCall == 4_096)
        #expect(policy.toolBatchOverflow == .tellModel)
        #expect(policy.allowedTools.isEmpty && policy.deniedTools.isEmpty)
    }

    static func policy(withNegative field: String) throws -> StrictPolicy {
        switch field {
        case "maxSteps": try StrictPolicy(maxSteps: -1)
        case "maxTokens": try StrictPolicy(maxTokens: -1)
        case "maxInputTokens": try StrictPolicy(maxInputTokens: -1)
        case "maxOutputTokens": try StrictPolicy(maxOutputTokens: -5)
        case "maxToolCalls": try StrictPolicy(maxToolCalls: -1)
        case "maxCallsPerTool[\"search\"]": try StrictPolicy(maxCallsPerTool: ["search": -2])
        case "maxRepeatedToolCalls": try StrictPolicy(maxRepeatedToolCalls: -1)
        case "maxCost": try StrictPolicy(maxCost: -1)
        case "maxRefusedToolCalls": try StrictPolicy(maxRefusedToolCalls: -1)
        case "maxModelCalls": try StrictPolicy(maxModelCalls: -1)
        case "maxOutputTokensPerModelCall": try StrictPolicy(maxOutputTokensPerModelCall: -1)
        default: try StrictPolicy(maxRevisions: -1)
        }
    }

    @Test(
        "A negative limit is rejected, naming the field",
        arguments: [
            "maxSteps", "maxTokens", "maxInputTokens", "maxOutputTokens", "maxToolCalls", "maxCallsPerTool[\"search\"]",
            "maxRepeatedToolCalls", "maxCost", "maxRevisions", "maxRefusedToolCalls", "maxModelCalls",
            "maxOutputTokensPerModelCall",
        ]
    )
    func negativeLimit(field: String) throws {
        let error = try #require(throws: PolicyError.self) { try Self.policy(withNegative: field) }
        #expect(error.code == .negativeLimit)
        #expect(error.field == field)
        #expect(error.message.contains(field))
    }

    @Test("A zero or negative timeout is rejected", arguments: [Duration.zero, .milliseconds(-1)])
    func nonPositiveTimeout(timeout: Duration) {
        #expect(
            throws: PolicyError(
                code: .nonPositiveTimeout,
                field: "timeout",
                value: "\(timeout)",
                message: "timeout is \(timeout); it must be greater than zero"
            )
        ) {
            try StrictPolicy(timeout: timeout)
        }
    }

    @Test("Malformed patterns are rejected with the list index", arguments: ["", "search **", "a**b", "sé*", "a b"])
    func malformedPattern(pattern: String) throws {
        let error = try #require(throws: PolicyError.self) { try StrictPolicy(allowedTools: ["ok", pattern]) }
        #expect(error.code == .malformedPattern)
        #expect(error.field == "allowedTools[1]")
        #expect(error.value == pattern)
        let denied = try #require(throws: PolicyError.self) { try StrictPolicy(deniedTools: [pattern]) }
        #expect(denied.field == "deniedTools[0]")
    }

    @Test("A per-tool limit must name a valid tool")
    func perToolName() throws {
        let error = try #require(throws: PolicyError.self) { try StrictPolicy(maxCallsPerTool: ["bad name": 1]) }
        #expect(error.code == .invalidToolName)
        #expect(error.field == "maxCallsPerTool")
    }

    @Test("Wildcards: search_* matches search_web, not research")
    func wildcards() throws {
        let pattern = try ToolPattern("search_*")
        #expect(pattern.matches("search_web"))
        #expect(pattern.matches("search_"))
        #expect(!pattern.matches("research"))
        #expect(!pattern.matches("search"))
        let middle = try ToolPattern("a*b*c")
        #expect(middle.matches("abc"))
        #expect(middle.matches("aXXbYYc"))
        #expect(!middle.matches("acb"))
        #expect(!middle.matches("abcd"))
        #expect(try ToolPattern("*").matches("anything"))
        #expect(try ToolPattern("*_web").matches("search_web"))
        #expect(!(try ToolPattern("*_web").matches("search_webs")))
        #expect(try ToolPattern("exact").matches("exact"))
        #expect(!(try ToolPattern("exact").matches("exactly")))
    }

    @Test("Deny wins over allow; an empty allow list allows all")
    func allowAndDeny() throws {
        let open = StrictPolicy()
        #expect(throws: Never.self) { try open.checkPermission(toCall: "anything") }

        let policy = try StrictPolicy(allowedTools: ["search_*", "calc"], deniedTools: ["search_internal"])
        #expect(throws: Never.self) { try policy.checkPermission(toCall: "search_web") }
        #expect(throws: Never.self) { try policy.checkPermission(toCall: "calc") }
        let denied = try #require(throws: PolicyViolation.self) {
            try policy.checkPermission(toCall: "search_internal")
        }
        #expect(denied.limit == .toolDenied)
        #expect(denied.tool == "search_internal")
        let notAllowed = try #require(throws: PolicyViolation.self) { try policy.checkPermission(toCall: "shell") }
        #expect(notAllowed.limit == .toolNotAllowed)
        #expect(notAllowed.tool == "shell")

        let denyAll = try StrictPolicy(allowedTools: ["*"], deniedTools: ["*"])
        #expect(throws: PolicyViolation.self) { try denyAll.checkPermission(toCall: "calc") }
    }

    @Test("Tightening takes the smaller limit and both allow lists")
    func tightening() throws {
        let run = try StrictPolicy(maxSteps: 10, maxToolCalls: 5, allowedTools: ["search_*", "calc"])
        let node = try StrictPolicy(
            maxSteps: 20,
            maxToolCalls: 2,
            allowedTools: ["search_web", "calc"],
            deniedTools: ["calc"],
            timeout: .seconds(1)
        )
        let tight = run.tightened(by: node)
        #expect(tight.maxSteps == 10)
        #expect(tight.maxToolCalls == 2)
        #expect(tight.timeout == .seconds(1))
        #expect(throws: Never.self) { try tight.checkPermission(toCall: "search_web") }
        #expect(throws: PolicyViolation.self) { try tight.checkPermission(toCall: "search_news") }
        #expect(throws: PolicyViolation.self) { try tight.checkPermission(toCall: "calc") }
    }
}

@Suite("StrictPolicy from JSON")
struct StrictPolicyDecodingTests {
    @Test("An empty object decodes to the initialiser's defaults")
    func emptyObjectIsDefaults() throws {
        #expect(try decode(StrictPolicy.self, from: "{}") == StrictPolicy())
    }

    @Test("Missing keys take the initialiser's defaults")
    func missingKeysTakeDefaults() throws {
        let policy = try decode(
            StrictPolicy.self,
            from: #"{"maxSteps": 3, "allowedTools": ["kb.*"], "maxCallsPerTool": {"kb.search": 2}}"#
        )
        #expect(policy == (try StrictPolicy(maxSteps: 3, maxCallsPerTool: ["kb.search": 2], allowedTools: ["kb.*"])))
        #expect(policy.maxTokens == StrictPolicy.Defaults.maxTokens)
        #expect(policy.timeout == StrictPolicy.Defaults.timeout)
        #expect(policy.maxInputTokens == nil)
    }

    @Test("{\"maxSteps\": -3} reports the negative maxSteps, as the initialiser does")
    func negativeMaxSteps() throws {
        let decoded = try #require(throws: PolicyError.self) {
            try decode(StrictPolicy.self, from: #"{"maxSteps": -3}"#)
        }
        let initialised = try #require(throws: PolicyError.self) { try StrictPolicy(maxSteps: -3) }
        #expect(decoded == initialised)
        #expect(decoded.code == .negativeLimit)
        #expect(decoded.field == "maxSteps")
        #expect(decoded.value == "-3")
    }

    @Test(
        "Invalid values get the initialiser's errors",
        arguments: [
            (#"{"maxRefusedToolCalls": -1}"#, "maxRefusedToolCalls"),
            (#"{"maxInputTokens": -2}"#, "maxInputTokens"),
            (#"{"maxCallsPerTool": {"search": -2}}"#, "maxCallsPerTool[\"search\"]"),
            (#"{"maxCallsPerTool": {"bad name": 1}}"#, "maxCallsPerTool"),
            (#"{"allowedTools": ["ok", "a**b"]}"#, "allowedTools[1]"),
            (#"{"deniedTools": [""]}"#, "deniedTools[0]"),
            (#"{"timeoutNanoseconds": 0}"#, "timeout"),
            (#"{"maxModelCalls": -1}"#, "maxModelCalls"),
            (#"{"maxOutputTokensPerModelCall": -1}"#, "maxOutputTokensPerModelCall"),
        ]
    )
    func invalidValues(json: String, field: String) throws {
        let error = try #require(throws: PolicyError.self) { try decode(StrictPolicy.self, from: json) }
        #expect(error.field == field)
    }

    @Test("A policy survives encoding and decoding, tightened allow lists included")
    func roundTrip() throws {
        let policy = try StrictPolicy(
            maxSteps: 4,
            maxOutputTokens: 900,
            maxCallsPerTool: ["a": 1],
            allowedTools: ["a*"],
            deniedTools: ["b"],
            maxRefusedToolCalls: 2,
            timeout: .milliseconds(1_500)
        )
        .tightened(by: try StrictPolicy(allowedTools: ["ab"]))
        let text = try jsonText(policy)
        #expect(text.contains(#""timeoutNanoseconds":1500000000"#))
        #expect(try decode(StrictPolicy.self, from: text) == policy)
    }

    @Test("The model-call fields decode with their defaults, round-trip, and tighten")
    func modelCallFields() throws {
        let defaults = try decode(StrictPolicy.self, from: "{}")
        #expect(defaults.maxModelCalls == 50)
        #expect(defaults.maxOutputTokensPerModelCall == 4_096)
        #expect(defaults.toolBatchOverflow == .tellModel)
        let policy = try decode(
            StrictPolicy.self,
            from: #"{"maxModelCalls": 7, "maxOutputTokensPerModelCall": 300, "toolBatchOverflow": "stopRun"}"#
        )
        #expect(policy.maxModelCalls == 7)
        #expect(policy.maxOutputTokensPerModelCall == 300)
        #expect(policy.toolBatchOverflow == .stopRun)
        let text = try jsonText(policy)
        #expect(text.contains(#""toolBatchOverflow":"stopRun""#))
        #expect(text.contains(#""maxOutputTokensPerModelCall":300"#))
        #expect(try decode(StrictPolicy.self, from: text) == policy)
        let tightened = StrictPolicy().tightened(by: policy)
        #expect(tightened.maxOutputTokensPerModelCall == 300)
        #expect(tightened.toolBatchOverflow == .stopRun)
        #expect(tightened.maxModelCalls == 7)
        #expect(throws: DecodingError.self) {
            try decode(StrictPolicy.self, from: #"{"toolBatchOverflow": "ignore"}"#)
        }
    }
}
