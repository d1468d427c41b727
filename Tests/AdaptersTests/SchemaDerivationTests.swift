import AgentAdapters
@_spi(Internals) import AgentPolicy
import Testing

private struct Address: Codable, Equatable {
    var street: String
    var zip: Int32
}

private enum Priority: String, Codable, CaseIterable {
    case low, medium, high
}

private enum Level: Int, Codable, CaseIterable {
    case one = 1
    case two = 2
    case five = 5
}

/// The type in the article "Deriving schemas", as written there.
private struct ArticleTicket: Decodable {
    enum Priority: String, Decodable, CaseIterable { case low, high }
    struct Customer: Decodable {
        var name: String
        var id: UInt32
    }

    var title: String
    var priority: Priority
    var customer: Customer
    var tags: [String]
    var due: Int64?
    var extra: JSONValue
}

private struct Ticket: Codable, Equatable {
    var title: String
    var priority: Priority
    var level: Level
    var address: Address
    var history: [Address]
    var tags: [String]
    var note: String?
    var extra: JSONValue
    var score: Double
    var done: Bool
    var small: UInt8
    var counts: [Int]?
    var grid: [[Bool]]
}

private let addressSchema = ToolSchema.object(
    properties: ["street": .string(), "zip": .integer(minimum: Int64(Int32.min), maximum: Int64(Int32.max))],
    required: ["street", "zip"]
)

private let int64Schema = ToolSchema.integer(minimum: .min, maximum: .max)

private var ticketSchema: ToolSchema {
    var level = ToolSchema.integer()
    level.allowedValues = [1, 2, 5]
    return .object(
        properties: [
            "title": .string(),
            "priority": .string(enum: ["low", "medium", "high"]),
            "level": level,
            "address": addressSchema,
            "history": .array(of: addressSchema),
            "tags": .array(of: .string()),
            "note": .string().nullable(),
            "extra": .any,
            "score": .number(),
            "done": .boolean(),
            "small": .integer(minimum: 0, maximum: 255),
            "counts": ToolSchema.array(of: int64Schema).nullable(),
            "grid": .array(of: .array(of: .boolean())),
        ],
        required: [
            "title", "priority", "level", "address", "history", "tags", "extra", "score", "done", "small", "grid",
        ]
    )
}

// MARK: Types derivation refuses

/// A class that refers to itself through an array.
private final class Node: Decodable {
    let name: String
    let children: [Node]
}

/// A struct that refers to itself through an optional array.
private struct Tree: Decodable {
    var label: String
    var branches: [Tree]?
}

/// A generic class whose property is a deeper instantiation of itself: every level is a new type.
private final class Nest<Inner: Decodable>: Decodable {
    let inner: Nest<Nest<Inner>>?
}

private struct Config: Decodable {
    var name: String
    var headers: [String: String]
}

private enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case square(side: Double)
}

private struct Drawing: Decodable {
    var shape: Shape
}

/// Refuses any address without an `@`: the empty probe string included.
private struct Email: Decodable {
    struct NotAnAddress: Error {}
    var address: String

    init(from decoder: any Decoder) throws {
        address = try decoder.singleValueContainer().decode(String.self)
        guard address.contains("@") else { throw NotAnAddress() }
    }
}

// MARK: Types that provide their schema

private struct CheckedEmail: Decodable, Equatable, ToolSchemaProviding {
    var address: String

    init(from decoder: any Decoder) throws {
        address = try decoder.singleValueContainer().decode(String.self)
        guard address.contains("@") else { throw Email.NotAnAddress() }
    }

    static var toolSchema: ToolSchema {
        var schema = ToolSchema.string(description: "An e-mail address.", minLength: 3)
        schema.examples = ["ada@example.com"]
        return schema
    }
}

private struct Contact: Decodable {
    var email: CheckedEmail
    var name: String
    var backup: CheckedEmail?
}

private struct ProvidedShape: Codable, Equatable, ToolSchemaProviding {
    var shape: Shape

    init(from decoder: any Decoder) throws { shape = try Shape(from: decoder) }
    func encode(to encoder: any Encoder) throws { try shape.encode(to: encoder) }

    static var toolSchema: ToolSchema {
        func payload(_ name: String, _ field: String) -> ToolSchema {
            .object(
                properties: [name: .object(properties: [field: .number()], required: [field])],
                required: [name],
                allowsAdditionalProperties: false
            )
        }
        return .anyOf([payload("circle", "radius"), payload("square", "side")])
    }
}

private struct ProvidedTree: Decodable, ToolSchemaProviding {
    var name: String
    var children: [ProvidedTree]

    static var toolSchema: ToolSchema {
        var schema = ToolSchema.reference(to: "Tree")
        schema.definitions["Tree"] = .object(
            properties: ["name": .string(), "children": .array(of: .reference(to: "Tree"))],
            required: ["name", "children"]
        )
        return schema
    }
}

private struct Forest: Decodable {
    var trees: [ProvidedTree]
    var shapes: [ProvidedShape]
}

private struct Unsampleable: Decodable, ToolSchemaProviding {
    struct Never: Error {}
    init(from decoder: any Decoder) throws { throw Never() }
    static var toolSchema: ToolSchema { .string() }
}

private struct HoldsUnsampleable: Decodable {
    var value: Unsampleable
}

private struct DanglingReference: Decodable, ToolSchemaProviding {
    static var toolSchema: ToolSchema { .reference(to: "Missing") }
}

private struct CodableDictionary: Decodable, ToolSchemaProviding {
    var values: [String: Int]
    init(from decoder: any Decoder) throws { values = try [String: Int](from: decoder) }
    static var toolSchema: ToolSchema { .object(description: "Counts by name.") }
}

private struct Tally: Decodable {
    var counts: CodableDictionary
    var total: Int
}

/// Counts how often its `init(from:)` runs: derivation must walk it once however often it is asked.
private let countedWalks = LockedState(0)

private struct Counted: Decodable {
    var value: Int

    init(from decoder: any Decoder) throws {
        countedWalks.withLock { $0 += 1 }
        value = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .value)
    }

    private enum CodingKeys: String, CodingKey { case value }
}

private func derivationError<T: Decodable>(_ type: T.Type) -> SchemaDerivationError? {
    do {
        _ = try ToolSchema(deriving: T.self)
        return nil
    } catch {
        return error
    }
}

@Suite("Schema derivation", .timeLimit(.suite))
struct SchemaDerivationTests {
    @Test("The article's example: only the wrong member is named when every required one is there")
    func articleExample() throws {
        let schema = try ToolSchema(deriving: ArticleTicket.self)
        let customer: JSONValue = ["name": "Ada", "id": 7]
        let ticket: JSONValue = [
            "title": "Printer on fire", "priority": "urgent", "customer": customer, "tags": [], "extra": [:],
        ]
        #expect(schema.validate(ticket)?.description == #"priority: "urgent" is not one of ["low", "high"]"#)
        var valid = ticket.objectValue ?? [:]
        valid["priority"] = "high"
        #expect(schema.validate(.object(valid)) == nil)
        let missing: JSONValue = ["title": "Printer on fire", "priority": "urgent"]
        #expect(schema.validate(missing)?.path == "customer", "required members are checked before any value")
    }

    @Test("Nested structs, enums with String and Int raw values, optionals, arrays, JSONValue and bounds")
    func derivesTicket() throws {
        let schema = try ToolSchema(deriving: Ticket.self)
        #expect(schema == ticketSchema)
        #expect(schema.required.first == "title", "required keys keep the order init(from:) reads them in")
    }

    @Test("The JSON form of a derived schema: nullable as a type list, enums with their raw values")
    func derivedJSONForm() throws {
        struct Small: Decodable {
            enum Mode: String, Decodable, CaseIterable { case fast, exact }
            var mode: Mode
            var note: String?
            var rank: Int8
        }
        let schema = try ToolSchema(deriving: Small.self)
        #expect(
            schema.jsonSchema.jsonText()
                == #"{"properties":{"mode":{"enum":["fast","exact"],"type":"string"},"note":{"type":["string","null"]},"#
                + #""rank":{"maximum":127,"minimum":-128,"type":"integer"}},"required":["mode","rank"],"type":"object"}"#
        )
    }

    @Test(
        "Every integer width gets its bounds",
        arguments: [
            (try! ToolSchema(deriving: Int8.self), JSONValue.integer(-128), JSONValue.integer(127)),
            (try! ToolSchema(deriving: Int16.self), .integer(-32768), .integer(32767)),
            (try! ToolSchema(deriving: Int32.self), .integer(-2_147_483_648), .integer(2_147_483_647)),
            (try! ToolSchema(deriving: Int64.self), .integer(.min), .integer(.max)),
            (try! ToolSchema(deriving: Int.self), .integer(.min), .integer(.max)),
            (try! ToolSchema(deriving: UInt8.self), .integer(0), .integer(255)),
            (try! ToolSchema(deriving: UInt16.self), .integer(0), .integer(65535)),
            (try! ToolSchema(deriving: UInt32.self), .integer(0), .integer(4_294_967_295)),
            (try! ToolSchema(deriving: UInt64.self), .integer(0), .number(18_446_744_073_709_551_616)),
            (try! ToolSchema(deriving: UInt.self), .integer(0), .number(18_446_744_073_709_551_616)),
        ]
    )
    func integerBounds(schema: ToolSchema, minimum: JSONValue, maximum: JSONValue) {
        #expect(schema.kind == .integer)
        #expect(schema.minimum == minimum)
        #expect(schema.maximum == maximum)
        #expect(schema.validate(minimum) == nil)
        if case .integer(let top) = maximum, top < .max {
            #expect(schema.validate(.integer(top + 1))?.message == "value \(top + 1) is above maximum \(top)")
        }
        if case .integer(let bottom) = minimum, bottom > .min {
            #expect(schema.validate(.integer(bottom - 1))?.message == "value \(bottom - 1) is below minimum \(bottom)")
        }
    }

    @Test("Scalars, JSONValue, optionals and arrays at the root")
    func rootScalars() throws {
        #expect(try ToolSchema(deriving: String.self) == .string())
        #expect(try ToolSchema(deriving: Bool.self) == .boolean())
        #expect(try ToolSchema(deriving: Double.self) == .number())
        #expect(try ToolSchema(deriving: Float.self) == .number())
        #expect(try ToolSchema(deriving: JSONValue.self) == .any)
        #expect(try ToolSchema(deriving: String?.self) == .string().nullable())
        #expect(try ToolSchema(deriving: [String?].self) == .array(of: .string().nullable()))
        #expect(try ToolSchema(deriving: Set<Priority>.self) == .array(of: .string(enum: ["low", "medium", "high"])))
        #expect(try ToolSchema(deriving: [JSONValue]?.self) == ToolSchema.array(of: .any).nullable())
    }

    @Test("A recursive class and a recursive struct are refused, naming the type and the cycle")
    func recursiveTypes() throws {
        let node = try #require(derivationError(Node.self))
        #expect(node.code == .recursiveType)
        #expect(node.type == "Node")
        #expect(node.typePath.first == "Node" && node.typePath.last == "Node" && node.typePath.count == 3)
        #expect(node.field == "children[0]")
        #expect(node.message.contains("ToolSchemaProviding"))

        let tree = try #require(derivationError(Tree.self))
        #expect(tree.code == .recursiveType)
        #expect(tree.type == "Tree")
        #expect(tree.field == "branches[0]")
    }

    @Test("Generic nesting that makes a new type at every level stops at the depth cap")
    func depthCap() throws {
        let error = try #require(derivationError(Nest<Int>.self))
        #expect(error.code == .depthLimitExceeded)
        #expect(error.typePath.count == ToolSchema.maximumDerivationDepth + 1)
        #expect(error.type.hasPrefix("Nest<"))
        #expect(error.message.contains("ToolSchemaProviding"))
    }

    @Test("A dictionary is refused, naming the dictionary type and the field, and pointing at the protocol")
    func dictionary() throws {
        let error = try #require(derivationError(Config.self))
        #expect(error.code == .underivableType)
        #expect(error.type.hasPrefix("Dictionary<"))
        #expect(error.field == "headers")
        #expect(error.typePath.first == "Config")
        #expect(error.message.contains("ToolSchemaProviding"))
        #expect(try #require(derivationError([String: Int].self)).code == .underivableType)
    }

    @Test("An enum with associated values is refused, naming it")
    func enumWithPayloads() throws {
        let error = try #require(derivationError(Drawing.self))
        #expect(error.code == .underivableType)
        #expect(error.type == "Shape")
        #expect(error.field == "shape")
        #expect(error.message.contains("reads its keys dynamically"))
        #expect(error.message.contains("conform Shape to ToolSchemaProviding"))
    }

    @Test("A type whose init(from:) refuses the probe value is refused, naming it")
    func validatingInit() throws {
        let error = try #require(derivationError(Email.self))
        #expect(error.code == .underivableType)
        #expect(error.type == "Email")
        #expect(error.message.contains("refused the probe value"))
        #expect(error.message.contains("conform Email to ToolSchemaProviding"))
    }

    @Test("A provided schema replaces derivation, and walking goes on past it with an example value")
    func providedSchemaNested() throws {
        let schema = try ToolSchema(deriving: Contact.self)
        #expect(
            schema
                == .object(
                    properties: [
                        "email": CheckedEmail.toolSchema, "name": .string(),
                        "backup": CheckedEmail.toolSchema.nullable(),
                    ],
                    required: ["email", "name"]
                )
        )
        #expect(schema.validate(["email": "ada@example.com", "name": "Ada", "backup": nil]) == nil)
        #expect(schema.validate(["email": "a", "name": "Ada"])?.path == "email")
    }

    @Test("Provided definitions move to the root, where references resolve; payload enums use anyOf")
    func providedDefinitions() throws {
        let schema = try ToolSchema(deriving: Forest.self)
        #expect(schema.definitions.keys.sorted() == ["Tree"])
        #expect(schema.properties["trees"]?.items == .reference(to: "Tree"))
        #expect(schema.properties["trees"]?.items?.definitions == [:])
        let forest: JSONValue = [
            "trees": [["name": "oak", "children": [["name": "acorn", "children": []]]]],
            "shapes": [["circle": ["radius": 1.5]], ["square": ["side": 2]]],
        ]
        #expect(schema.validate(forest) == nil)
        let badTree: JSONValue = [
            "trees": [["name": "oak", "children": [["name": 3, "children": []]]]], "shapes": [],
        ]
        #expect(schema.validate(badTree)?.path == "trees[0].children[0].name")
        let badShape: JSONValue = ["trees": [], "shapes": [["triangle": [:]]]]
        #expect(schema.validate(badShape)?.path == "shapes[0]")
    }

    @Test("A provided schema at the root is used as it is; a dictionary wrapped in a provider derives")
    func providedAtRoot() throws {
        #expect(try ToolSchema(deriving: ProvidedShape.self) == ProvidedShape.toolSchema)
        let tally = try ToolSchema(deriving: Tally.self)
        #expect(tally.properties["counts"] == CodableDictionary.toolSchema)
        #expect(tally.required == ["counts", "total"])
    }

    @Test("A provided type with no decodable sample, and a dangling reference, are refused with their own codes")
    func providedFailures() throws {
        let noSample = try #require(derivationError(HoldsUnsampleable.self))
        #expect(noSample.code == .noSampleValue)
        #expect(noSample.type == "Unsampleable")
        #expect(noSample.field == "value")
        #expect(noSample.message.contains("examples"))
        let dangling = try #require(derivationError(DanglingReference.self))
        #expect(dangling.code == .unresolvedReference)
        #expect(dangling.message.contains("Missing"))
    }

    @Test("Derivation runs once per type: later calls come from the cache")
    func cached() throws {
        let first = try ToolSchema(deriving: Counted.self)
        let second = try ToolSchema(deriving: Counted.self)
        #expect(first == second)
        #expect(countedWalks.withLock { $0 } == 1)
        #expect(derivationError(Node.self) == derivationError(Node.self))
    }

    @Test("A value encoded from any instance validates against the derived schema", arguments: [1, 2, 3, 4, 5])
    func instancesValidate(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        let schema = try ToolSchema(deriving: Ticket.self)
        for _ in 0..<40 {
            let ticket = Ticket.random(using: &generator)
            let value = try JSONValueEncoder().encode(ticket)
            #expect(schema.validate(value) == nil, "\(value.jsonText())")
            #expect(try JSONValueDecoder().decode(Ticket.self, from: value) == ticket)
        }
    }

    @Test("Values outside the type are refused by its derived schema")
    func outsidersRefused() throws {
        var generator = SplitMix64(seed: 9)
        let schema = try ToolSchema(deriving: Ticket.self)
        let value = try JSONValueEncoder().encode(Ticket.random(using: &generator))
        var members = try #require(value.objectValue)
        members["priority"] = "urgent"
        #expect(schema.validate(.object(members))?.path == "priority")
        members["priority"] = "low"
        members["small"] = 256
        #expect(schema.validate(.object(members))?.path == "small")
        members["small"] = 1
        members["history"] = [["street": "x"]]
        #expect(schema.validate(.object(members))?.path == "history[0].zip")
        members["history"] = []
        members["level"] = 3
        #expect(schema.validate(.object(members))?.path == "level")
    }
}

extension Address {
    fileprivate static func random(using generator: inout SplitMix64) -> Address {
        Address(street: randomText(using: &generator), zip: Int32.random(in: .min ... .max, using: &generator))
    }
}

extension Ticket {
    fileprivate static func random(using generator: inout SplitMix64) -> Ticket {
        Ticket(
            title: randomText(using: &generator),
            priority: Priority.allCases.randomElement(using: &generator)!,
            level: Level.allCases.randomElement(using: &generator)!,
            address: .random(using: &generator),
            history: (0..<Int.random(in: 0...3, using: &generator)).map { _ in .random(using: &generator) },
            tags: (0..<Int.random(in: 0...3, using: &generator)).map { _ in randomText(using: &generator) },
            note: Bool.random(using: &generator) ? randomText(using: &generator) : nil,
            extra: [nil, 1, "x", [true], ["k": 2.5]].randomElement(using: &generator)!,
            score: Double.random(in: -1e6...1e6, using: &generator),
            done: Bool.random(using: &generator),
            small: UInt8.random(in: 0...255, using: &generator),
            counts: Bool.random(using: &generator)
                ? (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                    Int.random(in: .min ... .max, using: &generator)
                }
                : nil,
            grid: [[Bool.random(using: &generator)], []]
        )
    }
}

private func randomText(using generator: inout SplitMix64) -> String {
    String((0..<Int.random(in: 0...6, using: &generator)).map { _ in "aé✓ z\"".randomElement(using: &generator)! })
}
