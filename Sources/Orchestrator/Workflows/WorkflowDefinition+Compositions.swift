public import AgentAdapters

extension WorkflowDefinition {
    /// A sequential pipeline as a workflow: each stage sees the original input **and** the previous stage's output.
    ///
    /// The data is `{"input": …, "previous": …}` (start it with ``pipelineData(input:)``): stage 1 gets
    /// `{"input": original, "previous": null}`, stage k gets `{"input": original, "previous": output of stage k-1}`,
    /// and each stage's output replaces `previous`. A failing stage ends the workflow `failed` at `stageFailed`
    /// and the later stages never run; the last stage's output is the final data's `previous`.
    ///
    /// - Parameters:
    ///   - name: The workflow's name.
    ///   - version: Its version.
    ///   - stages: The performers, in order; stage states are named `stage1`, `stage2`, ….
    /// - Returns: The definition.
    public static func pipeline(name: String, version: String, stages: [WorkflowPerformer]) -> WorkflowDefinition {
        var states: [String: WorkflowState] = [
            "done": .end(WorkflowEndState(.succeeded)),
            "stageFailed": .end(WorkflowEndState(.failed, reason: "a pipeline stage failed; later stages did not run")),
        ]
        for (index, performer) in stages.enumerated() {
            states["stage\(index + 1)"] = .task(
                WorkflowTaskState(
                    performer,
                    input: .root,
                    output: "$.previous",
                    next: index + 1 < stages.count ? "stage\(index + 2)" : "done",
                    onFailure: "stageFailed"
                )
            )
        }
        return WorkflowDefinition(
            name: name,
            version: version,
            initialState: stages.isEmpty ? "done" : "stage1",
            states: states
        )
    }

    /// The initial data of a ``pipeline(name:version:stages:)`` run: `{"input": input, "previous": null}`.
    ///
    /// - Parameter input: The pipeline's input.
    /// - Returns: The data.
    public static func pipelineData(input: JSONValue) -> JSONValue { ["input": input, "previous": .null] }

    /// Iterative refinement as a workflow: generate, then critique → check → revise until the critique converges,
    /// the rounds run out or the budget does.
    ///
    /// The data holds the task at `$.input`; the generator writes `$.draft`, the critic `$.critique`, the reviser
    /// (which sees the input, the draft and the critique) a new `$.draft`. After each critique the decision `check`
    /// evaluates `converged` on the data: when it holds the workflow succeeds at `converged`, so a draft that
    /// passes in the last round counts as converged. Each round is one visit of `critique`, capped at `maxRounds`,
    /// and `revise` may run `maxRounds - 1` times: when the rounds run out the workflow stops with
    /// ``WorkflowStopReason/Kind/visitCapReached`` at `revise` (at `critique` when `maxRounds` is 1) before revising
    /// a draft nobody would critique, the last draft and its critique kept in the final data. Every round is governed by the workflow's one ledger: a
    /// run refused by the budget fails its task and the workflow ends `failed` at `refinementFailed`. Each round's
    /// runs are in the report's path.
    ///
    /// - Parameters:
    ///   - name: The workflow's name.
    ///   - version: Its version.
    ///   - generator: Writes the first draft.
    ///   - critic: Critiques a draft.
    ///   - reviser: Revises a draft given the critique.
    ///   - converged: When a critique means the draft is good enough (a registered predicate or a comparison).
    ///   - maxRounds: The most critiques; at least 1.
    /// - Returns: The definition.
    public static func refinement(
        name: String,
        version: String,
        generator: WorkflowPerformer,
        critic: WorkflowPerformer,
        reviser: WorkflowPerformer,
        converged: Condition,
        maxRounds: Int
    ) -> WorkflowDefinition {
        WorkflowDefinition(
            name: name,
            version: version,
            initialState: "generate",
            states: [
                "generate": .task(
                    WorkflowTaskState(
                        generator,
                        input: "$.input",
                        output: "$.draft",
                        next: "critique",
                        onFailure: "refinementFailed"
                    )
                ),
                "critique": .task(
                    WorkflowTaskState(
                        critic,
                        input: .root,
                        output: "$.critique",
                        next: "check",
                        onFailure: "refinementFailed",
                        maxVisits: maxRounds
                    )
                ),
                "check": .decision(WorkflowDecisionState([.init(converged, next: "converged")], default: "revise")),
                "revise": .task(
                    WorkflowTaskState(
                        reviser,
                        input: .root,
                        output: "$.draft",
                        next: "critique",
                        onFailure: "refinementFailed",
                        maxVisits: max(maxRounds - 1, 1)
                    )
                ),
                "converged": .end(WorkflowEndState(.succeeded)),
                "refinementFailed": .end(
                    WorkflowEndState(.failed, reason: "a generate, critique or revise run failed")
                ),
            ],
            maxVisitsPerState: max(maxRounds, 1)
        )
    }
}
