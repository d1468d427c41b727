import AgentAdapters
import AgentPolicy
import FoundationEssentials
import Testing

@testable import AgentOrchestration

/// `ToolCallRecord` as it was declared before its error moved out of line, with the synthesized coding: the JSON
/// form the record must keep.
private struct StoredErrorToolCallRecord: Codable, Equatable {
    var tool: String
    var arguments: JSONValue
    var status: ToolCallStatus
    var output: JSONValue?
    var error: ErrorRecord?
    var startNanoseconds: Nanoseconds
    var endNanoseconds: Nanoseconds

    init(_ record: ToolCallRecord) {
        tool = record.tool
        arguments = record.arguments
        status = record.status
        output = record.output
        error = record.error
        startNanoseconds = record.startNanoseconds
        endNanoseconds = record.endNanoseconds
    }
}

@Suite("Tool-call records keep their error out of line", .timeLimit(.suite))
struct ToolCallRecordStorageTests {
    static let records = [
        ToolCallRecord(
            tool: "search",
            arguments: ["q": "swift"],
            status: .succeeded,
            output: ["hits": 3],
            error: nil,
            startNanoseconds: Nanoseconds(rawValue: 5),
            endNanoseconds: Nanoseconds(rawValue: 9)
        ),
        ToolCallRecord(
            tool: "search",
            arguments: .integer(7),
            status: .failed,
            output: nil,
            error: ErrorRecord(
                type: "ToolError",
                message: "down",
                code: "toolFailed",
                tool: "search",
                isRetryable: true,
                retryAfterNanoseconds: Nanoseconds(rawValue: 40)
            ),
            startNanoseconds: Nanoseconds(rawValue: 11),
            endNanoseconds: Nanoseconds(rawValue: 12)
        ),
        ToolCallRecord(
            tool: "noop",
            arguments: .null,
            status: .succeeded,
            output: .null,
            error: nil,
            startNanoseconds: Nanoseconds(rawValue: 0),
            endNanoseconds: Nanoseconds(rawValue: 0)
        ),
    ]

    @Test("The JSON is the stored-error form, key for key, and decodes back to an equal record")
    func sameJSON() throws {
        for record in Self.records {
            let legacy = StoredErrorToolCallRecord(record)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let text = String(decoding: try encoder.encode(record), as: UTF8.self)
            let legacyText = String(decoding: try encoder.encode(legacy), as: UTF8.self)
            #expect(text == legacyText, "the same keys and values, absent values left out")
            #expect(try JSONValue(encoding: record) == JSONValue(encoding: legacy))
            let decoded = try JSONDecoder().decode(ToolCallRecord.self, from: Data(legacyText.utf8))
            #expect(decoded == record)
            #expect(decoded.error == record.error)
        }
    }

    @Test("Setting and clearing the error; the record holds a reference to it, not the error itself")
    func errorOutOfLine() {
        var record = Self.records[0]
        #expect(record.error == nil)
        record.error = Self.records[1].error
        #expect(record.error == Self.records[1].error)
        #expect(record != Self.records[0], "the error takes part in equality")
        record.error = nil
        #expect(record == Self.records[0])
        let inline = MemoryLayout<StoredErrorToolCallRecord>.stride
        #expect(
            MemoryLayout<ToolCallRecord>.stride + MemoryLayout<ErrorRecord?>.size - 8 <= inline,
            "the error is one reference in the record, not its \(MemoryLayout<ErrorRecord?>.size) bytes"
        )
    }
}
