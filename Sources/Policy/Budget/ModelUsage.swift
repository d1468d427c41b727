/// Tokens and cost of model work: reserved as an estimate before a call and reported as actual usage after it.
///
/// Cost is an exact integer in units you choose (a common choice is millionths of a currency unit); the library
/// never uses floating point for money.
///
/// Usage is reported by adapters the library does not control, so its arithmetic is defensive: negative parts count
/// as zero and sums saturate at `Int64.max` instead of wrapping. Every total built from reported usage (ledgers,
/// report totals, a step's usage, ``totalTokens``) is therefore zero or more and never wraps negative.
public struct ModelUsage: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Tokens sent to the model.
    public var inputTokens: Int64
    /// Tokens the model produced.
    public var outputTokens: Int64
    /// Cost in integer units.
    public var cost: Int64

    /// Creates a usage figure.
    ///
    /// - Parameters:
    ///   - inputTokens: Tokens sent to the model.
    ///   - outputTokens: Tokens the model produced.
    ///   - cost: Cost in integer units.
    public init(inputTokens: Int64 = 0, outputTokens: Int64 = 0, cost: Int64 = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
    }

    /// No usage.
    public static let zero = ModelUsage()

    /// Input plus output tokens, negative parts counted as zero, saturating at `Int64.max`.
    public var totalTokens: Int64 { Self.add(max(0, inputTokens), max(0, outputTokens)) }

    /// Adds two usage figures part by part: negative parts count as zero and sums saturate at `Int64.max`.
    ///
    /// Reported usage is outside the library's control; counting a negative report as zero and stopping at
    /// `Int64.max` keeps every total (ledgers, report totals, step usage) meaningful.
    ///
    /// - Parameters:
    ///   - lhs: A usage figure.
    ///   - rhs: Another usage figure.
    /// - Returns: The saturating sum of the billable parts.
    public static func + (lhs: ModelUsage, rhs: ModelUsage) -> ModelUsage {
        let lhs = lhs.billable
        let rhs = rhs.billable
        return ModelUsage(
            inputTokens: add(lhs.inputTokens, rhs.inputTokens),
            outputTokens: add(lhs.outputTokens, rhs.outputTokens),
            cost: add(lhs.cost, rhs.cost)
        )
    }

    /// Adds `rhs` to `lhs` as ``+(_:_:)`` does.
    ///
    /// - Parameters:
    ///   - lhs: The figure to add to.
    ///   - rhs: The figure to add.
    public static func += (lhs: inout ModelUsage, rhs: ModelUsage) { lhs = lhs + rhs }

    /// Subtracts `rhs` from `lhs` part by part, negative parts counted as zero; a part never goes below zero.
    ///
    /// - Parameters:
    ///   - lhs: A usage figure.
    ///   - rhs: The figure to take away.
    /// - Returns: The difference, at least zero in every part.
    public static func - (lhs: ModelUsage, rhs: ModelUsage) -> ModelUsage {
        let lhs = lhs.billable
        let rhs = rhs.billable
        return ModelUsage(
            inputTokens: max(0, lhs.inputTokens - rhs.inputTokens),
            outputTokens: max(0, lhs.outputTokens - rhs.outputTokens),
            cost: max(0, lhs.cost - rhs.cost)
        )
    }

    /// A compact summary.
    public var description: String { "\(inputTokens) in + \(outputTokens) out tokens, cost \(cost)" }

    /// The figure with negative parts counted as zero: what a ledger bills. An adapter cannot give budget back by
    /// reporting negative usage.
    var billable: ModelUsage {
        ModelUsage(inputTokens: max(0, inputTokens), outputTokens: max(0, outputTokens), cost: max(0, cost))
    }

    private static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : sum
    }
}
