import AgentAdapters
import AgentOrchestration
@_spi(Internals) import AgentPolicy
import Testing

@Suite("Pipelines and refinement as workflows", .timeLimit(.suite))
struct WorkflowCompositionTests {
    @Test("A pipeline's stage 3 reads the original input and stage 2's output")
    func pipelineKeepsInput() async throws {
        let seen = LockedState<[JSONValue]>([])
        func stage(_ name: String) -> ClosureAgent {
            ClosureAgent(name: name) { step, _ in
                seen.withLock { $0.append(step.input) }
                return .string(name)
            }
        }
        let definition = WorkflowDefinition.pipeline(
            name: "p",
            version: "1",
            stages: [.agent("s1"), .agent("s2"), .agent("s3")]
        )
        let report = try await makeOrchestrator().run(
            workflow: definition,
            data: WorkflowDefinition.pipelineData(input: "original"),
            registry: try workflowRegistry([stage("s1"), stage("s2"), stage("s3")])
        )
        #expect(report.succeeded)
        #expect(
            seen.withLock { $0 } == [
                ["input": "original", "previous": nil], ["input": "original", "previous": "s1"],
                ["input": "original", "previous": "s2"],
            ]
        )
        #expect(report.finalData["previous"] == "s3")
    }

    @Test("A failing pipeline stage ends the pipeline failed and the later stages never run")
    func pipelineStopsOnFailure() async throws {
        let third = Counter()
        let report = try await makeOrchestrator().run(
            workflow: .pipeline(name: "p", version: "1", stages: [.agent("s1"), .agent("bad"), .agent("s3")]),
            data: WorkflowDefinition.pipelineData(input: 1),
            registry: try workflowRegistry([
                constantAgent("s1", 1), failingAgent("bad"), constantAgent("s3", 3, counter: third),
            ])
        )
        #expect(report.stopReason.kind == .failed)
        #expect(report.stopReason.state == "stageFailed")
        #expect(report.statesTaken == ["stage1", "stage2", "stageFailed"])
        #expect(third.value == 0)
    }

    /// A critic that scores the n-th critique `scores[n]` (a missing score is written as no field at all).
    static func critic(_ scores: [Double?]) -> ClosureAgent {
        let calls = Counter()
        return ClosureAgent(name: "critic") { _, _ in
            calls.increment()
            guard let score = scores[min(calls.value, scores.count) - 1] else { return ["note": "no score"] }
            return ["score": .number(score)]
        }
    }

    static func refinement(
        maxRounds: Int,
        onExhaustion: WorkflowDefinition.RefinementExhaustion = .fail
    ) throws -> WorkflowDefinition {
        try .refinement(
            name: "r",
            version: "1",
            generator: .agent("writer"),
            critic: .agent("critic"),
            reviser: .agent("writer"),
            converged: .predicate("goodEnough"),
            maxRounds: maxRounds,
            onExhaustion: onExhaustion
        )
    }

    static func registry(_ scores: [Double?], writes: Counter = Counter()) throws -> WorkflowRegistry {
        try workflowRegistry(
            [
                ClosureAgent(name: "writer") { _, _ in
                    writes.increment()
                    return .string("draft \(writes.value)")
                },
                critic(scores),
            ],
            predicates: ["goodEnough": { ($0["critique"]?["score"]?.doubleValue ?? 0) >= 0.8 }]
        )
    }

    @Test("Refinement converges at the threshold: 0.79 and a missing score revise, 0.8 converges")
    func refinementConverges() async throws {
        let writes = Counter()
        let report = try await makeOrchestrator().run(
            workflow: try Self.refinement(maxRounds: 5),
            data: ["input": "write a haiku"],
            registry: try Self.registry([0.79, nil, 0.8], writes: writes)
        )
        #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "converged"))
        #expect(
            report.statesTaken == [
                "generate", "critique1", "check1", "revise1", "critique2", "check2", "revise2", "critique3", "check3",
                "converged",
            ]
        )
        #expect(writes.value == 3)
        #expect(report.finalData["draft"] == "draft 3")
    }

    @Test("A draft passing in the last round counts as converged; running out of rounds fails, keeping the last draft")
    func refinementRounds() async throws {
        let orchestrator = try makeOrchestrator()
        let last = try await orchestrator.run(
            workflow: try Self.refinement(maxRounds: 2),
            data: ["input": "x"],
            registry: try Self.registry([0.1, 0.9])
        )
        #expect(last.stopReason.kind == .succeeded)
        let exhausted = try await orchestrator.run(
            workflow: try Self.refinement(maxRounds: 2),
            data: ["input": "x"],
            registry: try Self.registry([0.1, 0.2, 0.9])
        )
        #expect(
            exhausted.stopReason
                == WorkflowStopReason(.failed, state: "exhausted", reason: "no critique converged in 2 rounds")
        )
        #expect(exhausted.statesTaken.filter { $0.hasPrefix("revise") } == ["revise1"])
        #expect(exhausted.finalData["draft"] == "draft 2")
        #expect(exhausted.finalData["critique"] == ["score": 0.2])
    }

    @Test("On exhaustion, acceptLastDraft succeeds at exhausted with the last draft and its critique")
    func refinementAcceptsLastDraft() async throws {
        let report = try await makeOrchestrator().run(
            workflow: try Self.refinement(maxRounds: 2, onExhaustion: .acceptLastDraft),
            data: ["input": "x"],
            registry: try Self.registry([0.1, 0.2, 0.9])
        )
        #expect(report.stopReason == WorkflowStopReason(.succeeded, state: "exhausted"))
        #expect(report.finalData["draft"] == "draft 2")
        #expect(report.finalData["critique"] == ["score": 0.2])
    }

    @Test("maxRounds 1 is one generate and one critique, never a revise; below 1 is a typed error")
    func refinementOneRound() async throws {
        for exhaustion in [WorkflowDefinition.RefinementExhaustion.fail, .acceptLastDraft] {
            let writes = Counter()
            let report = try await makeOrchestrator().run(
                workflow: try Self.refinement(maxRounds: 1, onExhaustion: exhaustion),
                data: ["input": "x"],
                registry: try Self.registry([0.1], writes: writes)
            )
            #expect(report.statesTaken == ["generate", "critique1", "check1", "exhausted"])
            #expect(writes.value == 1)
            #expect(report.succeeded == (exhaustion == .acceptLastDraft))
            #expect(report.finalData["draft"] == "draft 1")
        }
        for rounds in [0, -1] {
            do throws(WorkflowDefinitionError) {
                _ = try WorkflowDefinition.refinement(
                    name: "r",
                    version: "1",
                    generator: .agent("writer"),
                    critic: .agent("critic"),
                    reviser: .agent("writer"),
                    converged: .always,
                    maxRounds: rounds
                )
                Issue.record("maxRounds \(rounds) was accepted")
            } catch {
                #expect(error.code == .invalidRounds)
                #expect(error.workflow == "r")
                #expect(error.field == "maxRounds")
                #expect(error.message.contains("\(rounds)"))
            }
        }
    }

    @Test("Refinement stops on the budget: the workflow ledger refuses a round and the workflow fails")
    func refinementBudget() async throws {
        let report = try await makeOrchestrator().run(
            workflow: try Self.refinement(maxRounds: 10),
            data: ["input": "x"],
            registry: try Self.registry([0.1]),
            policy: try StrictPolicy(maxSteps: 4)
        )
        #expect(
            report.stopReason
                == WorkflowStopReason(
                    .failed,
                    state: "refinementFailed",
                    reason: "a generate, critique or revise run failed"
                )
        )
        #expect(report.path.dropLast().last?.runs.first?.stopReason == "policyViolation")
        #expect(report.ledger.first { $0.budget == BudgetKind.steps.name }?.used == 4)
    }
}
