import AgentAdapters
import AgentPolicy
import AgentTesting
import Testing

@testable import AgentOrchestration

/// The storage a graph keeps its node reports in (W9, second pass): out-of-line boxes, ledgers as uses beside a
/// shared table, exact-size arrays. Each must read, compare, hash and encode exactly as the plain form.
@Suite("Node report storage reads as the plain form", .timeLimit(.suite))
struct NodeReportStorageTests {
    private let echo = ClosureAgent(name: "echo") { step, _ in step.input }

    private func line(_ budget: String, _ limit: Int64?, _ used: Int64) -> BudgetLine {
        BudgetLine(budget: budget, limit: limit, used: used)
    }

    @Test("A box compares and hashes by its value")
    func boxByValue() {
        let one = OutOfLine.value(ErrorRecord(type: "E", message: "m"))
        let same = OutOfLine.value(ErrorRecord(type: "E", message: "m"))
        let other = OutOfLine.value(ErrorRecord(type: "E", message: "n"))
        #expect(one == same)
        #expect(one.hashValue == same.hashValue)
        #expect(one != other)
        #expect(Set([one, same, other]).count == 2)
    }

    @Test("Ledgers stored against a shared table read, compare, hash and encode as the lines they were")
    func tabledLedgers() throws {
        let ledger = [line("steps", 10, 1), line("toolCalls", nil, 0), line("timeNanoseconds", 60, 5)]
        let shared = [line("steps", 100, 7)]
        var tabled = ReportLedgers(ledger: ledger, sharedLedger: shared)
        let plain = tabled
        var tables = LedgerTables()
        tables.share(&tabled)
        #expect(tabled.isTabled)
        #expect(tabled.ledger == ledger)
        #expect(tabled.sharedLedger == shared)
        #expect(tabled == plain)
        #expect(tabled.hashValue == plain.hashValue)

        // A second report with the same names and limits shares the table; other uses stay its own.
        var second = ReportLedgers(
            ledger: [line("steps", 10, 2), line("toolCalls", nil, 3), line("timeNanoseconds", 60, 9)],
            sharedLedger: [line("steps", 100, 9)]
        )
        tables.share(&second)
        #expect(second.isTabled)
        #expect(second != tabled)
        #expect(second.ledger.map(\.used) == [2, 3, 9])
        #expect(second.sharedLedger?.map(\.used) == [9])

        // Other limits, or no shared ledger, do not fit that table.
        var otherLimit = ReportLedgers(ledger: [line("steps", 11, 1)], sharedLedger: nil)
        let otherShared = otherLimit.share(tabled.table)
        #expect(!otherShared)
        var noShared = ReportLedgers(ledger: ledger, sharedLedger: nil)
        let noSharedShared = noShared.share(tabled.table)
        #expect(!noSharedShared)
        #expect(noShared.ledger == ledger && noShared.sharedLedger == nil)

        // Writing a tabled ledger stores lines again, and the other ledger is kept.
        tabled.ledger = [line("steps", 10, 4)]
        #expect(!tabled.isTabled)
        #expect(tabled.ledger == [line("steps", 10, 4)])
        #expect(tabled.sharedLedger == shared)
    }

    @Test("Past its capacity of distinct tables a graph keeps further ledgers as lines")
    func tableCapacity() {
        var tables = LedgerTables()
        var ledgers = (0...LedgerTables.capacity).map {
            ReportLedgers(ledger: [line("steps", Int64($0), 0)], sharedLedger: nil)
        }
        for index in ledgers.indices { tables.share(&ledgers[index]) }
        #expect(ledgers.dropLast().allSatisfy { $0.isTabled })
        #expect(ledgers.last?.isTabled == false)
        #expect(ledgers.last?.ledger == [line("steps", Int64(LedgerTables.capacity), 0)])
    }

    @Test("A graph's node reports share ledger tables, counts and totals and still read as separate reports")
    func graphNodeReports() async throws {
        let orchestrator = try makeOrchestrator()
        var graph = AgentGraph()
        graph.add("a", agent: echo)
        graph.add("b", agent: echo, dependsOn: ["a"])
        graph.add("c", agent: echo, dependsOn: ["a"], policy: try StrictPolicy(maxSteps: 5))
        let report = try await orchestrator.run(graph, task: "x", policy: try StrictPolicy(maxSteps: 50))
        let reports = try ["a", "b", "c"].map { try #require(report.node($0)?.attempts.first) }
        #expect(reports.allSatisfy { $0.ledgers.isTabled })
        #expect(reports[0].ledger.first == line("steps", 50, 1))
        #expect(reports[2].ledger.first == line("steps", 5, 1))
        #expect(reports[0].events == reports[1].events && reports[0].totals == reports[1].totals)
        for node in reports {
            // Decoding gives the plain form: it must equal the stored one, and encode to the same bytes.
            let decoded = try ExecutionReport(jsonText: node.jsonText())
            #expect(!decoded.ledgers.isTabled)
            #expect(decoded == node)
            #expect(decoded.hashValue == node.hashValue)
            #expect(decoded.jsonText() == node.jsonText())
        }
        #expect(try AgentGraphReport(jsonText: report.jsonText()) == report)
    }

    @Test("A completed stop reason is stored as none; any other reason is kept")
    func stopReasonStorage() async throws {
        var report = try #require(try await makeNodeReport())
        #expect(report.stopReason == .completed && report.outOfLineStopReason == nil)
        report.stopReason = .nodeFailed(node: "z")
        #expect(report.stopReason == .nodeFailed(node: "z"))
        #expect(try ExecutionReport(jsonText: report.jsonText()).stopReason == .nodeFailed(node: "z"))
        report.stopReason = .completed
        #expect(report.outOfLineStopReason == nil)
        report.events.emitted += 2
        report.totals.steps += 1
        let decoded = try ExecutionReport(jsonText: report.jsonText())
        #expect(decoded.events == report.events && decoded.totals == report.totals)
    }

    @Test("The rarely set fields are out of line only while one is set, and each reads and encodes back")
    func reportExtras() async throws {
        var report = try #require(try await makeNodeReport())
        #expect(report.extras == nil)
        let violation = PolicyViolation(limit: .maxSteps, limitValue: 1, attempted: 2)
        report.violations = [violation]
        report.modelTranscript = [ModelMessage(role: .user, content: "hi")]
        #expect(report.extras != nil && report.violations == [violation] && report.toolCallsOutsideSteps.isEmpty)
        let decoded = try ExecutionReport(jsonText: report.jsonText())
        #expect(decoded == report && decoded.modelTranscript == report.modelTranscript)
        report.violations = []
        report.modelTranscript = []
        #expect(report.extras == nil)
        #expect(try ExecutionReport(jsonText: report.jsonText()).extras == nil)
    }

    @Test("A node's options are out of line only when one is set, and each reads back")
    func nodeOptions() throws {
        var node = AgentGraph.Node("n", performer: .named("x"))
        #expect(node.options == nil)
        node.retryPolicy = RetryPolicy(maxAttempts: 3)
        #expect(node.retryPolicy == RetryPolicy(maxAttempts: 3) && node.policy == nil && node.router == nil)
        node.policy = try StrictPolicy(maxSteps: 2)
        #expect(node.policy == (try StrictPolicy(maxSteps: 2)) && node.retryPolicy?.maxAttempts == 3)
        node.retryPolicy = nil
        node.policy = nil
        #expect(node.options == nil)
        let routed = AgentGraph.Node("r", performer: .named("x"), router: .function("f"))
        #expect(routed.router == .function("f") && routed.options != nil)
    }

    @Test("A UUID id is kept as its bits and reads back as the same text; any other id is kept as text")
    func reportID() async throws {
        let uuid = "0123abcd-4567-89ef-fedc-ba9876543210"
        #expect(ReportID(uuid).isCompact)
        #expect(ReportID(uuid).text == uuid)
        #expect(ReportID("00000000-0000-0000-0000-000000000000").text == "00000000-0000-0000-0000-000000000000")
        #expect(ReportID("ffffffff-ffff-ffff-ffff-ffffffffffff").text == "ffffffff-ffff-ffff-ffff-ffffffffffff")
        for text in [
            "0123ABCD-4567-89ef-fedc-ba9876543210", "0123abcd-4567-89ef-fedc-ba987654321", "run-1", "",
            "0123abcd+4567-89ef-fedc-ba9876543210", "0123abcd-4567-89ef-fedc-ba987654321g",
        ] {
            #expect(!ReportID(text).isCompact)
            #expect(ReportID(text).text == text)
        }
        #expect(ReportID(uuid) == ReportID(String(uuid)))
        #expect(ReportID(uuid) != ReportID("0123abcd-4567-89ef-fedc-ba9876543211"))
        let node = try #require(try await makeNodeReport())
        #expect(node.storedExecutionID.isCompact)
        let decoded = try ExecutionReport(jsonText: node.jsonText())
        #expect(decoded.executionID == node.executionID && decoded == node)
    }

    @Test("An exact-size copy holds the same elements without slack, and still appends")
    func exactSize() {
        var grown: [Int] = []
        for value in 0..<100 { grown.append(value) }
        #expect(grown.capacity >= grown.count + 20, "grown by doubling: capacity \(grown.capacity)")
        var exact = RunStateMachine.exactSize(grown)
        #expect(exact == grown)
        // Asked for exactly 100; malloc may round the block up by a few bytes (more so when it reuses a freed
        // block), which Array counts as capacity: a few elements at most, never the doubling's slack.
        #expect(exact.capacity - exact.count < 8, "capacity \(exact.capacity) for \(exact.count)")
        exact.append(100)
        #expect(exact == Array(0...100))
        #expect(grown == Array(0..<100))
    }

    private func makeNodeReport() async throws -> ExecutionReport? {
        let orchestrator = try makeOrchestrator()
        var graph = AgentGraph()
        graph.add("a", agent: echo)
        return try await orchestrator.run(graph, task: "x").node("a")?.attempts.first
    }
}
