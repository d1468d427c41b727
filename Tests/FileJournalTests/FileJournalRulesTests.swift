import AgentAdapters
@_spi(Internals) import AgentPolicy
import Testing

@testable import AgentFileJournal

@Suite("File journal rules")
struct FileJournalRulesTests {
    @Test(
        "an append is synced under everyEntry always, under stepBoundaries only when immediate",
        arguments: [
            (FileJournalDurability.everyEntry, JournalDurability.immediate, true),
            (.everyEntry, .deferred, true),
            (.stepBoundaries, .immediate, true),
            (.stepBoundaries, .deferred, false),
        ]
    )
    func syncRule(configured: FileJournalDurability, asked: JournalDurability, syncs: Bool) {
        #expect(FileJournalTable.syncs(configured: configured, asked: asked) == syncs)
    }

    @Test("an append is planned after an open, at the end, and refused at a wrong position")
    func appendPlans() {
        let journal = journalID("run")
        var table = FileJournalTable(durability: .stepBoundaries)
        #expect(table.planAppend(records(["a"]), to: journal, asked: .deferred) == .open)
        let report = FileJournalRecovery(journal: journal, recordCount: 1, keptBytes: 30, droppedBytes: 0, damage: nil)
        table.recordOpen(journal, state: .init(descriptor: 7, frameOffsets: [16], end: 30), report: report)
        #expect(
            table.planAppend(records(["b"], from: 1), to: journal, asked: .deferred)
                == .write(
                    descriptor: 7,
                    offset: 30,
                    sync: false
                )
        )
        guard case .refuse(let error) = table.planAppend(records(["b"], from: 2), to: journal, asked: .deferred) else {
            Issue.record("a record at position 2 of a journal of 1 was not refused")
            return
        }
        #expect(error.code == .positionMismatch)
        #expect(table.planAppend([], to: journal, asked: .immediate) == .nothing)
        table.recordWrite(to: journal, frameOffsets: [30], end: 40, synced: false)
        #expect(table.planAppend([], to: journal, asked: .immediate) == .syncOnly(descriptor: 7))
        #expect(table.planRead(of: journal, from: 1) == .readOpen(descriptor: 7, offset: 30, end: 40, firstPosition: 1))
        #expect(table.planRead(of: journal, from: 5) == .readOpen(descriptor: 7, offset: 40, end: 40, firstPosition: 5))
        let closing = table.close()
        #expect(closing.map(\.descriptor) == [7])
        #expect(closing.map(\.sync) == [true])
        #expect(table.planAppend(records(["c"], from: 2), to: journal, asked: .deferred) == .storeClosed)
        #expect(table.close().isEmpty)
    }

    @Test("one thread drains the work queue: started by the first job, ended when it is empty")
    func workQueue() {
        var queue = FileJournalWorkQueue()
        let runs = LockedCounter()
        func job(_ value: Int) -> FileJournalWorkQueue.Job {
            .init(run: { runs.add(value) }, refuse: { runs.add(-value) })
        }
        #expect(queue.submit(job(1)) == .startThread)
        #expect(queue.submit(job(2)) == .none)
        queue.next()?.run()
        #expect(queue.submit(job(4)) == .none)
        queue.next()?.run()
        queue.next()?.run()
        #expect(runs.values == [1, 2, 4])
        #expect(queue.next() == nil)
        #expect(queue.submit(job(8)) == .startThread)
        #expect(queue.submit(job(16)) == .none)
        for refused in queue.threadFailedToStart() { refused.refuse() }
        #expect(runs.values == [1, 2, 4, -8, -16])
        #expect(queue.submit(job(32)) == .startThread)
    }

    @Test("the parent of a directory path")
    func parent() {
        #expect(FileJournalCore.parent(of: "/var/lib/journals") == "/var/lib")
        #expect(FileJournalCore.parent(of: "/var/lib/journals/") == "/var/lib")
        #expect(FileJournalCore.parent(of: "/journals") == "/")
        #expect(FileJournalCore.parent(of: "journals") == ".")
        #expect(FileJournalCore.parent(of: "a/b") == "a")
    }
}

/// Values appended from jobs, in order.
final class LockedCounter: Sendable {
    private let state = LockedState<[Int]>([])
    func add(_ value: Int) { state.withLock { $0.append(value) } }
    var values: [Int] { state.withLock { $0 } }
}
