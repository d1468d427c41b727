import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A replay compares a fed plan and a fed step result with the journal's JSON without encoding them
/// (`RunJournalEntry.plan(_:equals:)`, `result(_:equals:)`). Divergence detection depends on their answer being the
/// one the encoded probe's comparison gave: `encode(value) == json`, for the encoding itself and for every near miss.
@Suite("Fed plans and step results compared without encoding", .timeLimit(.suite))
struct JournalProbeMatchTests {
    /// A random step: a small input, a label or none, an index and a revision.
    static func randomStep(_ generator: inout SplitMix64) -> AgentStep {
        let inputs: [JSONValue] = ["go", 1, .null, ["n": 2], ["n": 2, "m": [true]], [], "", ["label": "x"]]
        var step = AgentStep(
            inputs[Int(generator.next() % UInt64(inputs.count))],
            label: generator.next() % 3 == 0 ? nil : ["a", "b", ""][Int(generator.next() % 3)]
        )
        step.index = Int(generator.next() % 4)
        step.revision = Int(generator.next() % 2)
        return step
    }

    /// Near misses of `json`: a member added, one changed or removed, one element changed, added or removed, another
    /// kind of value, at the top and one level down.
    static func nearMisses(of json: JSONValue, _ generator: inout SplitMix64) -> [JSONValue] {
        var misses: [JSONValue] = []
        switch json {
        case .object(let members):
            var added = members
            added["extra"] = .null
            misses.append(.object(added))
            added["extra"] = nil
            added["label"] = "a"
            misses.append(.object(added))
            for key in members.keys {
                var changed = members
                changed[key] = .integer(Int64(generator.next() % 4))
                misses.append(.object(changed))
                changed[key] = nil
                misses.append(.object(changed))
                for inner in nearMisses(of: members[key]!, &generator).prefix(8) {
                    changed[key] = inner
                    misses.append(.object(changed))
                }
            }
        case .array(let elements):
            misses.append(.array(elements + [elements.last ?? .null]))
            if !elements.isEmpty {
                misses.append(.array(Array(elements.dropLast())))
                let index = Int(generator.next() % UInt64(elements.count))
                for inner in nearMisses(of: elements[index], &generator).prefix(8) {
                    var changed = elements
                    changed[index] = inner
                    misses.append(.array(changed))
                }
            }
        default:
            break
        }
        return misses + [.null, .array([]), .object([:]), .integer(0), .string("steps")]
    }

    @Test("A plan compares as its encoding does, against the encoding and its near misses")
    func plans() {
        var generator = SplitMix64(seed: 3)
        var unequal = 0
        for _ in 0..<150 {
            let plan = (0..<Int(generator.next() % 4)).map { _ in Self.randomStep(&generator) }
            let encoded = RunJournalEntry.encode(plan)
            #expect(RunJournalEntry.plan(plan, equals: encoded))
            #expect(!RunJournalEntry.plan(plan, equals: nil))
            for json in Self.nearMisses(of: encoded, &generator) {
                let expected = json == encoded
                if !expected { unequal += 1 }
                #expect(RunJournalEntry.plan(plan, equals: json) == expected, "\(plan) against \(json)")
            }
        }
        #expect(unequal > 1_000)
    }

    @Test("A step result compares as its encoding does, against the encoding and its near misses")
    func results() {
        var generator = SplitMix64(seed: 5)
        var unequal = 0
        for _ in 0..<150 {
            let followUps = (0..<Int(generator.next() % 3)).map { _ in Self.randomStep(&generator) }
            let result = StepResult(output: Self.randomStep(&generator).input, followUpSteps: followUps)
            let encoded = RunJournalEntry.encode(result)
            #expect(RunJournalEntry.result(result, equals: encoded))
            #expect(!RunJournalEntry.result(result, equals: nil))
            for json in Self.nearMisses(of: encoded, &generator) {
                let expected = json == encoded
                if !expected { unequal += 1 }
                #expect(RunJournalEntry.result(result, equals: json) == expected, "\(result) against \(json)")
            }
        }
        #expect(unequal > 1_000)
    }
}
