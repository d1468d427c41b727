import AgentAdapters
import Testing

/// A root schema using every new part: `$defs`/`$ref` (recursive), `anyOf`, nullable kinds and enums, examples.
private var composite: ToolSchema {
    var status = ToolSchema.string(enum: ["open", "closed"]).nullable()
    status.examples = ["open"]
    var schema = ToolSchema.object(
        properties: [
            "root": .reference(to: "Node"),
            "id": .anyOf([.integer(minimum: 1), .string(minLength: 1)]),
            "status": status,
            "weight": ToolSchema.number(minimum: 0).nullable(),
            "parent": ToolSchema.reference(to: "Node").nullable(),
        ],
        required: ["root", "id"]
    )
    schema.definitions["Node"] = .object(
        properties: ["name": .string(), "children": .array(of: .reference(to: "Node"))],
        required: ["name"]
    )
    schema.definitions["a/b~c"] = .boolean()
    return schema
}

private func decoded(_ value: JSONValue) throws -> ToolSchema {
    try JSONValueDecoder().decode(ToolSchema.self, from: value)
}

@Suite("ToolSchema: nullable, anyOf, $defs and $ref", .timeLimit(.suite))
struct ToolSchemaCompositionTests {
    @Test("The JSON form round-trips: $defs, $ref, anyOf, nullable kinds and enums, examples")
    func roundTrip() throws {
        let schema = composite
        #expect(try decoded(schema.jsonSchema) == schema)
        #expect(try decoded(JSONValue(parsing: schema.jsonSchema.jsonText())) == schema)
        var escaped = ToolSchema.reference(to: "a/b~c")
        escaped.definitions = schema.definitions
        #expect(escaped.jsonSchema["$ref"] == "#/$defs/a~1b~0c")
        #expect(try decoded(escaped.jsonSchema) == escaped)
    }

    @Test("Nullable is written as a type list, with null appended to an enum")
    func nullableForm() {
        let status = composite.properties["status"]!.jsonSchema
        #expect(status["type"] == ["string", "null"])
        #expect(status["enum"] == ["open", "closed", nil])
        #expect(status["examples"] == ["open"])
        // A nullable reference becomes anyOf of the reference and null.
        #expect(
            composite.properties["parent"]!.jsonSchema.jsonText()
                == ##"{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]}"##
        )
        #expect(ToolSchema.any.nullable() == .any)
        #expect(ToolSchema.null.nullable() == .null)
    }

    @Test("Other spellings decode: draft-07 definitions, a list of several types")
    func otherSpellings() throws {
        let draft7: JSONValue = [
            "definitions": ["Leaf": ["type": "string"]],
            "type": "object",
            "properties": ["leaf": ["$ref": "#/definitions/Leaf"]],
        ]
        let schema = try decoded(draft7)
        #expect(schema.definitions["Leaf"] == .string())
        #expect(schema.properties["leaf"] == .reference(to: "Leaf"))
        #expect(schema.validate(["leaf": 1])?.path == "leaf")

        let several = try decoded(["type": ["string", "integer", "null"], "minimum": 0])
        #expect(several.validate("x") == nil)
        #expect(several.validate(nil) == nil)
        #expect(several.validate(-1)?.message == "value -1 is below minimum 0")
        #expect(several.validate(true) != nil)
    }

    @Test(
        "Unsupported references and malformed keywords are refused, naming the keyword",
        arguments: [
            (["$ref": "https://example.com/schema.json"], "$ref"),
            (["$ref": "#/$defs/a/b"], "$ref"),
            (["$ref": "#/$defs/bad~2"], "$ref"),
            (["$ref": 1], "$ref"),
            (["anyOf": ["type": "string"]], "anyOf"),
            (["$defs": []], "$defs"),
            (["type": []], "type"),
            (["type": ["string", "date"]], "type"),
            (["examples": "x"], "examples"),
        ] as [(JSONValue, String)]
    )
    func refusals(schema: JSONValue, keyword: String) {
        #expect {
            _ = try decoded(schema)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.last?.stringValue == keyword
        }
    }

    @Test("References resolve against the root's $defs, at any depth")
    func referencesResolve() {
        let schema = composite
        let value: JSONValue = [
            "root": ["name": "a", "children": [["name": "b", "children": [["name": "c"]]]]],
            "id": 7, "status": nil, "weight": nil, "parent": nil,
        ]
        #expect(schema.validate(value) == nil)
        let deep: JSONValue = [
            "root": ["name": "a", "children": [["name": "b", "children": [["name": 3]]]]], "id": 7,
        ]
        #expect(
            schema.validate(deep)
                == SchemaViolation(
                    path: "root.children[0].children[0].name",
                    message: "expected string, found integer 3"
                )
        )
        #expect(schema.validate(["root": ["name": "a"], "id": 1, "parent": ["children": []]])?.path == "parent")
    }

    @Test("An unresolved reference, and a reference cycle that never consumes the value, are violations, not crashes")
    func unresolvedAndCycles() {
        #expect(
            ToolSchema.reference(to: "Nowhere").validate(1)?.message
                == ##"unresolved reference "#/$defs/Nowhere": the root schema has no such definition"##
        )
        var cycle = ToolSchema.reference(to: "A")
        cycle.definitions["A"] = .reference(to: "B")
        cycle.definitions["B"] = .reference(to: "A")
        let violation = cycle.validate(1)
        #expect(violation?.message.contains("exceeds \(ToolSchema.maximumValidationDepth) levels") == true)
    }

    @Test("anyOf accepts a value matching one alternative; a refusal explains with the alternative of its kind")
    func anyOfRules() {
        let id = composite.properties["id"]!
        #expect(id.validate(3) == nil)
        #expect(id.validate("x") == nil)
        #expect(id.validate(0)?.message == "value 0 is below minimum 1")
        #expect(id.validate("")?.message == "string of length 0 is shorter than minimum length 1")
        #expect(id.validate(true)?.message == "boolean true matches none of the anyOf alternatives [integer, string]")
        #expect(ToolSchema.anyOf([]).validate(nil) != nil)
    }

    @Test("A nullable schema accepts null and still checks everything else")
    func nullableRules() {
        let status = composite.properties["status"]!
        #expect(status.validate(nil) == nil)
        #expect(status.validate("open") == nil)
        #expect(status.validate("lost")?.message == #""lost" is not one of ["open", "closed"]"#)
        #expect(status.validate(1)?.message == "expected string or null, found integer 1")
        #expect(ToolSchema.string().validate(nil)?.message == "expected string, found null")
    }
}
