/// One countable limit, declared once: its ledger name, its policy field and violation code, its default and its
/// scope.
///
/// Every countable limit of the library is a static member of `BudgetKind`, listed in ``allCases``. Everything else
/// is derived from this table: ``BudgetLimits`` and ``StrictPolicy`` validate, decode, encode and tighten each kind
/// the same way; ``BudgetLedger`` counts it and lists it as a ``BudgetLine``; ``RemainingBudget`` reports what is
/// left of it; a ``SharedBudget`` shares it between runs unless it is ``isPerRun``.
///
/// ```swift
/// let limits = try BudgetLimits([.toolCalls: 50, .cost: 2_000_000])
/// limits[.toolCalls]  // 50
/// ```
///
/// Kinds compare by ``name``. The set of kinds is closed: only the library declares them (see `Docs/BudgetLimits.md`
/// for how to add one). Each kind also knows its position in ``allCases``, so ledgers and limits keep their figures
/// in arrays indexed by kind instead of dictionaries hashed by name.
public struct BudgetKind: Hashable, Sendable, CustomStringConvertible {
    /// How a kind is counted.
    enum Measure: Sendable {
        /// A count the ledger keeps, raised by one per reservation.
        case count
        /// A quantity of model usage, settled and reserved with ``ModelUsage`` figures.
        case usage(@Sendable (ModelUsage) -> Int64)
    }

    /// The name of the ledger line and of the ``RemainingBudget`` entry, such as `steps`.
    public let name: String
    /// The violation code of the limit, whose raw value is also the policy field and JSON key, such as `maxSteps`.
    public let limit: PolicyViolation.Limit
    /// The value a ``StrictPolicy`` gives the limit when none is set, or `nil` when a policy leaves it unlimited.
    public let defaultLimit: Int64?
    /// Whether the limit only makes sense within one run (loop detection): a ledger shared between runs neither
    /// checks nor lists it.
    public let isPerRun: Bool
    /// How the kind is counted.
    let measure: Measure
    /// The kind's position in ``allCases``: the index of its figure in the tables of ``BudgetLimits`` and
    /// ``BudgetLedger``. One-to-one with ``name``.
    package let index: Int

    private init(
        _ index: Int,
        _ name: String,
        limit: PolicyViolation.Limit,
        default defaultLimit: Int64?,
        measure: Measure = .count,
        isPerRun: Bool = false
    ) {
        self.index = index
        self.name = name
        self.limit = limit
        self.defaultLimit = defaultLimit
        self.measure = measure
        self.isPerRun = isPerRun
    }

    /// Agent steps (calls of an agent's `execute`); 25 by default.
    public static let steps = BudgetKind(0, "steps", limit: .maxSteps, default: 25)
    /// Input plus output tokens; 100,000 by default.
    public static let tokens = BudgetKind(
        1,
        "tokens",
        limit: .maxTokens,
        default: 100_000,
        measure: .usage(\.totalTokens)
    )
    /// Input tokens; unlimited by default.
    public static let inputTokens = BudgetKind(
        2,
        "inputTokens",
        limit: .maxInputTokens,
        default: nil,
        measure: .usage(\.inputTokens)
    )
    /// Output tokens; unlimited by default.
    public static let outputTokens = BudgetKind(
        3,
        "outputTokens",
        limit: .maxOutputTokens,
        default: nil,
        measure: .usage(\.outputTokens)
    )
    /// Tool calls of every tool together; 100 by default.
    public static let toolCalls = BudgetKind(4, "toolCalls", limit: .maxToolCalls, default: 100)
    /// Loop detection: the most calls of one tool with the same arguments in one run; 10 by default.
    ///
    /// The count a ledger shows is that of the most repeated call.
    public static let repeatedToolCalls = BudgetKind(
        5,
        "repeatedToolCalls",
        limit: .maxRepeatedToolCalls,
        default: 10,
        isPerRun: true
    )
    /// Cost in integer units; 10,000,000 by default (10 currency units, if a unit is a millionth).
    public static let cost = BudgetKind(6, "cost", limit: .maxCost, default: 10_000_000, measure: .usage(\.cost))
    /// REVIEW → PLAN revisions; 3 by default.
    public static let revisions = BudgetKind(7, "revisions", limit: .maxRevisions, default: 3)
    /// Tool calls refused for an unknown tool or invalid arguments; 25 by default.
    ///
    /// Such calls run nothing and are not billed, so without this bound an agent looping on them would only stop at
    /// its timeout.
    public static let refusedToolCalls = BudgetKind(8, "refusedToolCalls", limit: .maxRefusedToolCalls, default: 25)
    /// Model calls made through the governed call (`AgentContext.respond(using:to:retry:tokenCounter:)`); 50 by
    /// default.
    ///
    /// Each attempt is one unit, reserved before the call is made: a retried call reserves again, and a call that
    /// failed still counts (it was made). A call refused before it was made (context window, budget) gives its unit
    /// back.
    public static let modelCalls = BudgetKind(9, "modelCalls", limit: .maxModelCalls, default: 50)
    /// Hand-offs of the conversation from one agent to another (`ModelAgent`'s `transfer_to_<name>` tools); 5 by
    /// default.
    ///
    /// Each hand-off is one unit, reserved before the next agent takes over, so the (N+1)th is refused and ends the
    /// run with a violation of `maxHandoffs` before that agent runs.
    public static let handoffs = BudgetKind(10, "handoffs", limit: .maxHandoffs, default: 5)

    /// Every kind, in the order of a ledger's lines.
    public static let allCases: [BudgetKind] = [
        .steps, .tokens, .inputTokens, .outputTokens, .toolCalls, .repeatedToolCalls, .cost, .revisions,
        .refusedToolCalls, .modelCalls, .handoffs,
    ]

    /// The kind's ledger name.
    public var description: String { name }

    /// The number of kinds: the size of the tables indexed by ``index``.
    package static let count = allCases.count

    /// Compares kinds by name (through their position in the table, which is one-to-one with the name).
    ///
    /// - Parameters:
    ///   - lhs: A kind.
    ///   - rhs: Another kind.
    /// - Returns: Whether both name the same limit.
    public static func == (lhs: BudgetKind, rhs: BudgetKind) -> Bool { lhs.index == rhs.index }

    /// Hashes the kind's position in the table, which is one-to-one with its name.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }
}

extension BudgetKind: Codable, CodingKeyRepresentable {
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The kind's name as a coding key, so that dictionaries keyed by kind encode as objects.
    public var codingKey: any CodingKey { Key(stringValue: name) }

    /// The kind named by a coding key, if the library declares one.
    ///
    /// - Parameter codingKey: A key holding a kind's ``name``.
    public init?<T: CodingKey>(codingKey: T) {
        guard let kind = Self.allCases.first(where: { $0.name == codingKey.stringValue }) else { return nil }
        self = kind
    }

    /// Decodes a kind from its ``name``.
    ///
    /// - Parameter decoder: A decoder holding the name as a string.
    /// - Throws: `DecodingError.dataCorrupted` for a name the library does not declare, or the decoder's error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let kind = Self.allCases.first(where: { $0.name == name }) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(name)\" is not a budget kind; kinds are "
                    + Self.allCases.map(\.name).joined(separator: ", ")
            )
        }
        self = kind
    }

    /// Encodes the kind as its ``name``.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
