// W11, W11b, W11c of ../shared/benchmarks/WORKLOADS.md: governed model calls on the scripted model.
import AgentAdapters
import AgentOrchestration
import AgentPolicy
import AgentTesting

/// Runs the model workloads that `options` selects.
func runModelWorkloads(options: Options, reps: Int) async throws {
    let bodies = BodyCounter()
    let noop = ClosureTool(name: "noop", description: "Does nothing.") { arguments in
        bodies.increment()
        return arguments
    }
    let orchestrator = try Orchestrator(tools: [noop])

    // W11: 1,000 runs, 10 model turns each (9 turns ask for one tool call, the 10th answers).
    if options.selects("W11-model-loop") {
        note("running W11-model-loop…")
        let runs = 1_000
        // The turn depends on the run's own transcript (user + 2 messages per tool turn), so one model serves
        // every run, as a shared provider client would.
        let call = ModelToolCall(id: "call", name: "noop", arguments: [:])
        let model = ScriptedModel { _, request in
            request.messages.count < 19 ? .toolCalls([call], outputTokens: 12) : .text("done", outputTokens: 3)
        }
        let agent = ModelAgent(name: "looper", model: model, retry: .none)
        let (times, checks) = await measure(reps: reps) {
            var succeeded = 0
            var modelCalls = 0
            var toolCalls = 0
            for _ in 0..<runs {
                let report = await orchestrator.run(agent, task: "go")
                if report.status == .succeeded, report.finalOutput == "done" { succeeded += 1 }
                if report.totals.modelCalls == 10 { modelCalls += 1 }
                if report.totals.toolCalls == 9 { toolCalls += 1 }
            }
            var checks = Checks()
            checks.expect("succeeded", succeeded, equals: runs)
            checks.expect("runs_with_10_model_calls", modelCalls, equals: runs)
            checks.expect("runs_with_9_tool_calls", toolCalls, equals: runs)
            return checks
        }
        emit(throughputLine("W11-model-loop", size: runs * 10, reps: reps, times: times, checks: checks))
    }

    // W11b: 80 output tokens per turn forever, an output-token budget of 100.
    if options.selects("W11b-output-token-budget") {
        note("running W11b-output-token-budget…")
        let call = ModelToolCall(id: "call", name: "noop", arguments: [:])
        let model = ScriptedModel(turns: [.toolCalls([call], outputTokens: 80)], whenExhausted: .repeatLast)
        let agent = ModelAgent(name: "talker", model: model, retry: .none)
        let policy = try StrictPolicy(maxOutputTokens: 100)
        let report = await orchestrator.run(agent, task: "go", policy: policy)
        let used = report.totals.usage.outputTokens
        var checks = Checks()
        checks.require(used <= 100)
        checks.require(model.requests.allSatisfy { ($0.options.maximumOutputTokens ?? 0) >= 1 })
        checks.record("max_output_asked", .array(model.requests.map { .integer($0.options.maximumOutputTokens ?? 0) }))
        emit([
            "workload": "W11b-output-token-budget", "size": 1, "reps": 1, "output_tokens_used": .integer(used),
            "output_token_budget": 100, "stop_reason": .string(report.stopReason.code),
            "limit": .string(violationLimit(report)?.rawValue ?? ""),
            "model_calls": .integer(Int64(report.totals.modelCalls)), "checks": .object(checks.values),
            "ok": .bool(checks.ok),
        ])
    }

    // W11c: one response asks for 20 tool calls at once; the tool-call budget is 10.
    if options.selects("W11c-parallel-tool-budget") {
        note("running W11c-parallel-tool-budget…")
        let calls = (0..<20).map { ModelToolCall(id: "c\($0)", name: "noop", arguments: ["n": .integer(Int64($0))]) }
        for overflow in ToolBatchOverflow.allCases {
            let model = ScriptedModel(turns: [.toolCalls(calls), .text("done")])
            let agent = ModelAgent(name: "batcher", model: model, retry: .none)
            let policy = try StrictPolicy(maxToolCalls: 10, toolBatchOverflow: overflow)
            bodies.reset()
            let report = await orchestrator.run(agent, task: "go", policy: policy)
            let refusalsSeen = model.requests.last?.messages.filter(\.isError).count ?? 0
            var checks = Checks()
            checks.expect("tool_body_ran", bodies.value, equals: 10)
            checks.expect("refused", report.totals.refusedToolCalls, equals: 10)
            if overflow == .tellModel {
                checks.expect("refusals_the_model_read", refusalsSeen, equals: 10)
                checks.require(report.status == .succeeded)
            } else {
                checks.require(violationLimit(report) == .maxToolCalls)
            }
            emit([
                "workload": "W11c-parallel-tool-budget", "variant": .string(overflow.rawValue), "size": 20, "reps": 1,
                "tool_body_ran": .integer(Int64(bodies.value)), "stop_reason": .string(report.stopReason.code),
                "checks": .object(checks.values), "ok": .bool(checks.ok),
            ])
        }
    }
}
