import AgentAdapters
import Testing

@Suite("JSONValue", .timeLimit(.suite))
struct JSONValueTests {
    @Test("Literals build the matching cases")
    func literals() {
        let value: JSONValue = [
            "null": nil, "bool": true, "int": 42, "double": 1.5, "string": "hi", "array": [1, "two"],
            "object": ["k": 0],
        ]
        #expect(value["null"] == .null)
        #expect(value["bool"] == .bool(true))
        #expect(value["int"] == .integer(42))
        #expect(value["double"] == .number(1.5))
        #expect(value["string"] == .string("hi"))
        #expect(value["array"] == .array([.integer(1), .string("two")]))
        #expect(value["object"] == .object(["k": .integer(0)]))
        let name = "world"
        let interpolated: JSONValue = "hello \(name)"
        #expect(interpolated == .string("hello world"))
        let floatOne: JSONValue = 1.0
        #expect(floatOne == .number(1.0))
    }

    @Test("Falsy values are distinct from each other")
    func falsyValuesAreDistinct() {
        let falsy: [JSONValue] = ["", 0, false, [], [:], nil, 0.0]
        #expect(Set(falsy).count == falsy.count)
        for (i, a) in falsy.enumerated() {
            for (j, b) in falsy.enumerated() where i != j { #expect(a != b) }
        }
        #expect(falsy.map(\.description) == ["\"\"", "0", "false", "[]", "{}", "null", "0.0"])
    }

    @Test("An integer and an equal number are different values")
    func integerIsNotNumber() {
        #expect(JSONValue.integer(1) != JSONValue.number(1.0))
        #expect(JSONValue.integer(1).integerValue == JSONValue.number(1.0).integerValue)
        #expect(JSONValue.integer(1).doubleValue == 1.0)
    }

    @Test("Subscripts return nil for the wrong kind or a missing member")
    func subscripts() {
        let object: JSONValue = ["a": [10, 20]]
        #expect(object["a"]?[1] == 20)
        #expect(object["a"]?[2] == nil)
        #expect(object["a"]?[-1] == nil)
        #expect(object["b"] == nil)
        #expect(object[0] == nil)
        #expect(JSONValue.string("a")["a"] == nil)
    }

    @Test("Accessors read only their own kind")
    func accessors() {
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.integer(3).stringValue == nil)
        #expect(JSONValue.number(3.0).integerValue == 3)
        #expect(JSONValue.number(3.5).integerValue == nil)
        #expect(JSONValue.number(1e300).integerValue == nil)
        #expect(JSONValue.number(.nan).integerValue == nil)
        #expect(JSONValue.number(-9_223_372_036_854_775_808.0).integerValue == .min)
        #expect(JSONValue.number(9_223_372_036_854_775_808.0).integerValue == nil)
        #expect(JSONValue.integer(.max).doubleValue == 9_223_372_036_854_775_808.0)
        #expect(JSONValue.string("1").integerValue == nil)
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.integer(1).boolValue == nil)
        #expect(JSONValue.array([]).arrayValue == [])
        #expect(JSONValue.object([:]).objectValue == [:])
        #expect(JSONValue.object([:]).arrayValue == nil)
        #expect(JSONValue.null.isNull)
        #expect(!JSONValue.integer(0).isNull)
    }

    @Test("Dictionary literals keep the last value of a repeated key")
    func repeatedLiteralKey() {
        let value: JSONValue = ["a": 1, "a": 2]
        #expect(value == ["a": 2])
    }

    @Test("description is compact canonical JSON")
    func description() {
        let value: JSONValue = ["b": [1, 2.5, "x"], "a": nil]
        #expect(value.description == #"{"a":null,"b":[1,2.5,"x"]}"#)
        #expect("\(value)" == value.jsonText())
    }
}

@Suite("JSONValue string interpolation")
struct JSONValueInterpolationTests {
    @Test("Interpolated strings add their text, other values their JSON, nil adds null")
    func interpolation() {
        let topic: JSONValue = "Swift"
        let object: JSONValue = ["a": [1, true]]
        let missing: JSONValue? = nil
        let count = 3
        let value: JSONValue = "on \(topic), \(object), \(missing), \(count) times, \(object["a"] ?? "none")"
        #expect(value == #"on Swift, {"a":[1,true]}, null, 3 times, [1,true]"#)
        let fallback: JSONValue = "\(object["zzz"] ?? "none")"
        #expect(fallback == "none")
    }
}
