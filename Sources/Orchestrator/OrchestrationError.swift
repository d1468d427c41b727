/// A mistake in what was asked of the orchestrator, found before any agent runs: an invalid graph, an unknown
/// or duplicate agent, a capability no agent offers; or a saved report that cannot be read back.
///
/// Outcomes of runs are never thrown (they are reports); this error is for misuse. It names what is wrong and, for
/// registry errors, lists what is registered. Errors compare by all fields.
public struct OrchestrationError: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// What went wrong.
    ///
    /// Codes are a struct with static members rather than an enum, so new codes never break a client's `switch`.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its stable name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The graph is invalid (empty, duplicate node, unknown dependency, self-dependency, cycle); ``nodes``
        /// names the nodes concerned.
        public static let invalidGraph = Code(rawValue: "invalidGraph")
        /// An agent of that name is already registered.
        public static let duplicateAgent = Code(rawValue: "duplicateAgent")
        /// A sub-workflow of that name is already registered in a `WorkflowRegistry`; ``name`` names it and
        /// ``registered`` lists the registered workflows.
        public static let duplicateWorkflow = Code(rawValue: "duplicateWorkflow")
        /// A graph of agents is already registered under that name in a `WorkflowRegistry`; ``name`` names it and
        /// ``registered`` lists the registered graphs.
        public static let duplicateGraph = Code(rawValue: "duplicateGraph")
        /// No agent of that name is registered.
        public static let unknownAgent = Code(rawValue: "unknownAgent")
        /// A hand-off target was named that is registered but cannot take a conversation over (it is no
        /// `HandoffTarget`, as `ModelAgent` is); ``name`` names it.
        public static let notAHandoffTarget = Code(rawValue: "notAHandoffTarget")
        /// No registered agent offers the capability a node asks for.
        public static let noAgentForCapability = Code(rawValue: "noAgentForCapability")
        /// A configuration value is out of range (for example a concurrency cap below 1).
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
        /// A policy names a tool (exactly, not by a wildcard) that is not registered with the orchestrator.
        public static let unknownToolInPolicy = Code(rawValue: "unknownToolInPolicy")
        /// Report text given to `init(jsonText:)` is not JSON or does not match the report's schema; ``name``
        /// names the report type and ``message`` the offending field.
        public static let invalidReport = Code(rawValue: "invalidReport")
        /// Report text given to `init(jsonText:)` has a `schemaVersion` this library cannot read (newer than
        /// ``ExecutionReport/currentSchemaVersion``); read it with a newer version of the library.
        public static let unsupportedSchemaVersion = Code(rawValue: "unsupportedSchemaVersion")

        /// A graph edge carries a condition but does not exist: the node does not depend on the named node;
        /// ``nodes`` names the edge (source, then target).
        public static let unknownEdge = Code(rawValue: "unknownEdge")
        /// An edge condition names a predicate the graph's `PredicateRegistry` does not hold; ``nodes`` names the
        /// edge (source, then target), ``name`` the predicate and ``registered`` the registered ones.
        public static let unknownPredicate = Code(rawValue: "unknownPredicate")
        /// A router node names a routing function the graph does not hold; ``nodes`` names the node, ``name`` the
        /// function and ``registered`` the registered ones.
        public static let unknownRouter = Code(rawValue: "unknownRouter")
        /// A router names, as a fallback, a node that is not one of its successors; ``nodes`` names the router and
        /// that node, ``registered`` the router's successors.
        public static let notASuccessor = Code(rawValue: "notASuccessor")

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The graph nodes concerned, if any.
    public var nodes: [String]
    /// The agent or capability concerned, or the report type for report errors, if any.
    public var name: String?
    /// The agents registered (or, for capabilities, the capabilities offered), sorted, for registry errors.
    public var registered: [String]?
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - nodes: The graph nodes concerned.
    ///   - name: The agent or capability concerned.
    ///   - registered: What is registered, for registry errors.
    ///   - message: What went wrong and what to do about it.
    public init(code: Code, nodes: [String] = [], name: String? = nil, registered: [String]? = nil, message: String) {
        self.code = code
        self.nodes = nodes
        self.name = name
        self.registered = registered
        self.message = message
    }

    /// A one-line summary.
    public var description: String { "OrchestrationError.\(code): \(message)" }

    static func listing(_ names: [String]) -> String {
        names.isEmpty ? "none registered" : "registered: " + names.joined(separator: ", ")
    }
}
