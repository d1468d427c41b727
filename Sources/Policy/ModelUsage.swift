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

    var isNegative: Bool { inputTokens < 0 || outputTokens < 0 || cost < 0 }
}
