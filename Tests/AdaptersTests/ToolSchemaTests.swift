import AgentAdapters
import Testing

private let searchSchema = ToolSchema.object(
    properties: [
        "query": .string(description: "What to search for", minLength: 1, maxLength: 10),
        "limit": .integer(minimum: 1, maximum: 10),
        "mode": .string(enum: ["low", "high"]),
        "threshold": .number(minimum: 0, maximum: 0.5),
        "exact": .boolean(),
        "cursor": .null,
        "extra": .any,
        "items": .array(
            of: .object(properties: ["name": .string(), "size": .integer()], required: ["name"])
        ),
        "content-type": .string(),
    ],
    required: ["query"],
    description: "Search the index"
)

@Suite("ToolSchema", .timeLimit(.suite))
struct ToolSchemaTests {
    @Test("A conforming value passes")
    func conforming() {
        let value: JSONValue = [
            "query": "swift", "limit": 10, "mode": "low", "threshold": 0, "exact": false, "cursor": nil,
            "extra": [1, ["a": nil]], "items": [["name": "a"], ["name": "b", "size": 2.0]], "unknown": 1,
        ]
        #expect(searchSchema.validate(value) == nil)
        #expect(searchSchema.validate(["query": "x"]) == nil)
    }

    @Test(
        "Each rule reports its violation with the exact path",
        arguments: [
            ([:], "query", #"missing required property "query""#),
            ("text", "", #"expected object, found string "text""#),
            (["query": 5], "query", "expected string, found integer 5"),
            (["query": "abc", "limit": "abc"], "limit", #"expected integer, found string "abc""#),
            (["query": "abc", "limit": 1.5], "limit", "expected integer, found number 1.5"),
            (["query": "abc", "limit": true], "limit", "expected integer, found boolean true"),
            (["query": "abc", "limit": 11], "limit", "value 11 is above maximum 10"),
            (["query": "abc", "limit": 0], "limit", "value 0 is below minimum 1"),
            (["query": "abc", "limit": 10.5e0], "limit", "expected integer, found number 10.5"),
            (["query": "abc", "limit": 11.0], "limit", "value 11.0 is above maximum 10"),
            (["query": "abc", "threshold": 0.75], "threshold", "value 0.75 is above maximum 0.5"),
            (["query": "abc", "threshold": -1], "threshold", "value -1 is below minimum 0.0"),
            (["query": "abc", "threshold": nil], "threshold", "expected number, found null"),
            (["query": "abc", "mode": "fast"], "mode", #""fast" is not one of ["low", "high"]"#),
            (["query": ""], "query", "string of length 0 is shorter than minimum length 1"),
            (["query": "ééééééééééé"], "query", "string of length 11 is longer than maximum length 10"),
            (["query": "abc", "exact": 0], "exact", "expected boolean, found integer 0"),
            (["query": "abc", "cursor": ""], "cursor", #"expected null, found string """#),
            (["query": "abc", "items": [:]], "items", "expected array, found object"),
            (
                ["query": "abc", "items": [["name": "a"], ["name": "b"], [:]]], "items[2].name",
                #"missing required property "name""#
            ),
            (
                ["query": "abc", "items": [["name": "a", "size": "big"]]], "items[0].size",
                #"expected integer, found string "big""#
            ),
            (["query": "abc", "items": [[]]], "items[0]", "expected object, found array"),
            (["query": "abc", "content-type": 1], #"["content-type"]"#, "expected string, found integer 1"),
        ] as [(JSONValue, String, String)]
    )
    func violations(value: JSONValue, path: String, message: String) {
        let violation = searchSchema.validate(value)
        #expect(violation == SchemaViolation(path: path, message: message))
    }

    @Test("Several violations report the first in sorted key order")
    func deterministicOrder() {
        let value: JSONValue = ["query": "abc", "mode": "x", "limit": 99, "exact": 1]
        #expect(searchSchema.validate(value)?.path == "exact")
        let missingTwo = ToolSchema.object(properties: [:], required: ["b", "a"])
        #expect(missingTwo.validate([:])?.path == "b")
    }

    @Test("Additional properties can be refused")
    func additionalProperties() {
        let strict = ToolSchema.object(properties: ["a": .integer()], allowsAdditionalProperties: false)
        #expect(strict.validate(["a": 1]) == nil)
        #expect(
            strict.validate(["a": 1, "z": 1, "b": 2])
                == SchemaViolation(path: "b", message: #"unexpected property "b""#)
        )
    }

    @Test("Integer bounds compare exactly against Int64")
    func exactIntegerBounds() {
        let schema = ToolSchema.integer(minimum: .max - 1, maximum: .max - 1)
        #expect(schema.validate(.integer(.max - 1)) == nil)
        #expect(
            schema.validate(.integer(.max))?.message == "value 9223372036854775807 is above maximum 9223372036854775806"
        )
        // 2^63 - 2 is not a Double; the nearest Double, 2^63, is above the maximum.
        #expect(schema.validate(.number(9_223_372_036_854_775_808.0)) != nil)
        let small = ToolSchema.integer(minimum: -3, maximum: 3)
        #expect(small.validate(.number(-3.0)) == nil)
        #expect(small.validate(.number(3.0)) == nil)
        #expect(small.validate(.number(-4.0))?.message == "value -4.0 is below minimum -3")
        let fractional = ToolSchema.number(minimum: 0.5)
        #expect(fractional.validate(.integer(0))?.message == "value 0 is below minimum 0.5")
        #expect(fractional.validate(.integer(1)) == nil)
    }

    @Test("Enum compares numbers by value")
    func enumNumbers() {
        var schema = ToolSchema(kind: .any)
        schema.allowedValues = [1, "a", nil]
        #expect(schema.validate(1) == nil)
        #expect(schema.validate(1.0) == nil)
        #expect(schema.validate(nil) == nil)
        #expect(schema.validate("b")?.message == #""b" is not one of [1, "a", null]"#)
        #expect(schema.validate(false)?.message == #"false is not one of [1, "a", null]"#)
    }

    @Test("The any schema accepts every value")
    func anyAcceptsAll() {
        for value: JSONValue in [nil, false, 0, 0.5, "", [], [:], [[1]]] {
            #expect(ToolSchema.any.validate(value) == nil)
        }
    }

    @Test("Long strings are shortened in messages")
    func longStringSummary() {
        let long = String(repeating: "x", count: 100)
        let message = ToolSchema.integer().validate(.string(long))?.message
        #expect(message == "expected integer, found string \"\(String(repeating: "x", count: 40))\"…")
    }

    @Test("jsonSchema renders standard JSON Schema")
    func rendering() {
        let schema = ToolSchema.object(
            properties: [
                "q": .string(description: "Query", enum: ["a", "b"], minLength: 1),
                "n": .integer(minimum: 0, maximum: 5),
                "x": .number(maximum: 1.5),
                "list": .array(of: .boolean(), description: "Flags"),
                "any": .any,
                "none": .null,
            ],
            required: ["q"],
            allowsAdditionalProperties: false,
            description: "Args"
        )
        let expected =
            #"{"additionalProperties":false,"description":"Args","properties":{"any":{},"list":{"description":"Flags","#
            + #""items":{"type":"boolean"},"type":"array"},"n":{"maximum":5,"minimum":0,"type":"integer"},"#
            + #""none":{"type":"null"},"q":{"description":"Query","enum":["a","b"],"minLength":1,"type":"string"},"#
            + #""x":{"maximum":1.5,"type":"number"}},"required":["q"],"type":"object"}"#
        #expect(schema.jsonSchema.jsonText() == expected)
        #expect(ToolSchema.object().jsonSchema == ["type": "object", "properties": [:]])
    }

    @Test("Codable uses the JSON Schema form and round-trips")
    func codable() throws {
        let encoded = try JSONValueEncoder().encode(searchSchema)
        #expect(encoded == searchSchema.jsonSchema)
        #expect(try JSONValueDecoder().decode(ToolSchema.self, from: encoded) == searchSchema)
        let text = searchSchema.jsonSchema.jsonText()
        #expect(try JSONValue(parsing: text).decode(as: ToolSchema.self) == searchSchema)
    }

    @Test("Decoding an unsupported schema names the keyword")
    func decodingErrors() {
        let bad: JSONValue = ["type": "object", "properties": ["a": ["type": "date"]]]
        do {
            _ = try JSONValueDecoder().decode(ToolSchema.self, from: bad)
            Issue.record("decoding succeeded")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.map(\.stringValue) == ["properties", "a", "type"])
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(ToolSchema.self, from: ["required": [1]]) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(ToolSchema.self, from: []) }
    }

    @Test("The items accessor stores and clears the element schema")
    func itemsAccessor() {
        var schema = ToolSchema(kind: .array)
        #expect(schema.items == nil)
        #expect(schema.validate([1, "a"]) == nil)
        schema.items = .integer()
        #expect(schema.validate([1, "a"])?.path == "[1]")
        schema.items = nil
        #expect(schema == ToolSchema(kind: .array))
    }

    @Test("SchemaViolation describes itself with its path")
    func violationDescription() {
        #expect(SchemaViolation(path: "a.b", message: "m").description == "a.b: m")
        #expect(SchemaViolation(path: "", message: "m").description == "m")
    }
}
