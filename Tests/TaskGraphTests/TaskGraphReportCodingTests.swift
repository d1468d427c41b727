import AgentAdapters
import AgentPolicy
import AgentTaskGraph
import AgentTesting
import FoundationEssentials
import Testing

/// A value whose `null` is a value, standing in for `JSONValue`: it decodes `null` as ``null``.
enum NullableValue: Codable, Hashable, Sendable {
    case null
    case number(Int)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .number(try container.decode(Int.self))
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .number(let value): try container.encode(value)
        }
    }
}

@Suite("TaskGraphReport JSON shape", .timeLimit(.suite))
struct TaskGraphReportCodingTests {
    private static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Runs `a → b`, where `a` returns `first` and `b` returns `second`, with `a` as the output node.
    private static func report<Output: Sendable>(
        _ first: Output,
        _ second: Output
    ) async throws -> TaskGraphReport<Output> {
        let executor = TaskGraphExecutor(configuration: .init(outputNode: "a"), clock: ManualClock())
        return try await executor.run(.of(["a": [], "b": ["a"]])) { (invocation: NodeInvocation<Output>) in
            invocation.node == "a" ? first : second
        }
    }

    @Test("A node output whose encoding is null survives JSONEncoder and JSONDecoder")
    func nullOutputRoundTrip() async throws {
        let report = try await Self.report(NullableValue.null, .number(1))
        #expect(report.output(of: "a") == .some(.null))
        let data = try JSONEncoder().encode(report)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""output":null"#))
        let decoded = try JSONDecoder().decode(TaskGraphReport<NullableValue>.self, from: data)
        #expect(decoded.output(of: "a") == .some(.null), "a present null output must not decode as no output")
        #expect(decoded == report)
        #expect(try Self.text(decoded) == (try Self.text(report)), "re-encoding must keep the output key")
        #expect(decoded.finalOutput == .node(id: "a", output: .null))
    }

    @Test("JSONValue.null outputs survive a round trip too")
    func jsonValueNullRoundTrip() async throws {
        let report = try await Self.report(JSONValue.null, .string("b"))
        let decoded = try JSONDecoder().decode(TaskGraphReport<JSONValue>.self, from: JSONEncoder().encode(report))
        #expect(decoded.output(of: "a") == .some(.null))
        #expect(decoded == report)
    }

    @Test("An optional output type keeps a nil output apart from no output")
    func optionalOutputRoundTrip() async throws {
        let report = try await Self.report(Int?.none, 1)
        #expect(report.node("a")?.output == .some(.none))
        let decoded = try JSONDecoder().decode(TaskGraphReport<Int?>.self, from: JSONEncoder().encode(report))
        #expect(decoded.node("a")?.output == .some(.none))
        #expect(decoded == report)
    }

    @Test("A node without an output writes no output key and decodes without one")
    func missingOutput() throws {
        let record = TaskGraphNodeRecord<NullableValue>(id: "s", status: .skipped)
        let json = try Self.text(record)
        #expect(json == #"{"attempts":[],"id":"s","retryDelaysNanoseconds":[],"status":"skipped"}"#)
        let decoded = try JSONDecoder().decode(TaskGraphNodeRecord<NullableValue>.self, from: Data(json.utf8))
        #expect(decoded == record)
        #expect(decoded.output == nil)
    }

    @Test("The report writes schemaVersion 1 as its first field")
    func schemaVersionFirst() async throws {
        let report = try await Self.report(1, 2)
        #expect(report.schemaVersion == 1)
        // Foundation's JSONEncoder on Linux writes keys in hash order, so record the order of the encode calls.
        let keys = try KeyOrderEncoder.topLevelKeys(of: report)
        #expect(keys.first == "schemaVersion")
        #expect(
            keys == [
                "schemaVersion", "status", "nodes", "counts", "finalOutput", "criticalPath", "durationNanoseconds",
            ]
        )
    }

    @Test("The final output encodes flat with a kind")
    func finalOutputShape() throws {
        let node = TaskGraphFinalOutput<Int>.node(id: "a", output: 3)
        #expect(try Self.text(node) == #"{"id":"a","kind":"node","output":3}"#)
        let sinks = TaskGraphFinalOutput<Int>.sinks(outputs: [
            NodeOutput(id: "b", output: 1), NodeOutput(id: "c", output: 2),
        ])
        #expect(try Self.text(sinks) == #"{"kind":"sinks","outputs":[{"id":"b","output":1},{"id":"c","output":2}]}"#)
        for value in [node, sinks] {
            #expect(
                try JSONDecoder().decode(TaskGraphFinalOutput<Int>.self, from: JSONEncoder().encode(value)) == value
            )
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TaskGraphFinalOutput<Int>.self, from: Data(#"{"kind":"sink","outputs":[]}"#.utf8))
        }
    }

    @Test(
        "Events encode flat with a kind and decode back",
        arguments: [
            (
                TaskGraphEvent.nodeStarted(node: "a", attempt: 2, atNanoseconds: 5),
                #"{"atNanoseconds":5,"attempt":2,"kind":"nodeStarted","node":"a"}"#
            ),
            (
                .nodeRetrying(node: "a", failedAttempt: 1, delayNanoseconds: 100, atNanoseconds: 7),
                #"{"atNanoseconds":7,"delayNanoseconds":100,"failedAttempt":1,"kind":"nodeRetrying","node":"a"}"#
            ),
            (
                .nodeFinished(node: "a", status: .skipped, atNanoseconds: 9),
                #"{"atNanoseconds":9,"kind":"nodeFinished","node":"a","status":"skipped"}"#
            ),
        ]
    )
    func eventShape(event: TaskGraphEvent, json: String) throws {
        #expect(event.node == "a")
        #expect(try Self.text(event) == json)
        #expect(try JSONDecoder().decode(TaskGraphEvent.self, from: Data(json.utf8)) == event)
    }

    @Test("An unknown event kind is refused, naming the kind")
    func unknownEventKind() {
        let json = #"{"atNanoseconds":9,"kind":"nodePaused","node":"a"}"#
        #expect {
            try JSONDecoder().decode(TaskGraphEvent.self, from: Data(json.utf8))
        } throws: { error in
            "\(error)".contains("nodePaused")
        }
    }
}
