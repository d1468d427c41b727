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

    /// What a ``refinement(name:version:generator:critic:reviser:converged:maxRounds:onExhaustion:)`` does when
    /// its rounds run out before a critique converges.
    public enum RefinementExhaustion: String, Sendable, Hashable, Codable {
        /// End `failed` at `exhausted`: no draft was good enough. The last draft and its critique stay in the data.
        case fail
        /// End `succeeded` at `exhausted` with the last draft (and its critique) in the data: the best there is.
        case acceptLastDraft
    }

    /// Iterative refinement as a workflow: generate, then critique → check → revise until a critique converges or
    /// the rounds or the budget run out.
    ///
    /// The data holds the task at `$.input`; the generator writes `$.draft`, the critic `$.critique`, the reviser
    /// (which sees the input, the draft and the critique) a new `$.draft`. Round k is the states `critique<k>` and
    /// `check<k>` (a decision evaluating `converged` on the data), then, unless it is the last round, `revise<k>`:
    ///
    /// - `maxRounds: 1` is one generate and one critique, and no revise;
    /// - `maxRounds: n` is at most n critiques and n - 1 revisions: a draft is never revised unless a critique of
    ///   the revision would follow.
    ///
    /// A critique that converges ends the workflow `succeeded` at `converged`, in any round, the last included.
    /// When the last round's critique does not converge, the workflow ends at `exhausted`, as `onExhaustion` says:
    /// ``RefinementExhaustion/fail`` (the default: a draft nobody judged good enough is not a success unless you say
    /// so) or ``RefinementExhaustion/acceptLastDraft``. Either way the last draft and its critique are in the final
    /// data. The rounds are states of their own, so the report's path shows each round's runs, and every run is
    /// governed by the workflow's one ledger: a run refused by the budget fails its task and the workflow ends
    /// `failed` at `refinementFailed`.
    ///
    /// - Parameters:
    ///   - name: The workflow's name.
    ///   - version: Its version.
    ///   - generator: Writes the first draft.
    ///   - critic: Critiques a draft.
    ///   - reviser: Revises a draft given the critique.
    ///   - converged: When a critique means the draft is good enough (a registered predicate or a comparison).
    ///   - maxRounds: The most critiques; at least 1.
    ///   - onExhaustion: How the workflow ends when the last critique does not converge.
    /// - Returns: The definition.
    /// - Throws: ``WorkflowDefinitionError`` with code ``WorkflowDefinitionError/Code/invalidRounds`` when
    ///   `maxRounds` is below 1.
    public static func refinement(
        name: String,
        version: String,
        generator: WorkflowPerformer,
        critic: WorkflowPerformer,
        reviser: WorkflowPerformer,
        converged: Condition,
        maxRounds: Int,
        onExhaustion: RefinementExhaustion = .fail
    ) throws(WorkflowDefinitionError) -> WorkflowDefinition {
        guard maxRounds >= 1 else {
            throw WorkflowDefinitionError(
                code: .invalidRounds,
                workflow: name,
                state: nil,
                field: "maxRounds",
                message:
                    "maxRounds is \(maxRounds); a refinement needs at least 1 round (one generate and one critique)"
            )
        }
        var states: [String: WorkflowState] = [
            "generate": .task(
                WorkflowTaskState(
                    generator,
                    input: "$.input",
                    output: "$.draft",
                    next: "critique1",
                    onFailure: "refinementFailed"
                )
            ),
            "converged": .end(WorkflowEndState(.succeeded)),
            "exhausted": onExhaustion == .fail
                ? .end(
                    WorkflowEndState(
                        .failed,
                        reason: "no critique converged in \(maxRounds) round\(maxRounds == 1 ? "" : "s")"
                    )
                )
                : .end(WorkflowEndState(.succeeded)),
            "refinementFailed": .end(WorkflowEndState(.failed, reason: "a generate, critique or revise run failed")),
        ]
        for round in 1...maxRounds {
            let last = round == maxRounds
            states["critique\(round)"] = .task(
                WorkflowTaskState(
                    critic,
                    input: .root,
                    output: "$.critique",
                    next: "check\(round)",
                    onFailure: "refinementFailed"
                )
            )
            states["check\(round)"] = .decision(
                WorkflowDecisionState(
                    [.init(converged, next: "converged")],
                    default: last ? "exhausted" : "revise\(round)"
                )
            )
            if !last {
                states["revise\(round)"] = .task(
                    WorkflowTaskState(
                        reviser,
                        input: .root,
                        output: "$.draft",
                        next: "critique\(round + 1)",
                        onFailure: "refinementFailed"
                    )
                )
            }
        }
        return WorkflowDefinition(name: name, version: version, initialState: "generate", states: states)
    }
}
