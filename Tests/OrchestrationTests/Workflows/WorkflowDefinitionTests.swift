import AgentAdapters
import AgentOrchestration
import AgentPolicy
import Testing

@Suite("Workflow definitions: JSON, validation, diagrams")
struct WorkflowDefinitionTests {
    /// A definition with every state kind and every optional field set.
    static let full = WorkflowDefinition(
        name: "full",
        version: "3",
        initialState: "classify",
        states: [
            "classify": .task(
                WorkflowTaskState(
                    .agent("classifier"),
                    input: "$.ticket",
                    output: "$.category",
                    next: "route",
                    onFailure: "failed",
                    maxVisits: 2
                )
            ),
            "route": .decision(
                WorkflowDecisionState(
                    [
                        .init(.equals("$.category", "billing"), next: "fanout"),
                        .init(.predicate("isUrgent"), next: "approve"),
                    ],
                    default: "lookup"
                )
            ),
            "lookup": .task(
                WorkflowTaskState(
                    .tool("lookup"),
                    input: "$.ticket",
                    output: "$.account",
                    next: "sub",
                    onFailure: "failed"
                )
            ),
            "sub": .task(WorkflowTaskState(.workflow("child"), output: "$.child", next: "done", onFailure: "failed")),
            "fanout": .parallel(
                WorkflowParallelState(
                    [.init("a", .agent("classifier"), input: "$.ticket"), .init("b", .tool("lookup"))],
                    join: .firstSuccess,
                    output: "$.drafts",
                    next: "customer",
                    onFailure: "failed"
                )
            ),
            "customer": .wait(
                WorkflowWaitState(
                    .signal("reply"),
                    timeout: .seconds(30),
                    output: "$.reply",
                    next: "done",
                    onTimeout: "failed"
                )
            ),
            "approve": .wait(
                WorkflowWaitState(
                    .approval(prompt: "refund?"),
                    timeout: .seconds(60),
                    output: "$.approval",
                    next: "done",
                    onTimeout: "failed",
                    onDenied: "failed"
                )
            ),
            "done": .end(WorkflowEndState(.succeeded)),
            "failed": .end(WorkflowEndState(.failed, reason: "gave up")),
        ],
        maxVisitsPerState: 4
    )

    static let child = WorkflowDefinition(
        name: "child",
        version: "1",
        initialState: "end",
        states: ["end": .end(WorkflowEndState(.succeeded))]
    )

    static func registry() throws -> WorkflowRegistry {
        try workflowRegistry(
            [constantAgent("classifier", "billing")],
            workflows: [child],
            predicates: ["isUrgent": { $0["urgent"] == true }]
        )
    }

    @Test("Encoding then decoding gives the same definition, and the hash pins its canonical JSON")
    func roundTrip() throws {
        let json = try JSONValueEncoder().encode(Self.full)
        let decoded = try JSONValueDecoder().decode(WorkflowDefinition.self, from: json)
        #expect(decoded == Self.full)
        #expect(decoded.hash == Self.full.hash)
        let reparsed = try WorkflowDefinition.parse(json.jsonText())
        #expect(reparsed == Self.full)
        var changed = Self.full
        changed.version = "4"
        #expect(changed.hash != Self.full.hash)
    }

    @Test("A hand-written JSON definition decodes with its defaults: input $, join all, 10 visits")
    func decodesDefaults() throws {
        let definition = try WorkflowDefinition.parse(
            """
            {"name": "w", "version": "1", "initialState": "a",
             "states": {
               "a": {"kind": "task", "tool": "t", "output": "$.out", "next": "p", "onFailure": "z"},
               "p": {"kind": "parallel", "branches": [{"name": "x", "agent": "g"}], "output": "$.p", "next": "z",
                     "onFailure": "z"},
               "z": {"kind": "end", "outcome": "succeeded"}}}
            """
        )
        #expect(definition.maxVisitsPerState == 10)
        guard case .task(let task)? = definition.states["a"], case .parallel(let parallel)? = definition.states["p"]
        else {
            Issue.record("states decoded as other kinds")
            return
        }
        #expect(task.input == .root)
        #expect(task.performer == .tool("t"))
        #expect(parallel.join == .all)
        #expect(parallel.branches == [.init("x", .agent("g"))])
    }

    @Test("A state naming two performers, or an unknown kind, does not decode")
    func shapeErrors() {
        #expect(throws: (any Error).self) {
            try WorkflowDefinition.parse(
                """
                {"name": "w", "version": "1", "initialState": "a", "states": {
                  "a": {"kind": "task", "tool": "t", "agent": "g", "output": "$", "next": "a", "onFailure": "a"}}}
                """
            )
        }
        #expect(throws: (any Error).self) {
            try WorkflowDefinition.parse(
                #"{"name": "w", "version": "1", "initialState": "a", "states": {"a": {"kind": "loop"}}}"#
            )
        }
    }

    @Test("The full definition is valid against its registries and initial data")
    func validDefinition() throws {
        let errors = Self.full.validationErrors(
            registry: try Self.registry(),
            tools: ["lookup"],
            initialData: ["ticket": ["text": "x"]]
        )
        #expect(errors == [])
    }

    /// Validates `definition` (a copy of `full` changed by `change`) and returns the codes, states and fields found.
    static func problems(
        _ change: (inout WorkflowDefinition) -> Void,
        registry: WorkflowRegistry? = nil,
        tools: [String] = ["lookup"],
        initialData: JSONValue? = ["ticket": ["text": "x"]]
    ) throws -> [WorkflowDefinitionError] {
        var definition = full
        change(&definition)
        return definition.validationErrors(
            registry: try registry ?? Self.registry(),
            tools: tools,
            initialData: initialData
        )
    }

    @Test("Each validation rule has its own code naming the state and the field or edge")
    func validationCodes() throws {
        func only(
            _ code: WorkflowDefinitionError.Code,
            state: String?,
            field: String?,
            _ errors: [WorkflowDefinitionError],
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(errors.map(\.code) == [code], sourceLocation: sourceLocation)
            #expect(errors.first?.state == state, sourceLocation: sourceLocation)
            #expect(errors.first?.field == field, sourceLocation: sourceLocation)
            #expect(errors.first?.workflow == "full", sourceLocation: sourceLocation)
        }
        only(
            .unknownAgent,
            state: "classify",
            field: "agent",
            try Self.problems(
                { _ in },
                registry: try workflowRegistry([], workflows: [Self.child], predicates: ["isUrgent": { _ in true }])
            ).filter { $0.state == "classify" }
        )
        only(
            .unknownTool,
            state: "lookup",
            field: "tool",
            try Self.problems({ _ in }, tools: []).filter { $0.state == "lookup" }
        )
        only(
            .unknownWorkflow,
            state: "sub",
            field: "workflow",
            try Self.problems(
                { _ in },
                registry: try workflowRegistry(
                    [constantAgent("classifier", 1)],
                    predicates: ["isUrgent": { _ in true }]
                )
            )
        )
        only(
            .unknownPredicate,
            state: "route",
            field: "choices[1]",
            try Self.problems(
                { _ in },
                registry: try workflowRegistry([constantAgent("classifier", 1)], workflows: [Self.child])
            )
        )
        only(.unreachableState, state: "orphan", field: nil, try Self.problems { $0.states["orphan"] = succeededEnd })
        only(
            .decisionWithoutDefault,
            state: "route",
            field: "default",
            try Self.problems {
                $0.states["route"] = .decision(
                    WorkflowDecisionState(
                        [
                            .init(.always, next: "lookup"), .init(.always, next: "fanout"),
                            .init(.always, next: "approve"),
                        ],
                        default: nil
                    )
                )
            }
        )
        only(
            .waitWithoutTimeout,
            state: "customer",
            field: "timeoutNanoseconds",
            try Self.problems {
                $0.states["customer"] = .wait(
                    WorkflowWaitState(.signal("reply"), timeout: nil, next: "done", onTimeout: "failed")
                )
            }
        )
        only(
            .waitWithoutTimeout,
            state: "customer",
            field: "onTimeout",
            try Self.problems {
                $0.states["customer"] = .wait(
                    WorkflowWaitState(.signal("reply"), timeout: .seconds(1), next: "done", onTimeout: nil)
                )
            }
        )
        let missing = try Self.problems {
            $0.states["sub"] = .task(
                WorkflowTaskState(.workflow("child"), output: "$.child", next: "dnoe", onFailure: "failed")
            )
        }
        #expect(missing.map(\.code) == [.missingState])
        #expect(missing.first?.state == "sub")
        #expect(missing.first?.field == "transition \"ok\"")
        only(.missingState, state: nil, field: "initialState", try Self.problems { $0.initialState = "nowhere" })
        only(
            .missingDataPath,
            state: "classify",
            field: "input",
            try Self.problems {
                $0.states["classify"] = .task(
                    WorkflowTaskState(
                        .agent("classifier"),
                        input: "$.tikcet",
                        output: "$.category",
                        next: "route",
                        onFailure: "failed"
                    )
                )
            }
        )
        only(
            .missingFailureTransition,
            state: "lookup",
            field: "onFailure",
            try Self.problems {
                $0.states["lookup"] = .task(
                    WorkflowTaskState(
                        .tool("lookup"),
                        input: "$.ticket",
                        output: "$.account",
                        next: "sub",
                        onFailure: nil
                    )
                )
            }
        )
        only(
            .missingDenialTransition,
            state: "approve",
            field: "onDenied",
            try Self.problems {
                $0.states["approve"] = .wait(
                    WorkflowWaitState(.approval(prompt: "?"), timeout: .seconds(1), next: "done", onTimeout: "failed")
                )
            }
        )
        only(
            .invalidBranches,
            state: "fanout",
            field: "branches[1]",
            try Self.problems {
                $0.states["fanout"] = .parallel(
                    WorkflowParallelState(
                        [.init("a", .tool("lookup")), .init("a", .tool("lookup"))],
                        output: "$.d",
                        next: "customer",
                        onFailure: "failed"
                    )
                )
            }
        )
        only(.invalidVisitCap, state: nil, field: "maxVisitsPerState", try Self.problems { $0.maxVisitsPerState = 0 })
        let selfCall = WorkflowDefinition(
            name: "child",
            version: "2",
            initialState: "again",
            states: [
                "again": .task(WorkflowTaskState(.workflow("child"), output: "$.x", next: "end", onFailure: "end")),
                "end": succeededEnd,
            ]
        )
        let recursive = try Self.problems(
            { _ in },
            registry: try workflowRegistry(
                [constantAgent("classifier", 1)],
                workflows: [selfCall],
                predicates: ["isUrgent": { _ in true }]
            )
        )
        #expect(recursive.map(\.code) == [.recursiveWorkflow])
        #expect(recursive.first?.workflow == "child")
        #expect(recursive.first?.state == "again")
    }

    @Test("Running an invalid definition throws before anything runs")
    func runRefusesInvalid() async throws {
        let runs = Counter()
        let orchestrator = try makeOrchestrator()
        let definition = WorkflowDefinition(
            name: "w",
            version: "1",
            initialState: "a",
            states: ["a": agentTask("worker", output: "$.x", next: "end", onFailure: nil), "end": succeededEnd]
        )
        await #expect(throws: WorkflowDefinitionError.self) {
            _ = try await orchestrator.run(
                workflow: definition,
                data: [:],
                registry: try workflowRegistry([constantAgent("worker", 1, counter: runs)])
            )
        }
        #expect(runs.value == 0)
    }

    @Test("The Mermaid diagram shows every state and edge, and marks the path a report took")
    func mermaid() async throws {
        let plain = Self.full.mermaid()
        #expect(plain.hasPrefix("stateDiagram-v2\n"))
        #expect(plain.contains("    [*] --> classify\n"))
        #expect(plain.contains("    classify --> failed : failure\n"))
        #expect(plain.contains("    route --> fanout : $.category == \"billing\"\n"))
        #expect(plain.contains("    route --> lookup : default\n"))
        #expect(plain.contains("    customer --> failed : timeout\n"))
        #expect(plain.contains("    done --> [*]\n"))
        #expect(!plain.contains("taken"))

        let orchestrator = try makeOrchestrator(
            tools: [ClosureTool(name: "lookup", description: "Looks up.", parameters: .any) { _ in ["id": 7] }]
        )
        let report = try await orchestrator.run(
            workflow: Self.full,
            data: ["ticket": ["text": "x"]],
            registry: try workflowRegistry(
                [constantAgent("classifier", "other")],
                workflows: [Self.child],
                predicates: ["isUrgent": { _ in false }]
            )
        )
        #expect(report.statesTaken == ["classify", "route", "lookup", "sub", "done"])
        let diagram = Self.full.mermaid(report: report)
        #expect(diagram.contains("    route --> lookup : default [taken]\n"))
        #expect(diagram.contains("    classify --> failed : failure\n"))
        #expect(diagram.contains("    class classify,route,lookup,sub,done taken\n"))
    }
}
