package import AgentAdapters
package import AgentPolicy

/// The rule that decides how many output tokens one governed model call may ask for, as a pure function of the
/// budget left, the policy, the request and the model: no clock, no lock, no model.
///
/// The maximum is the smallest of:
/// - the policy's ``StrictPolicy/maxOutputTokensPerModelCall``;
/// - the request's own ``ModelOptions/maximumOutputTokens`` and the model's ``ModelDescriptor/maximumOutputTokens``,
///   when set (values below 1 are ignored);
/// - the output tokens left (`maxOutputTokens`);
/// - the tokens left (`maxTokens`) minus the input estimate;
/// - the output tokens the cost left pays for once the input is paid (`maxCost`, at the model's prices);
/// - the context window minus the input estimate.
///
/// "Left" is the tighter of the run's and every shared budget's, outstanding reservations counted as used. Below one
/// token the call is refused with a ``PolicyViolation`` naming the binding limit; a request is never sent with a
/// maximum of zero.
package struct ModelCallAllowance: Hashable, Sendable {
    /// What the call reserves: the input estimate, the maximum output and the cost of both.
    package var estimate: ModelUsage
    /// The most output tokens the call asks for; at least 1.
    package var maximumOutputTokens: Int64

    /// Computes the allowance, or the violation that refuses the call.
    ///
    /// - Parameters:
    ///   - input: The input estimate, in tokens.
    ///   - descriptor: The model's descriptor.
    ///   - requested: The request's own maximum, if any.
    ///   - perCall: The policy's per-call maximum.
    ///   - remaining: What is left of every budget.
    ///   - limit: The binding budget's limit of a kind, for the violation.
    /// - Returns: The allowance.
    /// - Throws: ``PolicyViolation`` naming the limit that leaves less than one output token.
    package static func compute(
        input: Int64,
        descriptor: ModelDescriptor,
        requested: Int64?,
        perCall: Int64,
        remaining: RemainingBudget,
        limit: (BudgetKind) -> Int64
    ) throws(PolicyViolation) -> ModelCallAllowance {
        try compute(
            input: input,
            descriptor: descriptor,
            requested: requested,
            perCall: perCall,
            left: { remaining[$0] },
            limit: limit
        )
    }

    /// Computes the allowance from what is left of each kind, read one kind at a time.
    ///
    /// - Parameters:
    ///   - input: The input estimate, in tokens.
    ///   - descriptor: The model's descriptor.
    ///   - requested: The request's own maximum, if any.
    ///   - perCall: The policy's per-call maximum.
    ///   - left: What is left of a kind (the tighter of every budget), or `nil` where nothing limits it.
    ///   - limit: The binding budget's limit of a kind, for the violation.
    /// - Returns: The allowance.
    /// - Throws: ``PolicyViolation`` naming the limit that leaves less than one output token.
    package static func compute(
        input: Int64,
        descriptor: ModelDescriptor,
        requested: Int64?,
        perCall: Int64,
        left: (BudgetKind) -> Int64?,
        limit: (BudgetKind) -> Int64
    ) throws(PolicyViolation) -> ModelCallAllowance {
        let model = descriptor.name
        let inputCost = descriptor.pricing?.inputCost(input) ?? 0
        if let left = left(.inputTokens), left < input {
            let value = limit(.inputTokens)
            throw PolicyViolation(
                limit: .maxInputTokens,
                limitValue: value,
                attempted: value - left + input,
                message: "model \"\(model)\" was not called: its input estimate of \(input) tokens is more than the "
                    + "\(left) input tokens maxInputTokens (\(value)) leaves"
            )
        }
        var maximum = max(0, perCall)
        var binding = PolicyViolation.Limit.maxOutputTokensPerModelCall
        func consider(_ candidate: Int64, _ limit: PolicyViolation.Limit) {
            if candidate < maximum {
                maximum = candidate
                binding = limit
            }
        }
        if let requested, requested >= 1 { consider(requested, .maxOutputTokensPerModelCall) }
        if let own = descriptor.maximumOutputTokens, own >= 1 { consider(own, .maxOutputTokensPerModelCall) }
        consider(max(0, descriptor.contextWindowTokens - input), .maxOutputTokensPerModelCall)
        let tokensLeft = left(.tokens)
        let costLeft = left(.cost)
        if let left = left(.outputTokens) { consider(left, .maxOutputTokens) }
        if let left = tokensLeft { consider(max(0, left - input), .maxTokens) }
        if let left = costLeft, let pricing = descriptor.pricing {
            let affordable = left < inputCost ? 0 : pricing.outputTokens(affordableWith: left - inputCost)
            consider(affordable, .maxCost)
        }
        guard maximum < 1 else {
            let cost = descriptor.pricing?.cost(inputTokens: input, outputTokens: maximum) ?? 0
            return ModelCallAllowance(
                estimate: ModelUsage(inputTokens: input, outputTokens: maximum, cost: cost),
                maximumOutputTokens: maximum
            )
        }
        throw refusal(
            binding,
            model: model,
            input: input,
            inputCost: inputCost,
            descriptor,
            RemainingBudget([.tokens: tokensLeft ?? 0, .cost: costLeft ?? 0]),
            limit
        )
    }

    private static func refusal(
        _ binding: PolicyViolation.Limit,
        model: String,
        input: Int64,
        inputCost: Int64,
        _ descriptor: ModelDescriptor,
        _ remaining: RemainingBudget,
        _ limit: (BudgetKind) -> Int64
    ) -> PolicyViolation {
        let lead = "model \"\(model)\" was not called: no output token is affordable"
        switch binding {
        case .maxOutputTokens:
            let value = limit(.outputTokens)
            return PolicyViolation(
                limit: binding,
                limitValue: value,
                attempted: value + 1,
                message: "\(lead); maxOutputTokens (\(value)) has no output token left"
            )
        case .maxTokens:
            let value = limit(.tokens)
            let left = remaining[.tokens] ?? 0
            return PolicyViolation(
                limit: binding,
                limitValue: value,
                attempted: value - left + input + 1,
                message: "\(lead); maxTokens (\(value)) leaves \(left) tokens and the input estimate is \(input)"
            )
        case .maxCost:
            let value = limit(.cost)
            let left = remaining[.cost] ?? 0
            let oneToken = descriptor.pricing?.outputCost(1) ?? 0
            return PolicyViolation(
                limit: binding,
                limitValue: value,
                attempted: value - left + inputCost + oneToken,
                message: "\(lead); maxCost (\(value)) leaves \(left) cost units, the input estimate of \(input) "
                    + "tokens costs \(inputCost) and one output token \(oneToken)"
            )
        default:
            return PolicyViolation(
                limit: .maxOutputTokensPerModelCall,
                limitValue: 0,
                attempted: 1,
                message: "\(lead); maxOutputTokensPerModelCall is 0"
            )
        }
    }
}
