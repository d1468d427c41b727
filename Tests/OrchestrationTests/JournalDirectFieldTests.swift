import AgentPolicy
import Testing

@testable import AgentAdapters
@testable import AgentOrchestration

/// A live entry's plan, step result and review decision are written straight to canonical bytes where the entry is
/// sealed (``DirectFieldValue``): the bytes must be those of the `JSONValue` path (the value's JSON written by the
/// same writer, or the entry sealed from its JSON fields), patches and key-order check included.
@Suite("Plans, results and decisions written straight to canonical bytes", .timeLimit(.suite))
struct JournalDirectFieldTests {
    /// A random step: a random input, a label now and then (escapes, non-ASCII), any index and revision.
    static func randomStep(using generator: inout SplitMix64) -> AgentStep {
        let label =
            Bool.random(using: &generator)
            ? JournalLayoutSealingTests.strings.randomElement(using: &generator)! : nil
        var step = AgentStep(JournalLayoutSealingTests.randomValue(depth: 1, using: &generator), label: label)
        step.index = Int.random(in: 0...(Bool.random(using: &generator) ? 50 : .max), using: &generator)
        step.revision = Int.random(in: 0...3, using: &generator)
        return step
    }

    /// A random plan, result or decision, each case and each decision's case in turn.
    static func randomValue(_ index: Int, using generator: inout SplitMix64) -> DirectFieldValue {
        let steps = (0..<Int.random(in: 0...3, using: &generator)).map { _ in randomStep(using: &generator) }
        let json = JournalLayoutSealingTests.randomValue(depth: 0, using: &generator)
        switch index % 6 {
        case 0: return .plan(steps)
        case 1: return .result(StepResult(output: json, followUpSteps: steps))
        case 2: return .decision(.accept(output: json))
        case 3: return .decision(.accept(output: nil))
        case 4: return .decision(.revise(feedback: json))
        default:
            return .decision(.reject(reason: JournalLayoutSealingTests.strings.randomElement(using: &generator)!))
        }
    }

    @Test("Random values write the bytes, side bytes, patches and key-order flag of their JSON")
    func directWritingMatchesTheJSONPath() {
        var generator = SplitMix64(seed: 0xD1EC7)
        var patched = 0
        var differing = 0
        for index in 0..<1_200 {
            let value = Self.randomValue(index, using: &generator)
            var direct = CanonicalJSONWriter(recordsPatches: true)
            value.write(into: &direct)
            var json = CanonicalJSONWriter(recordsPatches: true)
            json.write(value.jsonValue)
            #expect(
                direct.output == json.output,
                "value \(index): \(String(decoding: direct.output, as: UTF8.self)) != \(String(decoding: json.output, as: UTF8.self))"
            )
            #expect(direct.side == json.side, "value \(index)")
            #expect(
                direct.patches.map { [$0.canonical, $0.replacement] }
                    == json.patches.map { [$0.canonical, $0.replacement] },
                "value \(index)"
            )
            #expect(direct.keyOrdersDiffer == json.keyOrdersDiffer, "value \(index)")
            if !json.patches.isEmpty { patched += 1 }
            if json.keyOrdersDiffer { differing += 1 }
        }
        #expect(patched > 100 && differing > 5, "patched \(patched), key orders differing \(differing)")
    }

    @Test("Entries with a direct field seal to the records and hashes of the same entries with JSON fields")
    func directEntriesMatchTheJSONEntries() throws {
        var generator = SplitMix64(seed: 0xD1EC8)
        var direct = JournalChain()
        var json = JournalChain()
        for index in 0..<600 {
            let value = Self.randomValue(index, using: &generator)
            let (kind, key): (RunJournalEntry.Kind, String) =
                switch value {
                case .plan: (.planned, "steps")
                case .result: (.stepFinished, "result")
                case .decision: (.reviewed, "decision")
                }
            let at = Int64.random(in: 0...1_000_000, using: &generator)
            let record = try direct.append([:], kind: kind.rawValue, at: at, layout: kind.layout, direct: (key, value))
            let expected = try json.append([key: value.jsonValue], kind: kind.rawValue, at: at, layout: kind.layout)
            #expect(record == expected, "entry \(index): \(String(decoding: record.bytes, as: UTF8.self))")
        }
        #expect(direct.headHash == json.headHash)
    }
}
