import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import AgentTaskGraph
import AgentTesting
import Testing

/// An agent that answers `output` whatever it is asked.
private func answering(_ name: String, _ output: JSONValue) -> ClosureAgent {
    ClosureAgent(name: name) { _, _ in output }
}

/// classify → billing | technical | other → draft (any) → review, routed by the classifier's `category`.
private func triage(category: JSONValue, router: AgentGraph.Router = .output("$.category")) -> AgentGraph {
    var graph = AgentGraph()
    graph.add("classify", agent: answering("classifier", ["category": category, "urgent": true]), router: router)
    for desk in ["billing", "technical", "other"] {
        graph.add(desk, agent: labeller(desk), dependsOn: ["classify"])
    }
    graph.add("draft", agent: labeller("writer"), dependsOn: ["billing", "technical", "other"], join: .any)
    graph.add("review", agent: labeller("reviewer"), dependsOn: ["draft"])
    return graph
}

private let graphID = JournalID(rawValue: "routed")!

@Suite("Graphs of agents: conditional routing", .timeLimit(.suite))
struct AgentGraphRoutingTests {
    @Test("A router takes only the branch its agent names; the others are skipped by branch with the reason")
    func routerByOutput() async throws {
        let report = try await makeOrchestrator().run(triage(category: "billing"), task: "refund please")
        #expect(report.status == .succeeded)
        #expect(report.stopReason == .completed)
        #expect(
            report.execution.statuses == [
                "classify": .succeeded, "billing": .succeeded, "technical": .skippedByBranch,
                "other": .skippedByBranch, "draft": .succeeded, "review": .succeeded,
            ]
        )
        #expect(report.node("classify")?.routedTo == ["billing"])
        #expect(report.node("technical")?.skipReason == "router \"classify\" chose billing")
        #expect(report.node("billing")?.skipReason == nil)
        let draft = try #require(report.node("draft")?.output)
        #expect(draft["task"]?["dependencies"]?.objectValue?.keys.sorted() == ["billing"])
        #expect(report.output?["review"]?["by"] == "reviewer")
    }

    @Test("Edge conditions: a node with one satisfied and one skipped input, under each join")
    func conditionsAndJoins() async throws {
        var predicates = PredicateRegistry()
        try predicates.register("isUrgent") { $0["urgent"] == true }
        var graph = AgentGraph(predicates: predicates)
        graph.add("a", agent: answering("a", ["score": 3, "urgent": true]))
        graph.add("high", agent: labeller("high"), dependsOn: ["a"], when: ["a": .isOneOf("$.score", [4, 5])])
        graph.add("urgent", agent: labeller("urgent"), dependsOn: ["a"], when: ["a": .predicate("isUrgent")])
        graph.add("both", agent: labeller("both"), dependsOn: ["high", "urgent"])
        graph.add("either", agent: labeller("either"), dependsOn: ["high", "urgent"], join: .any)
        graph.add("after", agent: labeller("after"), dependsOn: ["both"])
        let report = try await makeOrchestrator().run(graph, task: "go")
        let statuses = report.execution.statuses
        #expect(statuses["high"] == .skippedByBranch && statuses["urgent"] == .succeeded)
        #expect(statuses["both"] == .skippedByBranch, "`all` with a skipped input is skipped")
        #expect(statuses["either"] == .succeeded, "`any` with one satisfied input runs")
        #expect(statuses["after"] == .skippedByBranch)
        #expect(report.node("high")?.skipReason == "condition $.score in [4,5] on \"a\" → \"high\" is false")
        #expect(report.node("both")?.skipReason == "input \"high\" was skipped by a branch")
        #expect(report.node("after")?.skipReason == "input \"both\" was skipped by a branch")
        #expect(report.node("a")?.routedTo == ["urgent"])
        let either = try #require(report.node("either")?.output)
        #expect(either["task"]?["dependencies"]?.objectValue?.keys.sorted() == ["urgent"])
        #expect(report.status == .succeeded)
        #expect(report.output?.objectValue?.keys.sorted() == ["either"], "skipped sinks are left out")
        #expect(report.execution.counts.skippedByBranch == 3)
        #expect(report.execution.counts.skipped == 0)
    }

    @Test("A routing function registered by name chooses; a name that is not a successor fails the router node")
    func routerFunction() async throws {
        var graph = triage(category: "billing", router: .function("byCategory"))
        graph.routers["byCategory"] = { output in output["category"] == "billing" ? ["billing", "technical"] : [] }
        let report = try await makeOrchestrator().run(graph, task: "t")
        #expect(report.node("classify")?.routedTo == ["billing", "technical"])
        #expect(
            report.node("other")?.skipReason == "router \"classify\" (function byCategory) chose billing, technical"
        )
        let draft = try #require(report.node("draft")?.output)
        #expect(draft["task"]?["dependencies"]?.objectValue?.keys.sorted() == ["billing", "technical"])

        // The agent names a desk the graph does not have: the router fails, its branches are skipped by failure.
        let bad = try await makeOrchestrator().run(triage(category: "sales"), task: "t")
        #expect(bad.status == .failed)
        #expect(bad.stopReason == .nodeFailed(node: "classify"))
        let error = try #require(bad.execution.node("classify")?.error)
        #expect(error.message.contains("RoutingError"), "\(error.message)")
        #expect(error.message.contains("chose \"sales\", which is not one of its successors"))
        #expect(bad.execution.statuses["billing"] == .skipped)

        // Nothing named: `otherwise` is taken.
        let fallback = try await makeOrchestrator().run(
            triage(category: .null, router: .output("$.category", otherwise: ["other"])),
            task: "t"
        )
        #expect(fallback.node("classify")?.routedTo == ["other"])
        #expect(fallback.status == .succeeded)
    }

    @Test(
        "Validation names the node or edge: unknown predicate, unknown router, a fallback that is no successor, a condition on a missing edge"
    )
    func validation() async throws {
        let orchestrator = try makeOrchestrator()
        func error(_ graph: AgentGraph) async -> OrchestrationError? {
            do {
                _ = try await orchestrator.run(graph, task: "t")
                return nil
            } catch {
                return error
            }
        }
        var unknownPredicate = triage(category: "billing")
        unknownPredicate.nodes[1].conditions = ["classify": .not(.predicate("isRefund"))]
        let predicateError = await error(unknownPredicate)
        #expect(predicateError?.code == .unknownPredicate)
        #expect(predicateError?.nodes == ["classify", "billing"])
        #expect(predicateError?.name == "isRefund")

        let routerError = await error(triage(category: "billing", router: .function("nope")))
        #expect(routerError?.code == .unknownRouter)
        #expect(routerError?.nodes == ["classify"])
        #expect(routerError?.name == "nope")

        let strayError = await error(triage(category: "billing", router: .output("$.category", otherwise: ["review"])))
        #expect(strayError?.code == .notASuccessor)
        #expect(strayError?.nodes == ["classify", "review"])
        #expect(strayError?.registered == ["billing", "other", "technical"])

        var missingEdge = triage(category: "billing")
        missingEdge.nodes[5].conditions = ["classify": .always]
        let edgeError = await error(missingEdge)
        #expect(edgeError?.code == .unknownEdge)
        #expect(edgeError?.nodes == ["classify", "review"])
    }

    @Test("Mermaid shows conditions on edges and the path taken")
    func diagram() async throws {
        var graph = triage(category: "technical")
        graph.nodes[5].conditions = ["draft": .exists("$.by")]
        let report = try await makeOrchestrator().run(graph, task: "t")
        let text = graph.mermaid(report: report)
        #expect(text.contains("n0 ==>|\"$.category = technical\"| n2"))
        #expect(text.contains("n0 -.->|\"$.category = billing\"| n1"))
        #expect(text.contains("n1 -.-> n4"))
        #expect(text.contains("n2 ==> n4"))
        #expect(text.contains("n4 ==>|\"exists $.by\"| n5"))
        #expect(text.contains("class n1,n3 skippedByBranch"))
        #expect(
            graph.graphvizDOT(report: report).contains(
                "\"classify\" -> \"billing\" [label=\"$.category = billing\", style=dashed];"
            )
        )
        #expect(!graph.mermaid().contains("==>"))
    }

    @Test("A journaled routed graph resumes after a crash at every record boundary to the uninterrupted report")
    func resumeEveryBoundary() async throws {
        let graph = triage(category: "technical")
        let store = AppendLog()
        let serial = Orchestrator.GraphConfiguration(maxConcurrency: 1)
        let full = try await makeOrchestrator().run(
            graph,
            task: "t",
            journal: RunJournal(store: store, id: graphID),
            configuration: serial
        )
        #expect(full.status == .succeeded)
        let entries = try store.inner.records(of: graphID, from: 0).map { try JournalChain.readEntry($0) }
        #expect(entries.filter { $0["kind"] == "routed" }.map { $0["node"] } == ["classify"])
        #expect(entries.contains { $0["kind"] == "nodeSettled" && $0["status"] == "skippedByBranch" })
        let log = store.appended
        for cut in 0...log.count {
            let cutStore = InMemoryCheckpointStore()
            for (journal, record) in log[..<cut] { try cutStore.append([record], to: journal, durability: .immediate) }
            let resumed = try await makeOrchestrator().run(
                graph,
                task: "t",
                journal: RunJournal(store: cutStore, id: graphID),
                configuration: serial
            )
            #expect(resumed.jsonText() == full.jsonText(), "cut after \(cut) records")
        }
    }

    @Test("Replay follows the journaled routing decisions rather than deciding again")
    func replayFollowsJournal() async throws {
        let calls = LockedState(0)
        var predicates = PredicateRegistry()
        // Not pure on purpose: a replay that decided again would route the other way.
        try predicates.register("firstTime") { _ in
            calls.withLock {
                $0 += 1
                return $0 == 1
            }
        }
        var graph = triage(category: "technical")
        graph.predicates = predicates
        graph.nodes[5].conditions = ["draft": .predicate("firstTime")]
        graph.add("late", agent: labeller("late"), dependsOn: ["draft"], when: ["draft": .predicate("firstTime")])
        let store = InMemoryCheckpointStore()
        let full = try await makeOrchestrator().run(graph, task: "t", journal: RunJournal(store: store, id: graphID))
        #expect(full.node("draft")?.routedTo == ["review"])
        #expect(full.execution.statuses["late"] == .skippedByBranch)
        let replayed = try await makeOrchestrator().replay(graph, journal: RunJournal(store: store, id: graphID))
        #expect(replayed.jsonText() == full.jsonText())
        #expect(calls.withLock { $0 } == 2, "the predicate ran for the live run's two edges only")
    }
}

/// A store that remembers the order of every append across journals: cutting it after k records is a process
/// that died after its k-th durable record.
private final class AppendLog: CheckpointStore {
    let inner = InMemoryCheckpointStore()
    private let log = LockedState<[(JournalID, JournalRecord)]>([])

    var appended: [(JournalID, JournalRecord)] { log.withLock { $0 } }

    func append(_ records: [JournalRecord], to journal: JournalID, durability: JournalDurability) throws {
        try inner.append(records, to: journal, durability: durability)
        log.withLock { $0 += records.map { (journal, $0) } }
    }

    func records(of journal: JournalID, from position: Int) -> [JournalRecord] {
        inner.records(of: journal, from: position)
    }

    func journals() -> [JournalID] { inner.journals() }
}
