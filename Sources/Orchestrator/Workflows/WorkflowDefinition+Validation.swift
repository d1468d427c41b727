public import AgentAdapters

extension WorkflowDefinition {
    /// Checks the definition against the registries and, when given, the initial data; throws the first problem.
    ///
    /// See ``validationErrors(registry:tools:initialData:)`` for the rules and their order.
    ///
    /// - Parameters:
    ///   - registry: What agents, sub-workflows and predicates resolve to.
    ///   - tools: The names of the tools task states may call (the orchestrator's `ToolRegistry/names`).
    ///   - initialData: The data a run starts with; when given, every path a task, branch or condition reads must be
    ///     in it or written by some state.
    /// - Throws: ``WorkflowDefinitionError``, the first problem found.
    public func validate(
        registry: WorkflowRegistry,
        tools: [String],
        initialData: JSONValue? = nil
    ) throws(WorkflowDefinitionError) {
        if let first = validationErrors(registry: registry, tools: tools, initialData: initialData).first {
            throw first
        }
    }

    /// Every problem of the definition, in a fixed order: the visit caps and the initial state, then each state
    /// (initial state first, then by name) for its transitions, performers, conditions, default, timeout and
    /// branches, then unreachable states, then data paths, then the sub-workflows it names (recursively, once each).
    ///
    /// A task or branch naming a graph of agents validates the registered graph too, as running it would: its DAG
    /// and output node, its edge conditions' predicates, its routers, and its `named` and `capability` nodes
    /// against the registry's agents. A graph that could never run is an
    /// ``WorkflowDefinitionError/Code/invalidGraph`` naming the state and carrying the graph's own error, found
    /// when the definition loads rather than when the task runs.
    ///
    /// - Parameters:
    ///   - registry: What agents, sub-workflows and predicates resolve to.
    ///   - tools: The names of the tools task states may call.
    ///   - initialData: The data a run starts with, for the data-path check; `nil` skips that check.
    /// - Returns: The problems; empty for a valid definition.
    public func validationErrors(
        registry: WorkflowRegistry,
        tools: [String],
        initialData: JSONValue? = nil
    ) -> [WorkflowDefinitionError] {
        var checked: Set<String> = []
        return validationErrors(
            registry: registry,
            tools: Set(tools),
            initialData: initialData,
            enclosing: [name],
            checked: &checked
        )
    }

    private func validationErrors(
        registry: WorkflowRegistry,
        tools: Set<String>,
        initialData: JSONValue?,
        enclosing: [String],
        checked: inout Set<String>
    ) -> [WorkflowDefinitionError] {
        var errors: [WorkflowDefinitionError] = []
        func fail(_ code: WorkflowDefinitionError.Code, _ state: String?, _ field: String?, _ message: String) {
            errors.append(
                WorkflowDefinitionError(code: code, workflow: name, state: state, field: field, message: message)
            )
        }
        let known = states.keys.sorted()
        let listing = known.isEmpty ? "none defined" : "defined: " + known.joined(separator: ", ")
        if maxVisitsPerState < 1 {
            fail(
                .invalidVisitCap,
                nil,
                "maxVisitsPerState",
                "maxVisitsPerState is \(maxVisitsPerState); it must be at least 1"
            )
        }
        if states[initialState] == nil {
            fail(.missingState, nil, "initialState", "initial state \"\(initialState)\" is not defined (\(listing))")
        }
        var subWorkflows: [String] = []
        // Each named graph is validated once, however many states name it.
        var graphProblems: [String: OrchestrationError?] = [:]
        func checkPerformer(_ performer: WorkflowPerformer, _ state: String, _ field: String) {
            switch performer {
            case .agent(let agent) where !registry.agents.names.contains(agent):
                let names = registry.agents.names
                fail(
                    .unknownAgent,
                    state,
                    field,
                    "agent \"\(agent)\" is not registered ("
                        + (names.isEmpty ? "none registered" : "registered: " + names.joined(separator: ", "))
                        + "); register it in the WorkflowRegistry's agents"
                )
            case .tool(let tool) where !tools.contains(tool):
                fail(
                    .unknownTool,
                    state,
                    field,
                    "tool \"\(tool)\" is not registered ("
                        + (tools.isEmpty ? "none registered" : "registered: " + tools.sorted().joined(separator: ", "))
                        + "); pass it to the Orchestrator"
                )
            case .graph(let graph) where registry.graphs[graph] == nil:
                let names = registry.graphs.keys.sorted()
                fail(
                    .unknownGraph,
                    state,
                    field,
                    "graph \"\(graph)\" is not registered ("
                        + (names.isEmpty ? "none registered" : "registered: " + names.joined(separator: ", "))
                        + "); register it with WorkflowRegistry.register(_:named:)"
                )
            case .graph(let name):
                guard let graph = registry.graphs[name] else { break }
                let problem: OrchestrationError?
                if let known = graphProblems[name] {
                    problem = known
                } else {
                    do throws(OrchestrationError) {
                        _ = try Orchestrator.resolve(
                            graph,
                            registry: registry.agents,
                            configuration: Orchestrator.GraphConfiguration()
                        )
                        problem = nil
                    } catch {
                        problem = error
                    }
                    graphProblems[name] = .some(problem)
                }
                if let problem {
                    fail(
                        .invalidGraph,
                        state,
                        field,
                        "graph \"\(name)\" cannot run: \(problem.message) (\(problem.code)); fix the graph or its "
                            + "registrations"
                    )
                }
            case .workflow(let workflow):
                if enclosing.contains(workflow) {
                    fail(
                        .recursiveWorkflow,
                        state,
                        field,
                        "sub-workflow \"\(workflow)\" runs inside itself ("
                            + (enclosing + [workflow]).joined(separator: " → ") + "); use a loop of states instead"
                    )
                } else if registry.workflows[workflow] == nil {
                    let names = registry.workflows.keys.sorted()
                    fail(
                        .unknownWorkflow,
                        state,
                        field,
                        "sub-workflow \"\(workflow)\" is not registered ("
                            + (names.isEmpty ? "none registered" : "registered: " + names.joined(separator: ", "))
                            + "); register it with WorkflowRegistry.register(_:)"
                    )
                } else if !subWorkflows.contains(workflow) {
                    subWorkflows.append(workflow)
                }
            default:
                break
            }
        }
        func checkVisits(_ state: String, _ cap: Int?) {
            if let cap, cap < 1 {
                fail(.invalidVisitCap, state, "maxVisits", "maxVisits is \(cap); it must be at least 1")
            }
        }

        for stateName in stateNames {
            guard let state = states[stateName] else { continue }
            checkVisits(stateName, state.maxVisits)
            for (label, target) in state.transitions where states[target] == nil {
                fail(
                    .missingState,
                    stateName,
                    "transition \"\(label)\"",
                    "transition \"\(label)\" leads to state \"\(target)\", which is not defined (\(listing))"
                )
            }
            switch state {
            case .task(let task):
                checkPerformer(task.performer, stateName, task.performer.key)
                if task.onFailure == nil {
                    fail(
                        .missingFailureTransition,
                        stateName,
                        "onFailure",
                        "task state has no failure transition; add \"onFailure\" naming the state to go to when it fails"
                    )
                }
            case .decision(let decision):
                for (index, choice) in decision.choices.enumerated() {
                    for predicate in registry.predicates.unknownPredicates(in: choice.condition) {
                        let names = registry.predicates.names
                        fail(
                            .unknownPredicate,
                            stateName,
                            "choices[\(index)]",
                            "predicate \"\(predicate)\" is not registered ("
                                + (names.isEmpty ? "none registered" : "registered: " + names.joined(separator: ", "))
                                + "); register it with PredicateRegistry.register(_:_:)"
                        )
                    }
                }
                if decision.defaultNext == nil {
                    fail(
                        .decisionWithoutDefault,
                        stateName,
                        "default",
                        "decision has no default; add \"default\" naming the state to go to when no choice holds"
                    )
                }
            case .parallel(let parallel):
                if parallel.branches.isEmpty {
                    fail(.invalidBranches, stateName, "branches", "parallel state has no branches")
                }
                var seen: Set<String> = []
                for (index, branch) in parallel.branches.enumerated() {
                    if !seen.insert(branch.name).inserted {
                        fail(
                            .invalidBranches,
                            stateName,
                            "branches[\(index)]",
                            "branch name \"\(branch.name)\" is used twice; branch names key the output object"
                        )
                    }
                    checkPerformer(branch.performer, stateName, "branches[\(index)].\(branch.performer.key)")
                }
                if parallel.onFailure == nil {
                    fail(
                        .missingFailureTransition,
                        stateName,
                        "onFailure",
                        "parallel state has no failure transition; add \"onFailure\" naming the state to go to when "
                            + "the join fails"
                    )
                }
            case .wait(let wait):
                if wait.timeout.map({ $0 <= .zero }) ?? true {
                    fail(
                        .waitWithoutTimeout,
                        stateName,
                        "timeoutNanoseconds",
                        "wait has no positive timeout; add \"timeoutNanoseconds\" and \"onTimeout\""
                    )
                } else if wait.onTimeout == nil {
                    fail(
                        .waitWithoutTimeout,
                        stateName,
                        "onTimeout",
                        "wait has a timeout but no \"onTimeout\" transition; add the state to go to on timeout"
                    )
                }
                if case .approval = wait.awaited, wait.onDenied == nil {
                    fail(
                        .missingDenialTransition,
                        stateName,
                        "onDenied",
                        "approval wait has no \"onDenied\" transition; add the state to go to when it is denied"
                    )
                }
            case .end:
                break
            }
        }

        // Reachability from the initial state.
        var reached: Set<String> = []
        var frontier = states[initialState] == nil ? [] : [initialState]
        while let current = frontier.popLast() {
            guard reached.insert(current).inserted, let state = states[current] else { continue }
            frontier.append(contentsOf: state.transitions.map(\.target).filter { !reached.contains($0) })
        }
        for stateName in stateNames where !reached.contains(stateName) && states[initialState] != nil {
            fail(
                .unreachableState,
                stateName,
                nil,
                "no transition leads here from the initial state \"\(initialState)\"; remove the state or add a "
                    + "transition to it"
            )
        }

        if let initialData { errors += dataPathErrors(initialData: initialData) }

        for workflow in subWorkflows where checked.insert(workflow).inserted {
            guard let sub = registry.workflows[workflow] else { continue }
            for (waitState, state) in sub.states.sorted(by: { $0.key < $1.key }) {
                guard case .wait = state else { continue }
                errors.append(
                    WorkflowDefinitionError(
                        code: .waitInSubWorkflow,
                        workflow: workflow,
                        state: waitState,
                        field: nil,
                        message:
                            "sub-workflow \"\(workflow)\" (run by \"\(name)\") has a wait state; a wait belongs to "
                            + "a top-level workflow, whose handle takes its signals and approvals (while a sub-workflow "
                            + "runs, its parent is in a task state and refuses them); move the wait into the parent"
                    )
                )
            }
            errors += sub.validationErrors(
                registry: registry,
                tools: tools,
                initialData: nil,
                enclosing: enclosing + [workflow],
                checked: &checked
            )
        }
        return errors
    }

    /// Paths read that neither the initial data holds nor any state writes (a written path provides itself, what
    /// lies under it and the objects above it).
    private func dataPathErrors(initialData: JSONValue) -> [WorkflowDefinitionError] {
        var written: [JSONPath] = []
        var reads: [(state: String, field: String, path: JSONPath)] = []
        for stateName in stateNames {
            switch states[stateName] {
            case .task(let task)?:
                written.append(task.output)
                reads.append((stateName, "input", task.input))
            case .parallel(let parallel)?:
                written.append(parallel.output)
                for (index, branch) in parallel.branches.enumerated() {
                    reads.append((stateName, "branches[\(index)].input", branch.input))
                }
            case .wait(let wait)?:
                if let output = wait.output { written.append(output) }
            case .decision(let decision)?:
                for (index, choice) in decision.choices.enumerated() {
                    for path in Self.comparedPaths(choice.condition) {
                        reads.append((stateName, "choices[\(index)]", path))
                    }
                }
            case .end?, nil:
                break
            }
        }
        func provided(_ path: JSONPath) -> Bool {
            if path.value(in: initialData) != nil { return true }
            return written.contains { writtenPath in
                let (short, long) =
                    writtenPath.components.count <= path.components.count
                    ? (writtenPath.components, path.components) : (path.components, writtenPath.components)
                return Array(long.prefix(short.count)) == short
            }
        }
        return reads.filter { !provided($0.path) }.map { read in
            WorkflowDefinitionError(
                code: .missingDataPath,
                workflow: name,
                state: read.state,
                field: read.field,
                message: "reads \(read.path), which is not in the initial data and no state writes it; fix the path "
                    + "or provide it in the initial data"
            )
        }
    }

    /// The paths a condition compares (an `exists` test may name a path that is absent: that is its point).
    private static func comparedPaths(_ condition: Condition) -> [JSONPath] {
        switch condition {
        case .always, .predicate, .exists: []
        case .equals(let path, _), .isOneOf(let path, _): [path]
        case .not(let inner): comparedPaths(inner)
        case .all(let conditions), .any(let conditions): conditions.flatMap(comparedPaths)
        }
    }
}
