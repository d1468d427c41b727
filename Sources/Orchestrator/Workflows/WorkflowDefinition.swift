public import AgentAdapters
import AgentPolicy

/// A state-machine workflow as a value: its states by name, the initial state, a version, and the bounds on cycles.
///
/// A definition is plain data, `Codable` as JSON, so it can live in a file and be loaded at run time; it names the
/// agents, tools, sub-workflows, graphs and predicates it uses, and ``WorkflowRegistry`` resolves those names. Check it with
/// ``validate(registry:tools:initialData:)`` before running it (``Orchestrator/run(workflow:data:registry:policy:sharedBudget:metadata:)``
/// does so too). Encoding then decoding gives an equal definition.
///
/// ```json
/// {
///   "name": "triage", "version": "1", "initialState": "classify",
///   "states": {
///     "classify": {"kind": "task", "agent": "classifier", "input": "$.ticket", "output": "$.category",
///                  "next": "route", "onFailure": "failed"},
///     "route": {"kind": "decision",
///               "choices": [{"condition": {"kind": "equals", "path": "$.category", "value": "billing"},
///                            "next": "billing"}],
///               "default": "done"},
///     …
///   }
/// }
/// ```
public struct WorkflowDefinition: Sendable, Hashable {
    /// The default for ``maxVisitsPerState``: a state may be entered 10 times in one run.
    public static let defaultMaxVisitsPerState = 10

    /// The workflow's name, used in reports, diagrams and as the key of a sub-workflow in a registry.
    public var name: String
    /// The definition's version, pinned with its hash in every report and journal.
    public var version: String
    /// The state a run starts in.
    public var initialState: String
    /// The states, by name.
    public var states: [String: WorkflowState]
    /// How often one state may be entered in one run, unless the state sets its own cap; finite, at least 1.
    public var maxVisitsPerState: Int

    /// Creates a definition.
    ///
    /// - Parameters:
    ///   - name: The workflow's name.
    ///   - version: The definition's version.
    ///   - initialState: The state a run starts in.
    ///   - states: The states, by name.
    ///   - maxVisitsPerState: How often one state may be entered in one run.
    public init(
        name: String,
        version: String,
        initialState: String,
        states: [String: WorkflowState],
        maxVisitsPerState: Int = WorkflowDefinition.defaultMaxVisitsPerState
    ) {
        self.name = name
        self.version = version
        self.initialState = initialState
        self.states = states
        self.maxVisitsPerState = maxVisitsPerState
    }

    /// The state names in a fixed order: the initial state, then the others by name.
    public var stateNames: [String] {
        [initialState].filter { states[$0] != nil } + states.keys.filter { $0 != initialState }.sorted()
    }

    /// The definition's canonical JSON (RFC 8785), the bytes its ``hash`` covers.
    public var canonicalJSON: [UInt8] {
        // Encoding plain strings, numbers and nested values into a JSONValue cannot fail.
        ((try? JSONValueEncoder().encode(self)) ?? .null).canonicalJSONBytes()
    }

    /// SHA-256 of the definition's canonical JSON: what a report and a journal pin beside ``version``.
    public var hash: SHA256Digest { SHA256.hash(canonicalJSON) }

    /// How often `state` may be entered in one run: its own cap, or ``maxVisitsPerState``.
    ///
    /// - Parameter state: The state's name.
    /// - Returns: The cap.
    public func visitCap(of state: String) -> Int {
        states[state]?.maxVisits ?? maxVisitsPerState
    }
}

/// A task state: one performer, run on part of the workflow's data, its output written back into the data.
public struct WorkflowTaskState: Sendable, Hashable {
    /// Who performs the task.
    public var performer: WorkflowPerformer
    /// The part of the data the performer receives as its task (or a tool's arguments); `$` for all of it.
    public var input: JSONPath
    /// Where the performer's output is written in the data; `$` replaces the whole data.
    public var output: JSONPath
    /// The state after a success.
    public var next: String
    /// The state after a failure: the performer failed or was stopped, its input path was missing, or its output
    /// could not be written. Required: ``WorkflowDefinitionError/Code/missingFailureTransition`` when absent.
    public var onFailure: String?
    /// How often this state may be entered in one run; ``WorkflowDefinition/maxVisitsPerState`` when `nil`.
    public var maxVisits: Int?

    /// Creates a task state.
    ///
    /// - Parameters:
    ///   - performer: Who performs the task.
    ///   - input: The part of the data the performer receives.
    ///   - output: Where the output is written.
    ///   - next: The state after a success.
    ///   - onFailure: The state after a failure.
    ///   - maxVisits: This state's visit cap, if not the definition's.
    public init(
        _ performer: WorkflowPerformer,
        input: JSONPath = .root,
        output: JSONPath,
        next: String,
        onFailure: String?,
        maxVisits: Int? = nil
    ) {
        self.performer = performer
        self.input = input
        self.output = output
        self.next = next
        self.onFailure = onFailure
        self.maxVisits = maxVisits
    }
}

/// A decision state: ordered conditions over the workflow's data; the first that holds chooses the next state.
public struct WorkflowDecisionState: Sendable, Hashable {
    /// One condition and the state it leads to.
    public struct Choice: Sendable, Hashable, Codable {
        /// The condition, evaluated on the whole data.
        public var condition: Condition
        /// The state when the condition holds.
        public var next: String

        /// Creates a choice.
        ///
        /// - Parameters:
        ///   - condition: The condition.
        ///   - next: The state when it holds.
        public init(_ condition: Condition, next: String) {
            self.condition = condition
            self.next = next
        }
    }

    /// The choices, tried in order; the first that holds wins.
    public var choices: [Choice]
    /// The state when no choice holds. Required: ``WorkflowDefinitionError/Code/decisionWithoutDefault`` when
    /// absent.
    public var defaultNext: String?
    /// How often this state may be entered in one run; ``WorkflowDefinition/maxVisitsPerState`` when `nil`.
    public var maxVisits: Int?

    /// Creates a decision state.
    ///
    /// - Parameters:
    ///   - choices: The choices, in order.
    ///   - defaultNext: The state when no choice holds.
    ///   - maxVisits: This state's visit cap, if not the definition's.
    public init(_ choices: [Choice], default defaultNext: String?, maxVisits: Int? = nil) {
        self.choices = choices
        self.defaultNext = defaultNext
        self.maxVisits = maxVisits
    }
}

/// A parallel state: branches run at once on parts of the data, joined by a ``Join`` rule; the succeeded branches'
/// outputs are written as one object, by branch name.
public struct WorkflowParallelState: Sendable, Hashable {
    /// How the branches' outcomes decide the state's.
    public enum Join: String, Sendable, Hashable, Codable {
        /// Every branch must succeed; the first failure cancels the others and takes the failure transition.
        case all
        /// Every branch runs to its end; the state succeeds when at least one did (failed ones are left out).
        case any
        /// The first branch to succeed wins and the others are cancelled; the state fails when all failed.
        case firstSuccess
    }

    /// One branch: a performer and its input.
    public struct Branch: Sendable, Hashable {
        /// The branch's name, its key in the output object.
        public var name: String
        /// Who performs the branch.
        public var performer: WorkflowPerformer
        /// The part of the data the branch receives.
        public var input: JSONPath

        /// Creates a branch.
        ///
        /// - Parameters:
        ///   - name: The branch's name.
        ///   - performer: Who performs it.
        ///   - input: The part of the data it receives.
        public init(_ name: String, _ performer: WorkflowPerformer, input: JSONPath = .root) {
            self.name = name
            self.performer = performer
            self.input = input
        }
    }

    /// The branches, in order.
    public var branches: [Branch]
    /// How the branches join.
    public var join: Join
    /// Where the object of the succeeded branches' outputs is written.
    public var output: JSONPath
    /// The state after the join succeeds.
    public var next: String
    /// The state after the join fails. Required, as for a task state.
    public var onFailure: String?
    /// How often this state may be entered in one run; ``WorkflowDefinition/maxVisitsPerState`` when `nil`.
    public var maxVisits: Int?

    /// Creates a parallel state.
    ///
    /// - Parameters:
    ///   - branches: The branches.
    ///   - join: How they join.
    ///   - output: Where the joined outputs are written.
    ///   - next: The state after the join succeeds.
    ///   - onFailure: The state after the join fails.
    ///   - maxVisits: This state's visit cap, if not the definition's.
    public init(
        _ branches: [Branch],
        join: Join = .all,
        output: JSONPath,
        next: String,
        onFailure: String?,
        maxVisits: Int? = nil
    ) {
        self.branches = branches
        self.join = join
        self.output = output
        self.next = next
        self.onFailure = onFailure
        self.maxVisits = maxVisits
    }
}

/// A wait state: the workflow waits, holding no thread, for a named signal or a person's approval, up to a timeout
/// on the orchestrator's clock.
public struct WorkflowWaitState: Sendable, Hashable {
    /// What the state waits for.
    public enum Awaited: Sendable, Hashable {
        /// A signal of this name, sent with ``WorkflowHandle/signal(_:payload:)``; its payload is the output.
        case signal(String)
        /// An approval or denial given with ``WorkflowHandle/approve(reason:)`` or ``WorkflowHandle/deny(reason:)``;
        /// the prompt is shown to whoever decides. The output is `{"approved": Bool, "reason": String?}`.
        case approval(prompt: String)
    }

    /// What the state waits for.
    public var awaited: Awaited
    /// How long it waits, on the orchestrator's clock. Required: ``WorkflowDefinitionError/Code/waitWithoutTimeout``
    /// when absent or not positive.
    public var timeout: Duration?
    /// Where the signal's payload or the approval decision is written; `nil` keeps the data as it is.
    public var output: JSONPath?
    /// The state after the signal arrives or the approval is given.
    public var next: String
    /// The state after the timeout. Required with the timeout.
    public var onTimeout: String?
    /// The state after a denial; required for an approval wait.
    public var onDenied: String?
    /// How often this state may be entered in one run; ``WorkflowDefinition/maxVisitsPerState`` when `nil`.
    public var maxVisits: Int?

    /// Creates a wait state.
    ///
    /// - Parameters:
    ///   - awaited: What it waits for.
    ///   - timeout: How long it waits.
    ///   - output: Where the payload or decision is written.
    ///   - next: The state after the signal or approval.
    ///   - onTimeout: The state after the timeout.
    ///   - onDenied: The state after a denial (approval waits).
    ///   - maxVisits: This state's visit cap, if not the definition's.
    public init(
        _ awaited: Awaited,
        timeout: Duration?,
        output: JSONPath? = nil,
        next: String,
        onTimeout: String?,
        onDenied: String? = nil,
        maxVisits: Int? = nil
    ) {
        self.awaited = awaited
        self.timeout = timeout
        self.output = output
        self.next = next
        self.onTimeout = onTimeout
        self.onDenied = onDenied
        self.maxVisits = maxVisits
    }
}

/// An end state: the workflow ends here, succeeded or failed with a reason.
public struct WorkflowEndState: Sendable, Hashable {
    /// How the workflow ends.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The workflow succeeded.
        case succeeded
        /// The workflow failed.
        case failed
    }

    /// How the workflow ends.
    public var outcome: Outcome
    /// Why, for a failure (shown in the report's stop reason).
    public var reason: String?

    /// Creates an end state.
    ///
    /// - Parameters:
    ///   - outcome: How the workflow ends.
    ///   - reason: Why, for a failure.
    public init(_ outcome: Outcome, reason: String? = nil) {
        self.outcome = outcome
        self.reason = reason
    }
}

/// One state of a workflow.
public enum WorkflowState: Sendable, Hashable {
    /// Runs a performer.
    case task(WorkflowTaskState)
    /// Chooses the next state from the data.
    case decision(WorkflowDecisionState)
    /// Runs branches at once and joins them.
    case parallel(WorkflowParallelState)
    /// Waits for a signal or an approval, up to a timeout.
    case wait(WorkflowWaitState)
    /// Ends the workflow.
    case end(WorkflowEndState)

    /// The kind's name, as in JSON: `task`, `decision`, `parallel`, `wait` or `end`.
    public var kind: String {
        switch self {
        case .task: "task"
        case .decision: "decision"
        case .parallel: "parallel"
        case .wait: "wait"
        case .end: "end"
        }
    }

    /// The state's own visit cap, if it sets one.
    public var maxVisits: Int? {
        switch self {
        case .task(let state): state.maxVisits
        case .decision(let state): state.maxVisits
        case .parallel(let state): state.maxVisits
        case .wait(let state): state.maxVisits
        case .end: nil
        }
    }

    /// The state's outgoing edges, in order: a label (`ok`, `failure`, a condition, `default`, `timeout`, `denied`)
    /// and the target state's name.
    public var transitions: [(label: String, target: String)] {
        switch self {
        case .task(let state):
            [("ok", state.next)] + (state.onFailure.map { [("failure", $0)] } ?? [])
        case .decision(let state):
            state.choices.map { ($0.condition.description, $0.next) }
                + (state.defaultNext.map { [("default", $0)] } ?? [])
        case .parallel(let state):
            [("\(state.join.rawValue) ok", state.next)] + (state.onFailure.map { [("failure", $0)] } ?? [])
        case .wait(let state):
            {
                let arrived: String
                switch state.awaited {
                case .signal(let name): arrived = "signal \(name)"
                case .approval: arrived = "approved"
                }
                return [(arrived, state.next)] + (state.onDenied.map { [("denied", $0)] } ?? [])
                    + (state.onTimeout.map { [("timeout", $0)] } ?? [])
            }()
        case .end:
            []
        }
    }
}
