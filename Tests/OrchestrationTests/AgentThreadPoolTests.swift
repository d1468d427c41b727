import Testing

@testable import AgentOrchestration

/// `AgentThreadPool` and its job queue: jobs run in order on the pool's own threads, threads that time out idle are
/// replaced, and the queue's memory follows what is queued, also while it never empties.
@Suite("Agent thread pool", .timeLimit(.suite))
struct AgentThreadPoolTests {
    typealias Queue = AgentThreadPool.JobQueue<Int>

    @Test("The queue is first in, first out across compactions")
    func fifo() {
        var queue = Queue()
        var taken: [Int] = []
        var next = 0
        // Append three, take two, so the queue grows slowly and compacts many times on the way.
        for _ in 0..<2_000 {
            for _ in 0..<3 {
                queue.append(next)
                next += 1
            }
            for _ in 0..<2 { taken.append(queue.popFirst()!) }
        }
        while let element = queue.popFirst() { taken.append(element) }
        #expect(taken == Array(0..<next))
        #expect(queue.isEmpty)
        #expect(queue.popFirst() == nil)
    }

    @Test("A queue that never empties keeps its storage bounded by what it holds")
    func neverEmptyStaysBounded() {
        var queue = Queue()
        for element in 0..<3 { queue.append(element) }
        var largestStorage = 0
        for element in 3..<100_000 {
            queue.append(element)
            #expect(queue.popFirst() == element - 3)
            largestStorage = max(largestStorage, queue.storageCount)
        }
        #expect(queue.count == 3)
        #expect(
            largestStorage <= 2 * 4 + Queue.compactionThreshold,
            "storage grew to \(largestStorage) slots for at most 4 queued elements"
        )
        #expect(queue.storageCapacity <= 4 * (4 + Queue.compactionThreshold))
    }

    @Test("A drained burst gives its memory back")
    func burstShrinks() {
        var queue = Queue()
        for element in 0..<10_000 { queue.append(element) }
        #expect(queue.storageCapacity >= 10_000)
        while queue.count > 5 { _ = queue.popFirst() }
        #expect(queue.storageCount <= 2 * 5 + Queue.compactionThreshold)
        #expect(queue.storageCapacity <= 4 * (5 + Queue.compactionThreshold))
        while queue.popFirst() != nil {}
        #expect(queue.storageCapacity <= Queue.compactionThreshold)
    }

    @Test("Jobs run on the pool, also when every idle thread times out at once and a new one must start")
    func threadsEndAndRestart() async {
        // An idle timeout of zero ends a thread as soon as it finds no job, so most jobs below start a thread.
        let pool = AgentThreadPool(maximum: 2, idleTimeout: .zero)
        var total = 0
        for value in 1...200 {
            total += await Task(executorPreference: pool) { value }.value
        }
        #expect(total == 200 * 201 / 2)
        let concurrent = await withTaskGroup(of: Int.self) { group in
            for value in 1...100 {
                group.addTask(executorPreference: pool) { value }
            }
            return await group.reduce(0, +)
        }
        #expect(concurrent == 100 * 101 / 2)
    }

    @Test("Retiring ends the idle threads at once, and the pool still runs later jobs")
    func retire() async throws {
        // An idle timeout of an hour: without `retire()` these threads would outlive the test.
        let pool = AgentThreadPool(maximum: 2, idleTimeout: .seconds(3_600))
        try await withWatchdog("retire returns once the pool's idle threads have ended") {
            let sum = await withTaskGroup(of: Int.self) { group in
                for value in 1...20 { group.addTask(executorPreference: pool) { value } }
                return await group.reduce(0, +)
            }
            #expect(sum == 210)
            #expect(pool.threadCount >= 1)
            await pool.retire()
            #expect(pool.threadCount == 0, "a thread is left after retire()")
            #expect(await Task(executorPreference: pool) { 42 }.value == 42, "a retired pool starts a thread again")
            await pool.retire()
            #expect(pool.threadCount == 0)
        }
    }
}
