import AgentPolicy
import Testing

@Suite("Loop detection's key: hashed once, compared in full")
struct RepeatKeyTests {
    @Test("Two different calls whose digests collide are still counted apart")
    func collidingDigestsCountApart() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRepeatedToolCalls: 1), coversOneRun: true)
        let first = RepeatKey(tool: "fetch", arguments: #"{"url":"a"}"#, digest: 7)
        let second = RepeatKey(tool: "fetch", arguments: #"{"url":"b"}"#, digest: 7)
        let otherTool = RepeatKey(tool: "fetcher", arguments: #"{"url":"a"}"#, digest: 7)
        #expect(first.hashValue == second.hashValue, "the digests collide on purpose")
        try ledger.reserveToolCall("fetch", repeatKey: first)
        try ledger.reserveToolCall("fetch", repeatKey: second)
        try ledger.reserveToolCall("fetcher", repeatKey: otherTool)
        #expect(ledger.used(.repeatedToolCalls) == 1, "three different calls, each made once")
        let repeated = try #require(throws: PolicyViolation.self) {
            try ledger.reserveToolCall(
                "fetch",
                repeatKey: RepeatKey(tool: "fetch", arguments: #"{"url":"a"}"#, digest: 7)
            )
        }
        #expect(repeated.limit == .maxRepeatedToolCalls && repeated.attempted == 2)
        ledger.forgiveRepeat(second)
        #expect(throws: PolicyViolation.self) { try ledger.reserveToolCall("fetch", repeatKey: first) }
        try ledger.reserveToolCall("fetch", repeatKey: second)
        #expect(ledger.used(.toolCalls) == 4)
    }

    @Test("Identical calls get identical keys; the tool and the arguments are kept apart")
    func identicalCallsMatch() {
        let key = RepeatKey(tool: "fetch", arguments: #"{"url":"a"}"#)
        #expect(key == RepeatKey(tool: "fetch", arguments: #"{"url":"a"}"#))
        #expect(key.digest == RepeatKey.digest(tool: "fetch", arguments: #"{"url":"a"}"#))
        #expect(key != RepeatKey(tool: "fetch", arguments: #"{"url":"b"}"#))
        #expect(RepeatKey(tool: "ab", arguments: "c") != RepeatKey(tool: "a", arguments: "bc"))
        #expect(
            RepeatKey(tool: "ab", arguments: "c").digest != RepeatKey(tool: "a", arguments: "bc").digest,
            "the zero byte between the tool and the arguments"
        )
    }

    @Test("A ledger's identical-call counts encode as before (tool, NUL, arguments) and decode to an equal ledger")
    func countsCoding() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRepeatedToolCalls: 3), coversOneRun: true)
        try ledger.reserveToolCall("search", argumentsKey: "{}")
        try ledger.reserveToolCall("search", argumentsKey: "{}")
        try ledger.reserveToolCall("fetch", argumentsKey: #"{"url":"a"}"#)
        let text = try jsonText(ledger)
        #expect(text.contains(#""identicalCalls":{"#), "\(text)")
        #expect(text.contains(#""search\u0000{}":2"#), "\(text)")
        var decoded = try decode(BudgetLedger.self, from: text)
        #expect(decoded == ledger)
        try decoded.reserveToolCall("search", argumentsKey: "{}")
        #expect(throws: PolicyViolation.self) { try decoded.reserveToolCall("search", argumentsKey: "{}") }
    }
}

@Suite("Loop detection's digest table")
struct RepeatDigestTableTests {
    @Test("Thousands of different calls, across the table's growth: each found again, so each repeat is refused")
    func everyEntryFoundAfterGrowth() throws {
        var ledger = BudgetLedger(limits: try BudgetLimits(maxRepeatedToolCalls: 1), coversOneRun: true)
        // Digests that differ in their low bits, and digests that differ only in their high bits.
        let digests = (0..<3_000).map { UInt64($0) } + (1..<1_000).map { UInt64($0) << 52 }
        let keys = digests.enumerated().map { RepeatKey(tool: "t", arguments: "\($0.offset)", digest: $0.element) }
        for key in keys { try ledger.reserveToolCall("t", repeatKey: key) }
        #expect(ledger.used(.repeatedToolCalls) == 1, "every call is different")
        var refused = 0
        for key in keys {
            do {
                try ledger.reserveToolCall("t", repeatKey: key)
            } catch {
                refused += 1
            }
        }
        #expect(refused == keys.count, "every second call of the same key must be found and refused as a repeat")
    }
}

@Suite("A tool call's reservation: each count found once, nothing debited when refused")
struct ToolCallReservationTests {
    @Test("A call refused by the repeat or the per-tool limit debits nothing; a counted call is counted once")
    func refusedCallsDebitNothing() throws {
        let limits = try BudgetLimits([.toolCalls: 10, .repeatedToolCalls: 2], maxCallsPerTool: ["fetch": 3])
        var ledger = BudgetLedger(limits: limits, coversOneRun: true)
        try ledger.reserveToolCall("fetch", argumentsKey: "a")
        try ledger.reserveToolCall("fetch", argumentsKey: "a")
        let repeated = try #require(throws: PolicyViolation.self) {
            try ledger.reserveToolCall("fetch", argumentsKey: "a")
        }
        #expect(repeated.limit == .maxRepeatedToolCalls && repeated.attempted == 3)
        #expect(ledger.used(.toolCalls) == 2 && ledger.callsPerTool == ["fetch": 2])
        #expect(ledger.used(.repeatedToolCalls) == 2, "the refused repeat was counted")
        try ledger.reserveToolCall("fetch", argumentsKey: "b")
        let perTool = try #require(throws: PolicyViolation.self) {
            try ledger.reserveToolCall("fetch", argumentsKey: "c")
        }
        #expect(perTool.limit == .maxCallsPerTool && perTool.attempted == 4)
        #expect(ledger.used(.toolCalls) == 3 && ledger.callsPerTool == ["fetch": 3])
        #expect(!(try jsonText(ledger)).contains(#""fetch\u0000c""#), "the call refused per tool was counted a repeat")
        // A tool without a limit of its own is counted too; a forgiven call starts again from one.
        try ledger.reserveToolCall("search", argumentsKey: "x")
        try ledger.reserveToolCall("search", argumentsKey: "y")
        #expect(ledger.callsPerTool == ["fetch": 3, "search": 2] && ledger.used(.toolCalls) == 5)
        ledger.forgiveRepeat("fetch", argumentsKey: "a")
        ledger.forgiveRepeat("fetch", argumentsKey: "a")
        #expect(ledger.used(.repeatedToolCalls) == 1)
        ledger.forgiveRepeat("search", argumentsKey: "x")
        try ledger.reserveToolCall("search", argumentsKey: "x")
        try ledger.reserveToolCall("search", argumentsKey: "x")
        #expect(ledger.used(.repeatedToolCalls) == 2)
        #expect(throws: PolicyViolation.self) { try ledger.reserveToolCall("search", argumentsKey: "x") }
        #expect(ledger.callsPerTool == ["fetch": 3, "search": 4] && ledger.used(.toolCalls) == 7)
    }
}
