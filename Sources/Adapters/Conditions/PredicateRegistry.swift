public import AgentPolicy

/// Swift predicates over a ``JSONValue``, each registered under a name that a ``Condition`` can mention.
///
/// This is how a condition reaches code: a definition says `{"kind": "predicate", "name": "mentionsRefund"}`, and
/// only a closure you registered under that name can answer. Nothing is ever evaluated from text.
///
/// Predicates must be pure and fast: they run while a graph or workflow decides where to go next, and a journaled
/// run replays the decision they made rather than calling them again, so a predicate that reads the clock or
/// random numbers makes a live run and a replay disagree only in what is recorded, never in what runs.
public struct PredicateRegistry: Sendable {
    /// A predicate: `true` when the value passes.
    public typealias Predicate = @Sendable (JSONValue) -> Bool

    private var predicates: [String: Predicate]

    /// Creates a registry, empty or with the given predicates.
    ///
    /// - Parameter predicates: Predicates by name.
    public init(_ predicates: [String: Predicate] = [:]) { self.predicates = predicates }

    /// Registers a predicate under a name, replacing one already there.
    ///
    /// - Parameters:
    ///   - name: The name conditions use.
    ///   - predicate: The test.
    public mutating func register(_ name: String, _ predicate: @escaping Predicate) {
        predicates[name] = predicate
    }

    /// The predicate registered under `name`, if any.
    ///
    /// - Parameter name: A predicate's name.
    /// - Returns: The predicate, or `nil`.
    public func predicate(named name: String) -> Predicate? { predicates[name] }

    /// Whether a predicate is registered under `name`.
    ///
    /// - Parameter name: A predicate's name.
    /// - Returns: `true` when registered.
    public func contains(_ name: String) -> Bool { predicates[name] != nil }

    /// The registered names, sorted.
    public var names: [String] { predicates.keys.sorted() }

    /// The predicate names a condition mentions that are not registered, sorted; empty when all are.
    ///
    /// - Parameter condition: The condition to check.
    /// - Returns: The unknown names.
    public func unknownPredicates(in condition: Condition) -> [String] {
        condition.predicateNames.filter { predicates[$0] == nil }.sorted()
    }
}

/// A condition that could not be evaluated.
public struct ConditionError: Error, Hashable, Sendable, CustomStringConvertible, CodedError {
    /// The kind of error; new codes may be added without breaking clients.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The condition names a predicate that is not registered.
        public static let unknownPredicate = Code(rawValue: "unknownPredicate")
    }

    /// The kind of error.
    public var code: Code
    /// The predicate concerned.
    public var predicate: String
    /// The registered predicate names at the time, sorted, to help spot a typo.
    public var known: [String]

    /// An error for a predicate name that is not registered.
    ///
    /// - Parameters:
    ///   - name: The unknown name.
    ///   - known: The registered names.
    /// - Returns: The error.
    public static func unknownPredicate(_ name: String, known: [String]) -> ConditionError {
        ConditionError(code: .unknownPredicate, predicate: name, known: known)
    }

    /// The code's name.
    public var errorCode: String { code.rawValue }

    /// What went wrong and what to do.
    public var description: String {
        let registered = known.isEmpty ? "none are registered" : "registered: " + known.joined(separator: ", ")
        return "condition names predicate \"\(predicate)\", which is not registered (\(registered)); "
            + "register it with PredicateRegistry.register(_:_:)"
    }
}
