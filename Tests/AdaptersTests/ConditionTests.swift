import AgentAdapters
import AgentPolicy
import Testing

@Suite("JSON paths")
struct JSONPathTests {
    let data: JSONValue = [
        "ticket": ["category": "billing", "tags": ["refund", "urgent"], "odd key": 1, "score": 0.5],
        "items": [["name": "a"], ["name": "b"]],
    ]

    @Test("A path reads members, elements and quoted names, and names nothing when a step is missing")
    func reading() throws {
        #expect(try JSONPath(parsing: "$").value(in: data) == data)
        #expect(try JSONPath(parsing: "$.ticket.category").value(in: data) == "billing")
        #expect(try JSONPath(parsing: "$.ticket.tags[1]").value(in: data) == "urgent")
        #expect(try JSONPath(parsing: "$.items[1].name").value(in: data) == "b")
        #expect(try JSONPath(parsing: "$[\"ticket\"][\"odd key\"]").value(in: data) == 1)
        #expect(try JSONPath(parsing: "$.ticket.missing").value(in: data) == nil)
        #expect(try JSONPath(parsing: "$.ticket.tags[2]").value(in: data) == nil)
        #expect(try JSONPath(parsing: "$.ticket.category.deeper").value(in: data) == nil)
    }

    @Test("Bad paths are refused with the offset and the reason")
    func refusing() {
        let cases: [(String, Int, String)] = [
            ("ticket", 0, "starts with"),
            ("$.", 2, "member name"),
            ("$[", 2, "index or a quoted name"),
            ("$[1", 3, "\"]\""),
            ("$[\"a", 4, "unterminated"),
            ("$.a b", 3, "expected \".\" or \"[\""),
            ("$[99999999999999999999]", 20, "too large"),
        ]
        for (text, offset, reason) in cases {
            #expect(throws: JSONPathError.self, "\(text)") { try JSONPath(parsing: text) }
            do {
                _ = try JSONPath(parsing: text)
            } catch {
                #expect(error.path == text)
                #expect(error.offset == offset, "\(text): \(error)")
                #expect(error.reason.contains(reason), "\(text): \(error)")
                #expect(error.errorCode == "invalidJSONPath")
            }
        }
    }

    @Test("A path prints in the form it parses from, quoting names that need it")
    func printing() throws {
        for text in ["$", "$.a.b[0]", "$[\"odd key\"].x", "$[\"quote\\\"d\"]", "$[\"\"]"] {
            let path = try JSONPath(parsing: text)
            #expect(path.description == text)
            #expect(try JSONPath(parsing: path.description) == path)
        }
        let encoded = try JSONValueEncoder().encode(JSONPath("$.a[2]"))
        #expect(encoded == "$.a[2]")
        #expect(try JSONValueDecoder().decode(JSONPath.self, from: encoded) == "$.a[2]")
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(JSONPath.self, from: "a.b") }
    }

    @Test("Setting a value creates missing members, appends at the end, and names a step through the wrong kind")
    func setting() throws {
        var value: JSONValue = ["draft": nil]
        value = try JSONPath("$.draft.text").setting("hello", in: value)
        value = try JSONPath("$.history").setting([], in: value)
        value = try JSONPath("$.history[0]").setting("first", in: value)
        value = try JSONPath("$.history[0]").setting("replaced", in: value)
        #expect(value == ["draft": ["text": "hello"], "history": ["replaced"]])
        #expect(try JSONPath.root.setting(7, in: value) == 7)
        #expect(throws: JSONPathError.self) { try JSONPath("$.history[5]").setting(1, in: value) }
        #expect(throws: JSONPathError.self) { try JSONPath("$.draft.text.more").setting(1, in: value) }
        #expect(throws: JSONPathError.self) { try JSONPath("$.draft[0]").setting(1, in: value) }
    }
}

@Suite("Conditions")
struct ConditionTests {
    let ticket: JSONValue = ["category": "billing", "priority": 2, "text": "please refund me", "note": nil]

    var predicates: PredicateRegistry {
        PredicateRegistry([
            "mentionsRefund": { $0["text"]?.stringValue?.contains("refund") == true },
            "never": { _ in false },
        ])
    }

    @Test("Structured comparisons need no code and compare numbers by value")
    func comparisons() throws {
        #expect(try Condition.equals("$.category", "billing").evaluate(on: ticket))
        #expect(try !Condition.equals("$.category", "technical").evaluate(on: ticket))
        #expect(try Condition.equals("$.priority", .number(2.0)).evaluate(on: ticket))
        #expect(try !Condition.equals("$.priority", .number(2.5)).evaluate(on: ticket))
        #expect(try Condition.isOneOf("$.category", ["technical", "billing"]).evaluate(on: ticket))
        #expect(try !Condition.isOneOf("$.category", []).evaluate(on: ticket))
        #expect(try Condition.exists("$.note").evaluate(on: ticket))
        #expect(try !Condition.exists("$.missing").evaluate(on: ticket))
        #expect(try !Condition.equals("$.missing", nil).evaluate(on: ticket))
        #expect(try Condition.equals("$", ticket).evaluate(on: ticket))
        #expect(try Condition.equals("$.x", [1, ["y": 2]]).evaluate(on: ["x": [.number(1), ["y": .number(2)]]]))
        #expect(try !Condition.equals("$.x", [1, 2]).evaluate(on: ["x": [1]]))
    }

    @Test("Combinators short-circuit in order, and predicates run only when registered")
    func combinators() throws {
        let registry = predicates
        #expect(try Condition.predicate("mentionsRefund").evaluate(on: ticket, predicates: registry))
        #expect(try Condition.all([]).evaluate(on: ticket))
        #expect(try !Condition.any([]).evaluate(on: ticket))
        #expect(try Condition.not(.predicate("never")).evaluate(on: ticket, predicates: registry))
        // `any` stops at the first true, so the unknown predicate after it is never looked up.
        #expect(try Condition.any([.always, .predicate("unregistered")]).evaluate(on: ticket))
        #expect(
            try !Condition.all([.predicate("never"), .predicate("unregistered")]).evaluate(
                on: ticket,
                predicates: registry
            )
        )
        do {
            _ = try Condition.all([.always, .predicate("mentionsRefnd")]).evaluate(on: ticket, predicates: registry)
            Issue.record("an unregistered predicate must throw")
        } catch {
            #expect(error.code == .unknownPredicate)
            #expect(error.predicate == "mentionsRefnd")
            #expect(error.known == ["mentionsRefund", "never"])
            #expect(error.description.contains("mentionsRefund, never"))
        }
    }

    @Test("A condition lists its predicates and paths for validation when a definition loads")
    func inspection() throws {
        let condition: Condition = .all([
            .not(.predicate("a")), .any([.predicate("b"), .equals("$.x", 1)]), .exists("$.y"), .predicate("a"),
        ])
        #expect(condition.predicateNames == ["a", "b"])
        #expect(condition.paths == ["$.x", "$.y"])
        var registry = PredicateRegistry()
        try registry.register("a") { _ in true }
        #expect(registry.unknownPredicates(in: condition) == ["b"])
        #expect(registry.contains("a") && !registry.contains("b"))
    }

    @Test("Registering a predicate under a taken name is refused, naming it; the first one stays")
    func duplicatePredicate() throws {
        var registry = PredicateRegistry()
        try registry.register("isUrgent") { _ in true }
        #expect(throws: ConditionError.duplicatePredicate("isUrgent", known: ["isUrgent"])) {
            try registry.register("isUrgent") { _ in false }
        }
        #expect(registry.predicate(named: "isUrgent")?(.null) == true)
        #expect(ConditionError.duplicatePredicate("isUrgent", known: ["isUrgent"]).description.contains("\"isUrgent\""))
    }

    @Test("Conditions encode flat with a kind, round-trip, print for diagrams, and name an unknown kind")
    func coding() throws {
        let condition: Condition = .any([
            .all([.equals("$.category", "billing"), .not(.exists("$.refund"))]),
            .isOneOf("$.priority", [1, "high"]), .predicate("urgent"), .always,
        ])
        let encoded = try JSONValueEncoder().encode(condition)
        #expect(encoded["kind"] == "any")
        #expect(
            encoded["conditions"]?[0]?["conditions"]?[0] == [
                "kind": "equals", "path": "$.category", "value": "billing",
            ]
        )
        #expect(try JSONValueDecoder().decode(Condition.self, from: encoded) == condition)
        #expect(
            condition.description
                == "(($.category == \"billing\" && !(exists $.refund)) || $.priority in [1,\"high\"] || urgent || always)"
        )
        do {
            _ = try JSONValueDecoder().decode(Condition.self, from: ["kind": "regex", "path": "$"])
            Issue.record("an unknown kind must not decode")
        } catch {
            #expect("\(error)".contains("unknown condition kind \"regex\""))
        }
    }
}
