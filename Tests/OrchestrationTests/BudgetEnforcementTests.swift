import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting
import Testing

@Suite("Budgets enforced by the orchestrator", .timeLimit(.suite))
struct BudgetEnforcementTests {
    @Test("Steps: a 1,000-step plan under maxSteps N runs exactly N step bodies", arguments: [Int64(0), 1, 5])
    func stepLimit(limit: Int64) async throws {
        let bodies = Counter()
        let agent = ClosureAgent(
            name: "runaway",
            plan: { _, _ in (0..<1000).map { AgentStep(.integer(Int64($0))) } },
            execute: { step, _ in
                bodies.increment()
                return step.input
            }
        )
        let report = try await makeOrchestrator().run(agent, task: "loop", policy: try StrictPolicy(maxSteps: limit))
        #expect(bodies.value == Int(limit))
        #expect(report.status == .failed)
        #expect(
            report.stopReason.violation == PolicyViolation(limit: .maxSteps, limitValue: limit, attempted: limit + 1)
        )
        #expect(report.stepOutputs == (0..<limit).map { JSONValue.integer($0) })
        #expect(report.ledger.first == BudgetLine(budget: "steps", limit: limit, used: limit))
        #expect(report.agentStopped)  // the refusal happens between steps, with the agent's code returned
    }

    @Test("Steps: a plan of exactly N (or N-1) steps completes", arguments: [Int64(4), 5])
    func stepLimitNotReached(steps: Int64) async throws {
        let agent = ClosureAgent(
            name: "planner",
            plan: { _, _ in (0..<steps).map { AgentStep(.integer($0)) } },
            execute: { step, _ in step.input }
        )
        let report = try await makeOrchestrator().run(agent, task: nil, policy: try StrictPolicy(maxSteps: 5))
        #expect(report.stopReason == .completed)
        #expect(report.finalOutput == .integer(steps - 1))
        #expect(report.totals.steps == Int(steps))
    }

    @Test("Follow-up steps are bounded by maxSteps too")
    func followUpLoop() async throws {
        struct Looper: Agent {
            let name = "looper"
            func execute(_ step: AgentStep, context: AgentContext) async throws -> StepResult {
                StepResult(output: step.input, followUpSteps: [AgentStep(.integer((step.input.integerValue ?? 0) + 1))])
            }
        }
        let report = try await makeOrchestrator().run(Looper(), task: 0, policy: try StrictPolicy(maxSteps: 7))
        #expect(report.stopReason.violation?.limit == .maxSteps)
        #expect(report.stepOutputs.count == 7)
    }

    @Test("Tool calls at N-1, N and N+1 attempts under maxToolCalls N", arguments: [Int(2), 3, 4])
    func toolCallLimit(attempts: Int) async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", bodies)])
        let report = await orchestrator.run(
            toolCaller("echo", calls: attempts),
            task: nil,
            policy: try StrictPolicy(maxToolCalls: 3)
        )
        #expect(bodies.value == min(attempts, 3))
        if attempts <= 3 {
            #expect(report.stopReason == .completed)
            #expect(report.finalOutput == .integer(Int64(attempts)))
        } else {
            #expect(
                report.stopReason.violation
                    == PolicyViolation(limit: .maxToolCalls, limitValue: 3, attempted: 4, tool: "echo")
            )
            #expect(report.totals.toolCalls == 3)
            #expect(report.totals.refusedToolCalls == 1)
            #expect(report.steps[0].toolCalls.map(\.status) == [.succeeded, .succeeded, .succeeded, .refused])
        }
    }

    @Test(
        "W7: 1,000 attempts under maxToolCalls 10 run 10 bodies, distinct or identical arguments",
        arguments: [false, true]
    )
    func thousandAttempts(sameArguments: Bool) async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("echo", bodies)])
        let policy = try StrictPolicy(maxToolCalls: 10, maxRepeatedToolCalls: 1000)
        let report = await orchestrator.run(
            toolCaller("echo", calls: 1000, sameArguments: sameArguments),
            task: nil,
            policy: policy
        )
        #expect(bodies.value == 10)
        #expect(report.totals.toolCalls == 10)
        #expect(report.stopReason.violation?.limit == .maxToolCalls)
        #expect(
            report.ledger.first { $0.budget == "toolCalls" } == BudgetLine(budget: "toolCalls", limit: 10, used: 10)
        )
    }

    @Test("Per-tool caps count one tool; the other keeps running")
    func perToolCap() async throws {
        let search = Counter()
        let calc = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("search_web", search), countingTool("calc", calc)])
        let agent = ClosureAgent(name: "mixed") { _, context in
            for index in 0..<3 { _ = try await context.callTool("calc", arguments: ["n": .integer(Int64(index))]) }
            for index in 0..<3 {
                _ = try await context.callTool("search_web", arguments: ["n": .integer(Int64(index))])
            }
            return "done"
        }
        let report = await orchestrator.run(
            agent,
            task: nil,
            policy: try StrictPolicy(maxCallsPerTool: ["search_web": 2])
        )
        #expect(calc.value == 3)
        #expect(search.value == 2)
        #expect(
            report.stopReason.violation
                == PolicyViolation(limit: .maxCallsPerTool, limitValue: 2, attempted: 3, tool: "search_web")
        )
    }

    @Test("Deny wins over allow with wildcards; a denied tool's body never runs")
    func allowDeny() async throws {
        let web = Counter()
        let hidden = Counter()
        let orchestrator = try makeOrchestrator(tools: [
            countingTool("search_web", web), countingTool("search_internal", hidden),
        ])
        let policy = try StrictPolicy(allowedTools: ["search_*"], deniedTools: ["*_internal"])
        let agent = ClosureAgent(name: "snoop") { _, context in
            _ = try await context.callTool("search_web")
            _ = try await context.callTool("search_internal")
            return "leaked"
        }
        let report = await orchestrator.run(agent, task: nil, policy: policy)
        #expect(web.value == 1)
        #expect(hidden.value == 0)
        #expect(report.stopReason.violation?.limit == .toolDenied)
        #expect(report.stopReason.violation?.tool == "search_internal")
        #expect(report.events.toolCallRefused == 1)
    }

    @Test("A tool outside the allow list is refused")
    func notAllowed() async throws {
        let shell = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("shell", shell)])
        let report = await orchestrator.run(
            toolCaller("shell", calls: 1),
            task: nil,
            policy: try StrictPolicy(allowedTools: ["search_*"])
        )
        #expect(shell.value == 0)
        #expect(report.stopReason.violation?.limit == .toolNotAllowed)
    }

    @Test("Loop detection: identical calls at N and N+1; distinct arguments are not a loop")
    func loopDetection() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("fetch", bodies)])
        let policy = try StrictPolicy(maxRepeatedToolCalls: 3)
        let looping = await orchestrator.run(
            toolCaller("fetch", calls: 4, sameArguments: true),
            task: nil,
            policy: policy
        )
        #expect(bodies.value == 3)
        #expect(looping.stopReason.violation?.limit == .maxRepeatedToolCalls)
        #expect(looping.stopReason.violation?.attempted == 4)
        let exact = await orchestrator.run(
            toolCaller("fetch", calls: 3, sameArguments: true),
            task: nil,
            policy: policy
        )
        #expect(exact.stopReason == .completed)
        let distinct = await orchestrator.run(toolCaller("fetch", calls: 20), task: nil, policy: policy)
        #expect(distinct.stopReason == .completed)
    }

    @Test("Token bomb: usage reported past the limit stops the run at once, earlier outputs kept")
    func tokenBomb() async throws {
        let agent = ScriptedAgent(
            name: "bomb",
            steps: [
                [
                    .useModel(
                        estimate: ModelUsage(inputTokens: 2),
                        actual: ModelUsage(inputTokens: 2, outputTokens: 3)
                    ), .output("first"),
                ],
                [
                    .useModel(estimate: ModelUsage(inputTokens: 1), actual: ModelUsage(outputTokens: 1_000_000)),
                    .output("never"),
                ],
                [.output("third")],
            ]
        )
        let report = try await makeOrchestrator().run(agent, task: nil, policy: try StrictPolicy(maxTokens: 10))
        #expect(report.stopReason.violation?.limit == .maxTokens)
        #expect(report.stopReason.violation?.attempted == 1_000_005)
        #expect(report.stepOutputs == ["first"])
        #expect(report.totals.usage == ModelUsage(inputTokens: 2, outputTokens: 1_000_003))
        #expect(report.steps.count == 2)
        #expect(report.steps[1].status == .interrupted)
    }

    @Test(
        "A token reservation that would pass the limit is refused before the model call",
        arguments: [Int64(9), 10, 11]
    )
    func tokenReservation(estimate: Int64) async throws {
        let calls = Counter()
        let agent = ClosureAgent(name: "model") { _, context in
            let reservation = try context.reserveUsage(ModelUsage(inputTokens: estimate))
            calls.increment()
            try context.reportUsage(ModelUsage(inputTokens: 1), for: reservation)
            return "ok"
        }
        let report = try await makeOrchestrator().run(agent, task: nil, policy: try StrictPolicy(maxTokens: 10))
        let tokens = try #require(report.ledger.first { $0.budget == "tokens" })
        if estimate <= 10 {
            #expect(calls.value == 1)
            #expect(report.stopReason == .completed)
            #expect(tokens.used == 1)
        } else {
            #expect(calls.value == 0, "the model call ran although its reservation was refused")
            #expect(
                report.stopReason
                    == .policyViolation(
                        violation: PolicyViolation(limit: .maxTokens, limitValue: 10, attempted: estimate)
                    )
            )
            #expect(report.status == .failed)
            #expect(tokens.used == 0, "a refused reservation must not count")
        }
    }

    @Test("Cost is exact integer units at N and N+1")
    func cost() async throws {
        let agent = ScriptedAgent(
            name: "spender",
            steps: [
                [.reportUsage(ModelUsage(cost: 50))], [.reportUsage(ModelUsage(cost: 50))],
                [.reportUsage(ModelUsage(cost: 1))],
            ]
        )
        let report = try await makeOrchestrator().run(agent, task: nil, policy: try StrictPolicy(maxCost: 100))
        #expect(report.stopReason.violation == PolicyViolation(limit: .maxCost, limitValue: 100, attempted: 101))
        #expect(report.totals.usage.cost == 101)
        #expect(report.stepOutputs.count == 2)
    }

    @Test("Remaining budget is visible to the agent")
    func remainingBudget() async throws {
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", Counter())])
        let agent = ClosureAgent(name: "reader") { _, context in
            _ = try await context.callTool("t")
            let remaining = context.remainingBudget
            return ["steps": .integer(remaining[.steps] ?? -1), "calls": .integer(remaining.toolCalls(for: "t") ?? -1)]
        }
        let report = await orchestrator.run(
            agent,
            task: nil,
            policy: try StrictPolicy(maxSteps: 4, maxToolCalls: 9, maxCallsPerTool: ["t": 5])
        )
        #expect(report.finalOutput == ["steps": 3, "calls": 4])
    }

    // Calls 1–10 are admitted, the 11th is refused and ends the run. An admitted call whose body had not started
    // by then is refunded and never runs (nothing starts after the run has ended), so under load fewer than 10
    // bodies may run; the invariant is that the ledger equals the bodies that ran, and never exceeds the limit.
    @Test("Adversarial agent: 1,000 concurrent calls under maxToolCalls 10 leave ledger = body count ≤ 10")
    func adversarialConcurrency() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        let agent = ClosureAgent(name: "flood") { _, context in
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<1000 {
                    group.addTask { _ = try? await context.callTool("t", arguments: ["n": .integer(Int64(index))]) }
                }
            }
            return "swallowed every error"
        }
        let report = await orchestrator.run(agent, task: nil, policy: try StrictPolicy(maxToolCalls: 10))
        #expect(bodies.value <= 10, "a body ran beyond the limit")
        #expect(report.totals.toolCalls == bodies.value, "the report's tool calls differ from the bodies that ran")
        #expect(
            report.ledger.first { $0.budget == "toolCalls" }?.used == Int64(bodies.value),
            "an admitted call that never ran was not refunded"
        )
        #expect(report.status == .failed)
        #expect(report.stopReason.violation?.limit == .maxToolCalls)
        #expect(report.finalOutput == nil)
    }

    @Test("A violation is never reported as success, even when the agent swallows it")
    func violationIsTerminal() async throws {
        let bodies = Counter()
        let orchestrator = try makeOrchestrator(tools: [countingTool("t", bodies)])
        let agent = ClosureAgent(name: "stubborn") { _, context in
            for index in 0..<5 { _ = try? await context.callTool("t", arguments: ["n": .integer(Int64(index))]) }
            return "pretend success"
        }
        let report = await orchestrator.run(agent, task: nil, policy: try StrictPolicy(maxToolCalls: 1))
        #expect(bodies.value == 1)
        #expect(report.status == .failed)
        #expect(report.violations.count == 1)
    }

    @Test("100 concurrent runs sharing a budget of 50 tool calls run exactly 50 bodies")
    func sharedBudget() async throws {
        let bodies = Counter()
        let orchestrator = try Orchestrator(tools: [countingTool("t", bodies)], idGenerator: .sequential())
        let shared = SharedBudget(try BudgetLimits(maxToolCalls: 50))
        let agent = ClosureAgent(name: "sharer") { _, context in
            for index in 0..<5 {
                _ = try await context.callTool("t", arguments: ["n": .integer(Int64(index))])
                await Task.yield()
            }
            return "done"
        }
        let reports = await withTaskGroup(of: ExecutionReport.self) { group in
            for _ in 0..<100 { group.addTask { await orchestrator.run(agent, task: nil, sharedBudget: shared) } }
            var all: [ExecutionReport] = []
            for await report in group { all.append(report) }
            return all
        }
        #expect(bodies.value == 50)
        #expect(shared.ledger.used(.toolCalls) == 50)
        #expect(reports.map(\.totals.toolCalls).reduce(0, +) == 50)
        #expect(Set(reports.map(\.executionID)).count == 100)
        for report in reports where report.status != .succeeded {
            #expect(report.stopReason.violation?.limit == .maxToolCalls)
        }
        #expect(reports.allSatisfy { $0.totals.toolCalls <= 5 })
    }
}
