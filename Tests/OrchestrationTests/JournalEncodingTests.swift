import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

/// A journaled run encodes its plans, step results, review decisions, stop reasons and policy with hand-written
/// builders (`RunJournalEntry.encode` overloads) instead of `JSONValueEncoder`; journals must not change by it.
/// These tests hold every builder to the `Codable` form, value for value.
@Suite("Journal entry encoding without Encoder", .timeLimit(.suite))
struct JournalEncodingTests {
    /// What `JSONValueEncoder` makes of `value`: the definition.
    static func reference(_ value: some Encodable) throws -> JSONValue { try JSONValueEncoder().encode(value) }

    static func step(_ input: JSONValue, label: String?, index: Int, revision: Int) -> AgentStep {
        var step = AgentStep(input, label: label)
        step.index = index
        step.revision = revision
        return step
    }

    static let steps: [AgentStep] = [
        step("plain", label: nil, index: 0, revision: 0),
        step(["n": 1, "xs": [1.5, "two", .null, true]], label: "labelled", index: 3, revision: 2),
        step(.null, label: "", index: 41, revision: 7),
    ]

    @Test("Plans and steps encode as their Codable form")
    func plans() throws {
        #expect(RunJournalEntry.encode(Self.steps) == (try Self.reference(Self.steps)))
        #expect(RunJournalEntry.encode([AgentStep]()) == (try Self.reference([AgentStep]())))
        for step in Self.steps { #expect(RunJournalEntry.encode(step) == (try Self.reference(step))) }
    }

    @Test("Step results encode as their Codable form, follow-up steps included")
    func results() throws {
        let results = [
            StepResult.output(42), StepResult(output: ["a": "b"], followUpSteps: Self.steps),
            StepResult(output: .null, followUpSteps: []),
        ]
        for result in results { #expect(RunJournalEntry.encode(result) == (try Self.reference(result))) }
    }

    @Test(
        "Review decisions encode as their Codable form",
        arguments: [
            ReviewDecision.accept, .accept(output: .null), .accept(output: ["final": 1]), .revise(feedback: "again"),
            .reject(reason: "no"),
        ]
    )
    func decisions(decision: ReviewDecision) throws {
        #expect(RunJournalEntry.encode(decision) == (try Self.reference(decision)))
    }

    @Test(
        "Stop reasons encode as their Codable form",
        arguments: [
            StopReason.completed, .cancelled, .shutdown, .rejected(reason: "off topic"),
            .timedOut(timeout: Nanoseconds(rawValue: 1_500_000_000)), .nodeFailed(node: "polish"),
            .awaitingApproval(tool: "payments.send", callID: "order-1#7"),
            .policyViolation(
                violation: PolicyViolation(limit: .maxSteps, limitValue: 5, attempted: 6),
                node: nil
            ),
            .policyViolation(
                violation: PolicyViolation(limit: .maxSteps, limitValue: 5, attempted: 6, tool: "t"),
                node: "n"
            ),
            .agentFailed(error: ErrorRecord(type: "E", message: "boom", code: "c")),
            .toolFailed(error: ErrorRecord(type: "E", message: "down", tool: "t", isRetryable: true)),
            .invalidPolicy(error: ErrorRecord(type: "PolicyError", message: "bad")),
            .journalFailed(error: ErrorRecord(type: "DurableRunError", message: "store down", code: "storeFailed")),
        ]
    )
    func stopReasons(reason: StopReason) throws {
        #expect(RunJournalEntry.encode(reason) == (try Self.reference(reason)))
    }

    @Test("Policies encode as their Codable form and hash as their canonical JSON, whichever came last")
    func policies() throws {
        let policies = [
            StrictPolicy(), try StrictPolicy(maxSteps: 5), StrictPolicy(), try StrictPolicy(maxSteps: 5),
            try StrictPolicy(maxSteps: 5, maxToolCalls: 9), try StrictPolicy(maxSteps: 6),
        ]
        for policy in policies {
            let json = try Self.reference(policy)
            #expect(RunJournalEntry.encode(policy) == json)
            #expect(RunJournalEntry.policyHash(policy) == SHA256.hash(json.canonicalJSONBytes()))
        }
    }
}
