import AgentAdapters
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import FoundationEssentials
import Testing

@Suite("TaskGraphExecutor scheduling", .timeLimit(.suite))
struct TaskGraphExecutorTests {
    @Test("No level barrier: C starts and finishes when A ends while unrelated B still runs")
    func noLevelBarrier() async throws {
        let clock = ManualClock()
        let log = EventLog()
        let executor = TaskGraphExecutor(configuration: .init(maxConcurrency: 3, onEvent: log.handler), clock: clock)
        async let running = executor.run(.of(["A": [], "B": [], "C": ["A"]])) { (invocation: NodeInvocation<String>) in
            if invocation.node == "B" { try await clock.sleep(for: .seconds(10)) }
            return invocation.node
        }
        await log.waitUntilFinished("C")
        #expect(!log.events.contains { $0.isFinished("B") })
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(10))
        let report = try await running
        #expect(report.status == .succeeded)
        #expect(report.node("C")?.startNanoseconds == 0)
        #expect(report.node("C")?.endNanoseconds == 0)
        #expect(report.node("B")?.endNanoseconds == Nanoseconds(.seconds(10)))
    }

    @Test("The cap is never exceeded and is filled while enough nodes are ready")
    func capSaturated() async throws {
        let clock = ManualClock()
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor(configuration: .init(maxConcurrency: 3), clock: clock)
        let graph = TaskGraph((0..<6).map { TaskGraph.Node("n\($0)") })
        async let running = executor.run(graph) { (invocation: NodeInvocation<Int>) in
            tracker.enter(invocation.node)
            defer { tracker.exit(invocation.node) }
            try await clock.sleep(for: .seconds(1))
            return 1
        }
        await clock.waitForSleepers(count: 3)
        #expect(tracker.inFlight == 3)
        #expect(clock.sleeperCount == 3)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(count: 3)
        #expect(clock.sleeperCount == 3)
        clock.advance(by: .seconds(1))
        let report = try await running
        #expect(report.status == .succeeded)
        #expect(tracker.maxInFlight == 3)
        #expect(report.nodes.map(\.startNanoseconds) == [0, 0, 0] + Array(repeating: .init(.seconds(1)), count: 3))
        #expect(tracker.allCalls == Dictionary(uniqueKeysWithValues: graph.nodeIDs.map { ($0, 1) }))
    }

    @Test("With a cap of 1 every node runs exactly once, in dependency order")
    func capOne() async throws {
        let graph = TaskGraph.of([
            "a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"], "e": [], "f": ["e", "d"], "g": [], "h": ["g"],
        ])
        let tracker = BodyTracker()
        let executor = TaskGraphExecutor(configuration: .init(maxConcurrency: 1), clock: ManualClock())
        let report = try await executor.run(graph) { (invocation: NodeInvocation<String>) in
            tracker.enter(invocation.node, dependencies: graph.dependencies(of: invocation.node))
            defer { tracker.exit(invocation.node) }
            await Task.yield()
            return invocation.node
        }
        #expect(report.status == .succeeded)
        #expect(tracker.maxInFlight == 1)
        #expect(tracker.violations.isEmpty)
        #expect(tracker.allCalls == Dictionary(uniqueKeysWithValues: graph.nodeIDs.map { ($0, 1) }))
    }

    @Test("A node receives exactly its dependencies' outputs")
    func exactDependencyOutputs() async throws {
        let graph = TaskGraph.of(["a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"], "e": []])
        let executor = TaskGraphExecutor(clock: ManualClock())
        let report = try await executor.run(graph) { (invocation: NodeInvocation<String>) in
            let inputs = invocation.dependencyOutputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "\(invocation.node)(\(inputs.joined(separator: ",")))"
        }
        #expect(report.output(of: "d") == "d(b=b(a=a()),c=c(a=a()))")
        #expect(report.output(of: "e") == "e()")
    }

    enum Value: Hashable, Sendable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case array([Value])
        case null
    }

    @Test("Empty and falsy outputs reach dependents")
    func falsyOutputs() async throws {
        let falsy: [String: Value] = ["s": .string(""), "i": .int(0), "b": .bool(false), "l": .array([]), "n": .null]
        let graph = TaskGraph.of(["s": [], "i": [], "b": [], "l": [], "n": [], "sink": ["s", "i", "b", "l", "n"]])
        let seen = LockedState<[String: Value]?>(nil)
        let report = try await TaskGraphExecutor(clock: ManualClock()).run(graph) {
            (invocation: NodeInvocation<Value>) in
            if invocation.node == "sink" {
                let inputs = invocation.dependencyOutputs
                seen.withLock { $0 = inputs }
                return .null
            }
            return falsy[invocation.node]!
        }
        #expect(report.status == .succeeded)
        #expect(seen.withLock { $0 } == falsy)
    }

    @Test("A nil output is an output")
    func nilOutput() async throws {
        let graph = TaskGraph.of(["maybe": [], "after": ["maybe"]])
        let report = try await TaskGraphExecutor(clock: ManualClock()).run(graph) {
            (invocation: NodeInvocation<Int?>) in
            guard invocation.node == "after" else { return nil }
            let input = invocation.dependencyOutputs["maybe"]
            return input == .some(.none) ? 1 : 0
        }
        #expect(report.output(of: "after") == .some(1))
    }

    @Test("The final output is the same whichever sink finishes first", arguments: [true, false])
    func finalOutputIsDeterministic(leftFirst: Bool) async throws {
        let clock = ManualClock()
        let log = EventLog()
        let executor = TaskGraphExecutor(configuration: .init(onEvent: log.handler), clock: clock)
        let graph = TaskGraph.of(["root": [], "left": ["root"], "right": ["root"]])
        let first = leftFirst ? "left" : "right"
        async let running = executor.run(graph) { (invocation: NodeInvocation<String>) in
            switch invocation.node {
            case "root": return "r"
            case first: try await clock.sleep(for: .seconds(1))
            default: try await clock.sleep(for: .seconds(2))
            }
            return invocation.node.uppercased()
        }
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(1))
        await log.waitUntilFinished(first)
        clock.advance(by: .seconds(1))
        let report = try await running
        let finishOrder = log.events.compactMap { event -> String? in
            if case .nodeFinished(let node, _, _) = event, node != "root" { node } else { nil }
        }
        #expect(finishOrder == (leftFirst ? ["left", "right"] : ["right", "left"]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(report.finalOutput), as: UTF8.self)
        #expect(json == #"{"kind":"sinks","outputs":[{"id":"left","output":"LEFT"},{"id":"right","output":"RIGHT"}]}"#)
    }

    @Test("A designated output node defines the final output")
    func designatedOutputNode() async throws {
        let executor = TaskGraphExecutor(configuration: .init(outputNode: "b"), clock: ManualClock())
        let report = try await executor.run(.of(["a": [], "b": ["a"], "c": ["a"]])) {
            (invocation: NodeInvocation<String>) in invocation.node
        }
        #expect(report.finalOutput == .node(id: "b", output: "b"))
    }

    @Test("Running a graph twice gives equal reports")
    func runTwice() async throws {
        let clock = ManualClock()
        let executor = TaskGraphExecutor(
            configuration: .init(maxConcurrency: 2, failureMode: .continueIndependent),
            clock: clock
        )
        let graph = TaskGraph.of(["a": [], "b": ["a"], "c": ["a"], "bad": [], "after": ["bad"], "d": ["b", "c"]])
        let tracker = BodyTracker()
        func run() async throws -> TaskGraphReport<String> {
            try await executor.run(graph) { (invocation: NodeInvocation<String>) in
                tracker.enter(invocation.node)
                if invocation.node == "bad" { throw PlainError(message: "bad input") }
                return invocation.node + String(invocation.dependencyOutputs.count)
            }
        }
        let first = try await run()
        let second = try await run()
        #expect(first == second)
        #expect(first.status == .failed)
        #expect(tracker.allCalls.values.allSatisfy { $0 == 2 })
        #expect(tracker.calls("after") == 0)
    }
}
