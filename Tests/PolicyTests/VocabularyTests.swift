import AgentPolicy
import FoundationEssentials
import Testing

@Suite("SplitMix64", .timeLimit(.suite))
struct SplitMix64Tests {
    @Test("Seed 0 gives the reference outputs")
    func referenceOutputs() {
        var generator = SplitMix64(seed: 0)
        let outputs = (0..<3).map { _ in generator.next() }
        #expect(outputs == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test("Equal seeds give equal sequences; a copy continues independently from the same state")
    func determinism() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        #expect((0..<100).map { _ in first.next() } == (0..<100).map { _ in second.next() })
        var copy = first
        #expect(first.next() == copy.next())
        #expect(first == copy)
        var other = SplitMix64(seed: 43)
        #expect(other.next() != second.next())
    }
}

@Suite("Nanoseconds", .timeLimit(.suite))
struct NanosecondsTests {
    @Test("Durations convert exactly with integer arithmetic")
    func conversion() {
        #expect(Nanoseconds(.milliseconds(1500)).rawValue == 1_500_000_000)
        #expect(Nanoseconds(.nanoseconds(7)).duration == .nanoseconds(7))
        #expect(Nanoseconds(.seconds(20)).rawValue == 20_000_000_000)
        #expect(Nanoseconds(.seconds(-3)).rawValue == -3_000_000_000)
    }

    @Test("Sub-nanosecond parts truncate toward zero, also for negative durations")
    func truncation() {
        #expect(Nanoseconds(Duration.nanoseconds(3) / 2).rawValue == 1)
        #expect(Nanoseconds(Duration.nanoseconds(-3) / 2).rawValue == -1)
        #expect(Nanoseconds(Duration.nanoseconds(-1) / 2).rawValue == 0)
    }

    @Test("Durations beyond Int64 nanoseconds saturate instead of wrapping or trapping")
    func saturation() {
        #expect(Nanoseconds(.seconds(Int64.max)).rawValue == Int64.max)
        #expect(Nanoseconds(.seconds(Int64.min)).rawValue == Int64.min)
        #expect(Nanoseconds(.nanoseconds(Int64.max)).rawValue == Int64.max)
        #expect(Nanoseconds(.nanoseconds(Int64.max) + .nanoseconds(1)).rawValue == Int64.max)
        #expect(Nanoseconds(.nanoseconds(Int64.min) - .nanoseconds(1)).rawValue == Int64.min)
    }

    @Test(
        "A value prints in the largest unit that divides it exactly",
        arguments: [
            (Nanoseconds(rawValue: 1_500_000_000), "1500 ms"), (2_000_000_000, "2 s"), (1_234, "1234 ns"),
            (0, "0 ns"), (3_000, "3 µs"), (-5_000_000, "-5 ms"),
        ]
    )
    func description(value: Nanoseconds, text: String) {
        #expect(value.description == text)
    }

    @Test("A value encodes as a bare integer and decodes back")
    func coding() throws {
        let json = String(decoding: try JSONEncoder().encode(Nanoseconds(.seconds(2))), as: UTF8.self)
        #expect(json == "2000000000")
        #expect(try JSONDecoder().decode(Nanoseconds.self, from: Data(json.utf8)) == Nanoseconds(.seconds(2)))
    }
}

@Suite("ErrorRecord", .timeLimit(.suite))
struct ErrorRecordTests {
    struct Plain: Error, CustomStringConvertible {
        var description: String { "plain failure" }
    }

    struct Overloaded: RetryableError, CodedError, CustomStringConvertible {
        var isRetryable: Bool { true }
        var retryAfter: Duration? { .milliseconds(250) }
        var errorCode: String { "overloaded" }
        var errorTool: String? { "search" }
        var description: String { "503 from search" }
    }

    @Test("Any error is recorded by its qualified type name and its description")
    func plain() {
        let record = ErrorRecord(Plain())
        #expect(record == ErrorRecord(type: "AgentPolicyTests.ErrorRecordTests.Plain", message: "plain failure"))
        #expect(record.description == "AgentPolicyTests.ErrorRecordTests.Plain: plain failure")
    }

    @Test("A coded, retryable error keeps its code, tool, retryability and retry-after hint")
    func codedRetryable() {
        let record = ErrorRecord(Overloaded())
        #expect(record.code == "overloaded")
        #expect(record.tool == "search")
        #expect(record.isRetryable)
        #expect(record.retryAfterNanoseconds == Nanoseconds(.milliseconds(250)))
        #expect(record.message == "503 from search")
    }

    @Test("A policy violation keeps its limit as the code and its tool")
    func violation() {
        let violation = PolicyViolation(limit: .maxCallsPerTool, limitValue: 2, attempted: 3, tool: "search")
        let record = ErrorRecord(violation)
        #expect(record.type == "AgentPolicy.PolicyViolation")
        #expect(record.message == String(describing: violation))
        #expect(record.code == "maxCallsPerTool")
        #expect(record.tool == "search")
        #expect(!record.isRetryable)
    }

    @Test("Nil fields are left out of the encoding")
    func coding() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let record = ErrorRecord(type: "T", message: "m")
        let json = String(decoding: try encoder.encode(record), as: UTF8.self)
        #expect(json == #"{"isRetryable":false,"message":"m","type":"T"}"#)
        #expect(try JSONDecoder().decode(ErrorRecord.self, from: Data(json.utf8)) == record)
    }
}

@Suite("RunStatus", .timeLimit(.suite))
struct RunStatusTests {
    @Test("Statuses encode and print as their case names")
    func names() throws {
        #expect(
            RunStatus.allCases.map(\.description) == [
                "succeeded", "failed", "timedOut", "cancelled", "stopped", "awaitingApproval",
            ]
        )
        let json = String(decoding: try JSONEncoder().encode([RunStatus.stopped]), as: UTF8.self)
        #expect(json == #"["stopped"]"#)
    }
}
