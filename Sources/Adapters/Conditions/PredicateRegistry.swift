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

    /// Registers a predicate under a name that is not taken yet.
    ///
    /// A name already registered is refused rather than replaced, so two parts of a program that both register
    /// `"isUrgent"` find out at once instead of one silently deciding for the other.
    ///
    /// - Parameters:
    ///   - name: The name conditions use.
    ///   - predicate: The test.
    /// - Throws: ``ConditionError`` with code ``ConditionError/Code/duplicatePredicate`` naming `name` and listing
    ///   the registered names, when `name` is taken.
    public mutating func register(_ name: String, _ predicate: @escaping Predicate) throws(ConditionError) {
        guard predicates[name] == nil else { throw .duplicatePredicate(name, known: names) }
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

/// A condition that could not be evaluated, or a predicate that could not be registered.
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
        /// A predicate is registered under a name that is already taken.
        public static let duplicatePredicate = Code(rawValue: "duplicatePredicate")
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

    /// An error for a predicate registered under a name that is already taken.
    ///
    /// - Parameters:
    ///   - name: The taken name.
    ///   - known: The registered names.
    /// - Returns: The error.
    public static func duplicatePredicate(_ name: String, known: [String]) -> ConditionError {
        ConditionError(code: .duplicatePredicate, predicate: name, known: known)
    }

    /// The code's name.
    public var errorCode: String { code.rawValue }

    /// What went wrong and what to do.
    public var description: String {
        let registered = known.isEmpty ? "none are registered" : "registered: " + known.joined(separator: ", ")
        if code == .duplicatePredicate {
            return "a predicate named \"\(predicate)\" is already registered (\(registered)); "
                + "register this one under another name"
        }
        return "condition names predicate \"\(predicate)\", which is not registered (\(registered)); "
            + "register it with PredicateRegistry.register(_:_:)"
    }
}
