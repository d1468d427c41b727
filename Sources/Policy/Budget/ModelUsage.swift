/// Tokens and cost of model work: reserved as an estimate before a call and reported as actual usage after it.
///
/// Cost is an exact integer in units you choose (a common choice is millionths of a currency unit); the library
/// never uses floating point for money.
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

    /// Input plus output tokens.
    public var totalTokens: Int64 { inputTokens &+ outputTokens }

    /// Adds two usage figures.
    public static func + (lhs: ModelUsage, rhs: ModelUsage) -> ModelUsage {
        ModelUsage(
            inputTokens: lhs.inputTokens &+ rhs.inputTokens,
            outputTokens: lhs.outputTokens &+ rhs.outputTokens,
            cost: lhs.cost &+ rhs.cost
        )
    }

    /// Adds `rhs` to `lhs`.
    public static func += (lhs: inout ModelUsage, rhs: ModelUsage) { lhs = lhs + rhs }

    /// Subtracts `rhs` from `lhs`.
    public static func - (lhs: ModelUsage, rhs: ModelUsage) -> ModelUsage {
        ModelUsage(
            inputTokens: lhs.inputTokens &- rhs.inputTokens,
            outputTokens: lhs.outputTokens &- rhs.outputTokens,
            cost: lhs.cost &- rhs.cost
        )
    }

    /// A compact summary.
    public var description: String { "\(inputTokens) in + \(outputTokens) out tokens, cost \(cost)" }

    /// The figure with negative parts counted as zero: what a ledger bills. An adapter cannot give budget back by
    /// reporting negative usage.
    var billable: ModelUsage {
        ModelUsage(inputTokens: max(0, inputTokens), outputTokens: max(0, outputTokens), cost: max(0, cost))
    }

    /// Adds two billable figures, saturating at `Int64.max` instead of wrapping.
    func saturatingAdding(_ other: ModelUsage) -> ModelUsage {
        func add(_ a: Int64, _ b: Int64) -> Int64 {
            let (sum, overflow) = a.addingReportingOverflow(b)
            return overflow ? Int64.max : sum
        }
        return ModelUsage(
            inputTokens: add(inputTokens, other.inputTokens),
            outputTokens: add(outputTokens, other.outputTokens),
            cost: add(cost, other.cost)
        )
    }

    /// Input plus output tokens, saturating at `Int64.max`.
    var saturatingTotalTokens: Int64 {
        let (sum, overflow) = inputTokens.addingReportingOverflow(outputTokens)
        return overflow ? Int64.max : sum
    }
}
