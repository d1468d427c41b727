import AgentAdapters
@_spi(Internals) import AgentPolicy

// The hot path of a journaled run encodes a plan, a step result, a review decision and a stop reason per run (a step
// result per step), and the policy per run. `JSONValueEncoder` goes through `Encoder` containers, boxes and
// existentials for each (about 3–5 µs apiece); these overloads build the same `JSONValue` directly. Swift picks
// them over the generic `encode(_:)` wherever the static type matches, so every call site benefits unchanged.
// `JournalEncodingTests` checks each against `JSONValueEncoder` value for value.
extension RunJournalEntry {
    /// A plan as `JSONValueEncoder` encodes it (``DirectFieldValue``'s JSON, which a live entry's plan is sealed as).
    package static func encode(_ steps: [AgentStep]) -> JSONValue { DirectFieldValue.json(of: steps) }

    /// A step as its synthesized `Encodable` conformance writes it: `input`, `label` when present, `index`,
    /// `revision`.
    package static func encode(_ step: AgentStep) -> JSONValue { DirectFieldValue.json(of: step) }

    /// A step result: `output` and `followUpSteps`.
    package static func encode(_ result: StepResult) -> JSONValue { DirectFieldValue.json(of: result) }

    /// Whether `json` is `plan`'s encoding (`encode(_:)` of a plan), without building it: the answer of
    /// `encode(plan) == json`.
    package static func plan(_ plan: [AgentStep], equals json: JSONValue?) -> Bool {
        guard case .array(let elements)? = json, elements.count == plan.count else { return false }
        for (step, element) in zip(plan, elements) where !Self.step(step, equals: element) { return false }
        return true
    }

    /// Whether `json` is `step`'s encoding (`encode(_:)` of a step): the same members, equal.
    package static func step(_ step: AgentStep, equals json: JSONValue) -> Bool {
        guard case .object(let members) = json, members.count == (step.label == nil ? 3 : 4),
            members["index"] == .integer(Int64(step.index)), members["revision"] == .integer(Int64(step.revision)),
            members["input"] == step.input
        else { return false }
        guard let label = step.label else { return true }
        return members["label"] == .string(label)
    }

    /// Whether `json` is `result`'s encoding (`encode(_:)` of a step result), without building it: the answer of
    /// `encode(result) == json`.
    package static func result(_ result: StepResult, equals json: JSONValue?) -> Bool {
        guard case .object(let members)? = json, members.count == 2, members["output"] == result.output else {
            return false
        }
        return plan(result.followUpSteps, equals: members["followUpSteps"])
    }

    /// A review decision as its synthesized `Encodable` conformance writes it: the case name holding an object of
    /// the case's labelled values (an absent optional left out).
    package static func encode(_ decision: ReviewDecision) -> JSONValue { DirectFieldValue.json(of: decision) }

    /// A stop reason: its flat `kind` object; the cases with a nested record take the generic path.
    package static func encode(_ reason: StopReason) -> JSONValue {
        switch reason {
        case .completed, .cancelled, .shutdown: return .object(["kind": .string(reason.code)])
        case .rejected(let text): return .object(["kind": .string(reason.code), "reason": .string(text)])
        case .timedOut(let timeout):
            return .object(["kind": .string(reason.code), "timeoutNanoseconds": .integer(timeout.rawValue)])
        case .awaitingApproval(let tool, let callID):
            return .object(["kind": .string(reason.code), "tool": .string(tool), "callID": .string(callID)])
        case .nodeFailed(let node): return .object(["kind": .string(reason.code), "node": .string(node)])
        case .policyViolation, .agentFailed, .toolFailed, .invalidPolicy, .journalFailed:
            return (try? JSONValueEncoder().encode(reason)) ?? .null
        }
    }

    /// A policy's JSON, from a one-entry cache: runs under one policy encode it once.
    package static func encode(_ policy: StrictPolicy) -> JSONValue { PolicyEncoding.of(policy).json }

    /// SHA-256 of a policy's RFC 8785 form, from the same cache.
    package static func policyHash(_ policy: StrictPolicy) -> SHA256Digest { PolicyEncoding.of(policy).hash }

    /// A policy's JSON written once in RFC 8785 form, from the same cache, for sealing the `runStarted` entry that
    /// carries it; `nil` when the policy's stored form differs from its canonical form (see ``CanonicalRendering``).
    package static func policyRendering(_ policy: StrictPolicy) -> CanonicalRendering? {
        PolicyEncoding.of(policy).rendering
    }
}

/// A policy's JSON, hash and canonical rendering, computed once for the last policy seen (the cache is keyed on the
/// whole policy value, so an equal policy gets the same bytes and a different one is encoded afresh).
///
/// A class, so taking the cached encoding out of the lock is one retain, not a copy of every field; a journaled run
/// asks once (``of(_:)``) for all three.
final class PolicyEncoding: Sendable {
    let policy: StrictPolicy
    let json: JSONValue
    let hash: SHA256Digest
    /// `hash` in hex (its `description`), made once: every journaled run's `runStarted` entry carries it.
    let hashText: String
    let rendering: CanonicalRendering?

    private init(policy: StrictPolicy, json: JSONValue, hash: SHA256Digest, rendering: CanonicalRendering?) {
        self.policy = policy
        self.json = json
        self.hash = hash
        self.hashText = hash.description
        self.rendering = rendering
    }

    private static let last = LockedState<PolicyEncoding?>(nil)

    /// The encoding of `policy`.
    static func of(_ policy: StrictPolicy) -> PolicyEncoding {
        if let cached = last.withLock({ $0 }), cached.policy == policy { return cached }
        let json = (try? JSONValueEncoder().encode(policy)) ?? .null
        let rendering = CanonicalRendering(json)
        let encoding = PolicyEncoding(
            policy: policy,
            json: json,
            hash: SHA256.hash(rendering?.bytes ?? json.canonicalJSONBytes()),
            rendering: rendering
        )
        last.withLock { $0 = encoding }
        return encoding
    }
}
