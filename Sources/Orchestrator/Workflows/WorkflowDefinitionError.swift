public import AgentPolicy

/// A problem found when a workflow definition is validated, naming the workflow, the state and the field or edge.
///
/// Each rule has its own ``Code``; ``WorkflowDefinition/validationErrors(registry:tools:initialData:)`` lists every
/// problem, ``WorkflowDefinition/validate(registry:tools:initialData:)`` throws the first.
public struct WorkflowDefinitionError: Error, Hashable, Sendable, CustomStringConvertible, CodedError {
    /// What rule the definition breaks.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's text.
        public let rawValue: String

        /// Creates a code from its text.
        ///
        /// - Parameter rawValue: The code's text.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The code's text.
        public var description: String { rawValue }

        /// A task or branch names an agent the registry does not hold.
        public static let unknownAgent = Code(rawValue: "unknownAgent")
        /// A task or branch names a tool the orchestrator does not hold.
        public static let unknownTool = Code(rawValue: "unknownTool")
        /// A task or branch names a sub-workflow the registry does not hold.
        public static let unknownWorkflow = Code(rawValue: "unknownWorkflow")
        /// A task or branch names a graph of agents the registry does not hold.
        public static let unknownGraph = Code(rawValue: "unknownGraph")
        /// A task or branch names a registered graph of agents that could not run: its own validation failed (an
        /// agent or capability the registry's agents lack, an unknown predicate or router, an invalid DAG or output
        /// node). The message carries the graph's own error.
        public static let invalidGraph = Code(rawValue: "invalidGraph")
        /// A decision's condition names a predicate the registry does not hold.
        public static let unknownPredicate = Code(rawValue: "unknownPredicate")
        /// No path of transitions leads from the initial state to this state.
        public static let unreachableState = Code(rawValue: "unreachableState")
        /// A decision has no default transition.
        public static let decisionWithoutDefault = Code(rawValue: "decisionWithoutDefault")
        /// A wait has no positive timeout or no timeout transition.
        public static let waitWithoutTimeout = Code(rawValue: "waitWithoutTimeout")
        /// A workflow run as a sub-workflow (a task or branch performer) has a wait state: its signals and
        /// approvals could never reach it, since the top-level workflow's handle takes them.
        public static let waitInSubWorkflow = Code(rawValue: "waitInSubWorkflow")
        /// A transition (or the initial state) names a state the definition does not have.
        public static let missingState = Code(rawValue: "missingState")
        /// A task, branch or condition reads a data path that neither the initial data nor any state provides.
        public static let missingDataPath = Code(rawValue: "missingDataPath")
        /// A task or parallel state has no failure transition.
        public static let missingFailureTransition = Code(rawValue: "missingFailureTransition")
        /// An approval wait has no transition for a denial.
        public static let missingDenialTransition = Code(rawValue: "missingDenialTransition")
        /// A parallel state has no branches, or two branches share a name.
        public static let invalidBranches = Code(rawValue: "invalidBranches")
        /// A visit cap is below 1.
        public static let invalidVisitCap = Code(rawValue: "invalidVisitCap")
        /// A composition was asked for fewer than one round
        /// (``WorkflowDefinition/refinement(name:version:generator:critic:reviser:converged:maxRounds:onExhaustion:)``
        /// with `maxRounds` below 1).
        public static let invalidRounds = Code(rawValue: "invalidRounds")
        /// A sub-workflow names, directly or not, the workflow that runs it.
        public static let recursiveWorkflow = Code(rawValue: "recursiveWorkflow")
    }

    /// What rule is broken.
    public var code: Code
    /// The workflow whose definition breaks it (a sub-workflow's name when the problem is in it).
    public var workflow: String
    /// The state concerned, if any.
    public var state: String?
    /// The field or edge concerned (`onFailure`, `choices[1]`, `branches[0].input`), if any.
    public var field: String?
    /// What is wrong and what to do.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What rule is broken.
    ///   - workflow: The workflow concerned.
    ///   - state: The state concerned.
    ///   - field: The field or edge concerned.
    ///   - message: What is wrong and what to do.
    public init(code: Code, workflow: String, state: String?, field: String?, message: String) {
        self.code = code
        self.workflow = workflow
        self.state = state
        self.field = field
        self.message = message
    }

    /// The code's text.
    public var errorCode: String { code.rawValue }

    /// `workflow "w", state "s", field "f": message (code)`.
    public var description: String {
        var location = "workflow \"\(workflow)\""
        if let state { location += ", state \"\(state)\"" }
        if let field { location += ", \(field)" }
        return "\(location): \(message) (\(code.rawValue))"
    }
}
