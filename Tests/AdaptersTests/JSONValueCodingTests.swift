import AgentAdapters
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#endif

private enum Priority: String, Codable, Hashable {
    case low, high
}

private enum Level: Int, Codable, Hashable {
    case one = 1
    case two = 2
}

private struct Inner: Codable, Hashable {
    var name: String
    var weight: Double
    var flags: [Bool]
}

private struct Envelope: Codable, Hashable {
    var id: Int
    var small: Int8
    var unsigned: UInt64
    var ratio: Float
    var title: String
    var note: String?
    var missing: Int?
    var priority: Priority
    var level: Level
    var tags: [String]
    var counts: [String: Int]
    var byNumber: [Int: String]
    var inner: Inner
    var inners: [Inner]
    var matrix: [[Int]]
    var payload: JSONValue
    var optionalPayload: JSONValue?
    var empty: [String: JSONValue]
}

private let sample = Envelope(
    id: 7,
    small: -3,
    unsigned: 9_223_372_036_854_775_807,
    ratio: 0.1,
    title: "t",
    note: "n",
    missing: nil,
    priority: .high,
    level: .two,
    tags: ["a", ""],
    counts: ["x": 1, "y": 0],
    byNumber: [1: "one"],
    inner: Inner(name: "in", weight: 2.5, flags: [true, false]),
    inners: [Inner(name: "a", weight: 0, flags: [])],
    matrix: [[1, 2], [], [3]],
    payload: ["int": 1, "double": 1.0, "falsy": ["", 0, false, [], [:], nil]],
    optionalPayload: [1, 2.0],
    empty: [:]
)

/// A class hierarchy using `superEncoder()`/`superDecoder()` and nested containers.
private class Base: Codable {
    var base: Int
    init(base: Int) { self.base = base }
}

private final class Derived: Base {
    var extra: String
    var point: (x: Int, y: Int)

    private enum CodingKeys: String, CodingKey { case extra, point }
    private enum PointKeys: String, CodingKey { case x, y }

    init(base: Int, extra: String, point: (Int, Int)) {
        self.extra = extra
        self.point = point
        super.init(base: base)
    }

    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        extra = try container.decode(String.self, forKey: .extra)
        var list = try container.nestedUnkeyedContainer(forKey: .point)
        let pair = try list.nestedContainer(keyedBy: PointKeys.self)
        point = (try pair.decode(Int.self, forKey: .x), try pair.decode(Int.self, forKey: .y))
        try super.init(from: container.superDecoder())
    }

    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(extra, forKey: .extra)
        var list = container.nestedUnkeyedContainer(forKey: .point)
        var pair = list.nestedContainer(keyedBy: PointKeys.self)
        try pair.encode(point.x, forKey: .x)
        try pair.encode(point.y, forKey: .y)
        try super.encode(to: container.superEncoder())
    }
}

private func path(_ error: any Error) -> String {
    let context: DecodingError.Context?
    switch error as? DecodingError {
    case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .dataCorrupted(let c)?: context = c
    case .keyNotFound(let key, let c)?: return (c.codingPath + [key]).map(\.stringValue).joined(separator: "/")
    default: context = nil
    }
    return context?.codingPath.map(\.stringValue).joined(separator: "/") ?? "not a DecodingError: \(error)"
}

@Suite("JSONValueEncoder and JSONValueDecoder", .timeLimit(.suite))
struct JSONValueCodingTests {
    @Test("A nested structure round-trips")
    func roundTrip() throws {
        let encoded = try JSONValueEncoder().encode(sample)
        #expect(try JSONValueDecoder().decode(Envelope.self, from: encoded) == sample)
        #expect(try encoded.decode(as: Envelope.self) == sample)
        #expect(try JSONValue(encoding: sample) == encoded)
        #expect(encoded["missing"] == nil)
        #expect(encoded["note"] == "n")
        #expect(encoded["priority"] == "high")
        #expect(encoded["level"] == 2)
        #expect(encoded["ratio"] == .number(0.1))
        #expect(encoded["unsigned"] == .integer(.max))
        #expect(encoded["counts"] == ["x": 1, "y": 0])
        #expect(encoded["byNumber"] == ["1": "one"])
        #expect(encoded["matrix"] == [[1, 2], [], [3]])
        #expect(encoded["empty"] == [:])
        #expect(encoded["inner"]?["flags"] == [true, false])
    }

    @Test("JSONValue fields are stored and read unchanged")
    func jsonValueFields() throws {
        let encoded = try JSONValueEncoder().encode(sample)
        #expect(encoded["payload"] == sample.payload)
        #expect(encoded["payload"]?["int"] == .integer(1))
        #expect(encoded["payload"]?["double"] == .number(1.0))
        #expect(try JSONValueEncoder().encode(JSONValue.number(2.0)) == .number(2.0))
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: .number(2.0)) == .number(2.0))
        #expect(try JSONValueDecoder().decode([JSONValue].self, from: [1, 1.0]) == [.integer(1), .number(1.0)])
    }

    @Test("Missing keys and null decode as nil for optionals; a JSONValue? keeps a present null as .null")
    func optionals() throws {
        var encoded = try JSONValueEncoder().encode(sample).objectValue!
        encoded["note"] = nil
        encoded["optionalPayload"] = .null
        let decoded = try JSONValueDecoder().decode(Envelope.self, from: .object(encoded))
        #expect(decoded.note == nil)
        #expect(decoded.optionalPayload == .null)
        encoded["optionalPayload"] = nil
        #expect(try JSONValueDecoder().decode(Envelope.self, from: .object(encoded)).optionalPayload == nil)
        encoded["missing"] = 4
        #expect(try JSONValueDecoder().decode(Envelope.self, from: .object(encoded)).missing == 4)
    }

    @Test("superEncoder and nested containers round-trip")
    func classHierarchy() throws {
        let encoded = try JSONValueEncoder().encode(Derived(base: 5, extra: "e", point: (1, 2)))
        #expect(encoded == ["extra": "e", "point": [["x": 1, "y": 2]], "super": ["base": 5]])
        let decoded = try JSONValueDecoder().decode(Derived.self, from: encoded)
        #expect(decoded.base == 5 && decoded.extra == "e" && decoded.point == (1, 2))
    }

    @Test("Primitives map to the expected cases")
    func primitives() throws {
        let encoder = JSONValueEncoder()
        #expect(try encoder.encode(true) == .bool(true))
        #expect(try encoder.encode(Int8.min) == .integer(-128))
        #expect(try encoder.encode(UInt64.max - 2047) == .number(18_446_744_073_709_549_568.0))
        #expect(try encoder.encode(Float(1.5)) == .number(1.5))
        #expect(try encoder.encode([String?.none, "a"]) == [nil, "a"])
        #expect(try encoder.encode(["k": [1, 2]]) == ["k": [1, 2]])
        #expect(try JSONValueDecoder().decode(UInt64.self, from: .number(18_446_744_073_709_549_568.0)) == .max - 2047)
        #expect(try JSONValueDecoder().decode(Int.self, from: .number(3.0)) == 3)
        #expect(try JSONValueDecoder().decode(Double.self, from: 3) == 3.0)
        #expect(try JSONValueDecoder().decode(Float.self, from: 0.1) == Float(0.1))
    }

    @Test("Values JSON cannot hold fail to encode")
    func unencodable() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Double.nan) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["x": Float.infinity]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(UInt64.max) }
    }

    @Test(
        "Decoding errors carry the coding path",
        arguments: [
            (["id": "7"], "id", "typeMismatch"),
            (["inner": ["name": "n", "weight": 1, "flags": [true, 1]]], "inner/flags/Index 1", "typeMismatch"),
            (["inner": ["name": "n", "weight": 1]], "inner/flags", "keyNotFound"),
            (["inners": [["name": "n", "weight": nil, "flags": []]]], "inners/Index 0/weight", "valueNotFound"),
            (["small": 300], "small", "dataCorrupted"),
            (["small": 1.5], "small", "dataCorrupted"),
            (["priority": "medium"], "priority", "dataCorrupted"),
            (["counts": ["x": true]], "counts/x", "typeMismatch"),
            (["matrix": [[1], ["2"]]], "matrix/Index 1/Index 0", "typeMismatch"),
            (["inner": nil], "inner", "valueNotFound"),
            (["tags": "a"], "tags", "typeMismatch"),
        ] as [(JSONValue, String, String)]
    )
    func decodingErrorPaths(patch: JSONValue, expectedPath: String, kind: String) throws {
        var object = try JSONValueEncoder().encode(sample).objectValue!
        for (key, value) in patch.objectValue! { object[key] = value }
        do {
            _ = try JSONValueDecoder().decode(Envelope.self, from: .object(object))
            Issue.record("decoding succeeded")
        } catch let error as DecodingError {
            #expect(path(error) == expectedPath)
            let actualKind =
                switch error {
                case .typeMismatch: "typeMismatch"
                case .valueNotFound: "valueNotFound"
                case .keyNotFound: "keyNotFound"
                case .dataCorrupted: "dataCorrupted"
                @unknown default: "unknown"
                }
            #expect(actualKind == kind, "\(error)")
        }
    }

    @Test("Booleans and numbers never convert into each other")
    func noBoolNumberConfusion() {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Bool.self, from: 1) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Int.self, from: true) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(String.self, from: 1) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Int.self, from: "1") }
    }

    @Test("An unkeyed container at its end throws valueNotFound with the index")
    func unkeyedAtEnd() throws {
        struct Pair: Decodable {
            init(from decoder: any Decoder) throws {
                var list = try decoder.unkeyedContainer()
                _ = try list.decode(Int.self)
                _ = try list.decode(Int.self)
            }
        }
        do {
            _ = try JSONValueDecoder().decode([String: Pair].self, from: ["p": [1]])
            Issue.record("decoding succeeded")
        } catch {
            #expect(path(error) == "p/Index 1")
            guard case .valueNotFound? = error as? DecodingError else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test("userInfo reaches the encoded and decoded values")
    func userInfo() throws {
        let key = CodingUserInfoKey(rawValue: "mode")!
        struct Probe: Codable {
            var seen: String
            init(seen: String) { self.seen = seen }
            init(from decoder: any Decoder) throws {
                seen = decoder.userInfo[CodingUserInfoKey(rawValue: "mode")!] as! String
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.userInfo[CodingUserInfoKey(rawValue: "mode")!] as! String)
            }
        }
        var encoder = JSONValueEncoder()
        encoder.userInfo[key] = "enc"
        #expect(try encoder.encode([Probe(seen: "")]) == ["enc"])
        var decoder = JSONValueDecoder()
        decoder.userInfo[key] = "dec"
        #expect(try decoder.decode([Probe].self, from: [nil]).first?.seen == "dec")
    }

    #if canImport(FoundationEssentials)
        @Test("Foundation's JSONEncoder and JSONDecoder agree with the text form")
        func foundationCrossCheck() throws {
            let value: JSONValue = ["int": 1, "double": 1.5, "s": "x\n", "a": [true, nil, [:]], "big": 1e300]
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let data = try encoder.encode(value)
            let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(decoded == value)
            let fromText = try JSONDecoder().decode(JSONValue.self, from: Data(value.jsonText().utf8))
            #expect(fromText == value)
            // Foundation writes the Double 1.0 as "1", so an integral `.number` comes back as `.integer`.
            #expect(try JSONDecoder().decode(JSONValue.self, from: encoder.encode(JSONValue.number(1.0))) == 1)
            var integral = sample
            integral.payload = ["int": 1, "half": 0.5, "falsy": ["", 0, false, [], [:], nil]]
            integral.optionalPayload = [1, 2.5]
            let envelope = try JSONDecoder().decode(Envelope.self, from: encoder.encode(integral))
            #expect(envelope == integral)
            let viaText = try JSONValue(parsing: String(decoding: encoder.encode(integral), as: UTF8.self))
            #expect(try viaText.decode(as: Envelope.self) == integral)
        }
    #endif
}
