import AgentAdapters
import AgentPolicy
import Testing

/// Sealing a member from a ``CanonicalRendering`` must write exactly the bytes and hash that walking the member
/// writes: the rendering is a cache, never a change to the journal's bytes.
@Suite("Sealing with a canonical rendering", .timeLimit(.suite))
struct CanonicalRenderingTests {
    /// A random object value; some have no rendering (numbers, large integers, `\u00xx`, keys ordered apart).
    static func randomValue(using generator: inout SplitMix64) -> JSONValue {
        .object(JournalSealingTests.randomObject(depth: 0, using: &generator))
    }

    @Test("Random entries sealed with a rendered member write the bytes and hashes of the walked entries")
    func randomEntriesMatchTheWalk() throws {
        var generator = SplitMix64(seed: 0x2E4D)
        var walked = JournalChain()
        var rendered = JournalChain()
        var renderedCount = 0
        for index in 0..<500 {
            let value = Self.randomValue(using: &generator)
            var members = JournalSealingTests.randomObject(depth: 1, using: &generator)
            members["policy"] = value
            let extra: [(key: String, value: JSONValue)] = [("kind", "runStarted"), ("at", .integer(Int64(index)))]
            let rendering = CanonicalRendering(value)
            if rendering != nil { renderedCount += 1 }
            let expected = try walked.append(members, adding: extra)
            let record = try rendered.append(members, adding: extra, rendered: rendering.map { ("policy", $0) })
            #expect(
                record == expected,
                "entry \(index): \(String(decoding: record.bytes, as: UTF8.self)) != \(String(decoding: expected.bytes, as: UTF8.self))"
            )
            #expect(rendered.headHash == walked.headHash, "entry \(index)")
            // The rendering is the value's canonical form, and its stored form.
            if let rendering {
                #expect(rendering.bytes == value.canonicalJSONBytes(), "entry \(index): canonical")
                #expect(rendering.bytes == Array(value.jsonText().utf8), "entry \(index): stored")
            }
        }
        // Both kinds occur: values that render and values that do not (numbers, large integers, `\u00xx`).
        #expect(renderedCount > 50 && renderedCount < 450, "rendered \(renderedCount) of 500")
    }

    @Test("A rendering is used only for its own value under its own key; an equal copy is walked")
    func onlyTheVeryValue() throws {
        let value: JSONValue = ["maxSteps": 5, "tools": ["allowed": ["a", "b"]], "name": "K"]
        let rendering = try #require(CanonicalRendering(value))
        #expect(rendering.isRendering(of: value))
        // Equal contents in storage of their own: not the rendering's value.
        var copy: [String: JSONValue] = [:]
        for (key, member) in value.objectValue ?? [:] { copy[key] = member }
        #expect(JSONValue.object(copy) == value)
        #expect(!rendering.isRendering(of: .object(copy)))
        // A value equal under Unicode canonical equivalence but with other bytes (KELVIN SIGN for "K") is walked,
        // so its own bytes are sealed.
        var kelvin = value.objectValue ?? [:]
        kelvin["name"] = "\u{212A}"
        #expect(JSONValue.object(kelvin) == value)
        #expect(!rendering.isRendering(of: .object(kelvin)))
        var walked = JournalChain()
        var rendered = JournalChain()
        for (key, member) in [("policy", JSONValue.object(kelvin)), ("other", value), ("policy", value)] {
            let expected = try walked.append([key: member], adding: [("kind", "x")])
            let record = try rendered.append([key: member], adding: [("kind", "x")], rendered: ("policy", rendering))
            #expect(record == expected, "\(key)")
        }
        #expect(rendered.headHash == walked.headHash)
    }

    @Test("Values whose stored form differs from their canonical form, and scalars, have no rendering")
    func noRendering() {
        #expect(CanonicalRendering(["ratio": 2.0]) == nil)
        #expect(CanonicalRendering(["at": .integer(9_007_199_254_740_992)]) == nil)
        #expect(CanonicalRendering(["text": "a\u{1}b"]) == nil)
        #expect(CanonicalRendering(["\u{E000}": 1, "\u{1F600}": 2]) == nil)
        #expect(CanonicalRendering("text") == nil)
        #expect(CanonicalRendering(.integer(1)) == nil)
        #expect(CanonicalRendering(["a": [1, "b", .null, true]])?.bytes == Array(#"{"a":[1,"b",null,true]}"#.utf8))
        #expect(CanonicalRendering([]) != nil)
    }
}
