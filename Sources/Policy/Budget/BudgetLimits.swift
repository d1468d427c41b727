/// The countable limits a ledger enforces, one per ``BudgetKind``, plus per-tool call limits; a kind without a value
/// is not limited.
///
/// A run's own ledger gets its limits from its ``StrictPolicy`` (every kind with a default is finite there). A
/// ``SharedBudget`` spread across several runs names only the limits it shares; each run's own policy still applies
/// inside it.
///
/// ```swift
/// let shared = SharedBudget(try BudgetLimits(maxToolCalls: 50))
/// let same = try BudgetLimits([.toolCalls: 50])
/// ```
///
/// Checking, decoding, encoding and tightening work kind by kind over ``BudgetKind/allCases``: a new kind needs no
/// code here.
public struct BudgetLimits: Hashable, Sendable {
    /// The limit of each kind, at the kind's ``BudgetKind/index``; `nil` where it is not limited.
    private var values: [Int64?]
    /// The most calls per tool, by exact tool name.
    public private(set) var maxCallsPerTool: [String: Int64]

    /// Creates limits from a table, checking each one.
    ///
    /// - Parameters:
    ///   - limits: The limit of each kind to limit; kinds left out are not limited.
    ///   - maxCallsPerTool: The most calls per tool, by exact tool name.
    /// - Throws: ``PolicyError`` naming the first negative limit (by its policy field, such as `maxSteps`) or
    ///   invalid tool name, kinds checked in the order of ``BudgetKind/allCases``.
    public init(_ limits: [BudgetKind: Int64], maxCallsPerTool: [String: Int64] = [:]) throws(PolicyError) {
        for kind in BudgetKind.allCases {
            if let value = limits[kind], value < 0 { throw PolicyError.negative(kind.limit.rawValue, value) }
            if kind == .toolCalls { try Self.check(maxCallsPerTool) }
        }
        self.values = BudgetKind.allCases.map { limits[$0] }
        self.maxCallsPerTool = maxCallsPerTool
    }

    /// Creates limits by name, checking each one; a limit left `nil` is not limited.
    ///
    /// - Parameters:
    ///   - maxSteps: Agent steps.
    ///   - maxTokens: Input plus output tokens.
    ///   - maxInputTokens: Input tokens.
    ///   - maxOutputTokens: Output tokens.
    ///   - maxToolCalls: Tool calls of every tool together.
    ///   - maxCallsPerTool: Calls per tool, by exact tool name.
    ///   - maxRepeatedToolCalls: Identical tool calls in one run (checked only by a run's own ledger).
    ///   - maxRefusedToolCalls: Tool calls refused for an unknown tool or invalid arguments.
    ///   - maxCost: Cost in integer units.
    ///   - maxRevisions: REVIEW → PLAN revisions.
    ///   - maxModelCalls: Governed model calls, each attempt counted.
    /// - Throws: ``PolicyError`` naming the first negative limit or invalid tool name.
    public init(
        maxSteps: Int64? = nil,
        maxTokens: Int64? = nil,
        maxInputTokens: Int64? = nil,
        maxOutputTokens: Int64? = nil,
        maxToolCalls: Int64? = nil,
        maxCallsPerTool: [String: Int64] = [:],
        maxRepeatedToolCalls: Int64? = nil,
        maxRefusedToolCalls: Int64? = nil,
        maxCost: Int64? = nil,
        maxRevisions: Int64? = nil,
        maxModelCalls: Int64? = nil
    ) throws(PolicyError) {
        let named: [(BudgetKind, Int64?)] = [
            (.steps, maxSteps), (.tokens, maxTokens), (.inputTokens, maxInputTokens),
            (.outputTokens, maxOutputTokens), (.toolCalls, maxToolCalls), (.repeatedToolCalls, maxRepeatedToolCalls),
            (.refusedToolCalls, maxRefusedToolCalls), (.cost, maxCost), (.revisions, maxRevisions),
            (.modelCalls, maxModelCalls),
        ]
        var values: [BudgetKind: Int64] = [:]
        for case (let kind, let value?) in named { values[kind] = value }
        try self.init(values, maxCallsPerTool: maxCallsPerTool)
    }

    /// No limits at all: a ledger that only counts.
    public static let unlimited = BudgetLimits(unchecked: [:])

    /// The defaults of a ``StrictPolicy``: every kind's ``BudgetKind/defaultLimit``.
    public static let policyDefaults = BudgetLimits(
        unchecked: BudgetKind.allCases.reduce(into: [:]) { table, kind in table[kind] = kind.defaultLimit }
    )

    private init(unchecked values: [BudgetKind: Int64]) {
        self.values = BudgetKind.allCases.map { values[$0] }
        self.maxCallsPerTool = [:]
    }

    /// The limited kinds as a table.
    private var table: [BudgetKind: Int64] {
        BudgetKind.allCases.reduce(into: [:]) { table, kind in table[kind] = values[kind.index] }
    }

    /// The limit of `kind`, or `nil` where it is not limited.
    ///
    /// - Parameter kind: The kind of limit.
    public subscript(kind: BudgetKind) -> Int64? { values[kind.index] }

    /// Returns these limits with `kind` set to `limit` (or unlimited, for `nil`), checked as the initialiser does.
    ///
    /// - Parameters:
    ///   - kind: The kind of limit.
    ///   - limit: The new limit, or `nil` to lift it.
    /// - Returns: The changed limits.
    /// - Throws: ``PolicyError`` for a negative limit.
    public func setting(_ kind: BudgetKind, to limit: Int64?) throws(PolicyError) -> BudgetLimits {
        var values = table
        values[kind] = limit
        return try BudgetLimits(values, maxCallsPerTool: maxCallsPerTool)
    }

    /// Returns limits that are the tighter of `self` and `other`, kind by kind and tool by tool.
    ///
    /// - Parameter other: The other limits.
    /// - Returns: The kind-by-kind minimum, where a missing limit means unlimited.
    public func tightened(by other: BudgetLimits) -> BudgetLimits {
        var result = self
        for (index, limit) in other.values.enumerated() {
            guard let limit else { continue }
            result.values[index] = Swift.min(values[index] ?? limit, limit)
        }
        result.maxCallsPerTool = maxCallsPerTool.merging(other.maxCallsPerTool) { Swift.min($0, $1) }
        return result
    }

    private static func check(_ maxCallsPerTool: [String: Int64]) throws(PolicyError) {
        for (tool, limit) in maxCallsPerTool.sorted(by: { $0.key < $1.key }) {
            try ToolPattern.validateToolName(tool, field: "maxCallsPerTool")
            try PolicyError.check(limit, "maxCallsPerTool[\"\(tool)\"]")
        }
    }
}

extension BudgetLimits: Codable {
    /// A coding key named by a policy field: `maxSteps`, `maxCallsPerTool`, `timeoutNanoseconds`, …
    struct FieldKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ stringValue: String) { self.stringValue = stringValue }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(_ kind: BudgetKind) { self.stringValue = kind.limit.rawValue }
        static let maxCallsPerTool = FieldKey("maxCallsPerTool")
    }

    /// Decodes limits, one key per kind (its policy field, such as `maxSteps`) plus `maxCallsPerTool`, and checks
    /// them as ``init(_:maxCallsPerTool:)`` does. Missing keys (and `null`) take `fallback`.
    ///
    /// - Parameters:
    ///   - container: The container holding the keys.
    ///   - fallback: The limits for missing keys.
    /// - Throws: ``PolicyError`` for an invalid limit, or the decoder's error.
    init(from container: KeyedDecodingContainer<FieldKey>, fallback: BudgetLimits) throws {
        var values: [BudgetKind: Int64] = [:]
        for kind in BudgetKind.allCases {
            values[kind] = try container.decodeIfPresent(Int64.self, forKey: FieldKey(kind)) ?? fallback[kind]
        }
        let perTool = try container.decodeIfPresent([String: Int64].self, forKey: .maxCallsPerTool)
        try self.init(values, maxCallsPerTool: perTool ?? fallback.maxCallsPerTool)
    }

    /// Encodes the limits into `container`, one key per limited kind plus `maxCallsPerTool`.
    ///
    /// - Parameter container: The container to write to.
    /// - Throws: The encoder's error.
    func encode(to container: inout KeyedEncodingContainer<FieldKey>) throws {
        for kind in BudgetKind.allCases {
            try container.encodeIfPresent(values[kind.index], forKey: FieldKey(kind))
        }
        try container.encode(maxCallsPerTool, forKey: .maxCallsPerTool)
    }

    /// Decodes limits and checks them as the initialiser does; a missing key leaves its kind unlimited.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: ``PolicyError`` for an invalid limit, or the decoder's error.
    public init(from decoder: any Decoder) throws {
        try self.init(from: decoder.container(keyedBy: FieldKey.self), fallback: .unlimited)
    }

    /// Encodes the limits with one key per limited kind (its policy field) and `maxCallsPerTool`.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        try encode(to: &container)
    }
}
