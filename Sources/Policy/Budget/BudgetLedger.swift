/// What a run (or a group of runs) has used against its ``BudgetLimits``, with reserve-before-use operations.
///
/// Work is reserved before it starts and settled after: ``reserveStep()``, ``reserveToolCall(_:argumentsKey:)``
/// and ``reserveUsage(_:)`` check and debit in one mutation, so a refused reservation means the work never starts
/// and nothing is billed. ``settle(_:actual:)`` replaces an estimate with the actual usage; usage that takes a total
/// past its limit is still recorded (it happened) and throws the violation, which stops the run.
///
/// `BudgetLedger` is a value; to share one between concurrent runs use ``SharedBudget``, which guards a ledger
/// with a lock so that check and debit stay one atomic step.
public struct BudgetLedger: Hashable, Codable, Sendable {
    /// The limits enforced.
    public let limits: BudgetLimits
    /// Agent steps reserved.
    public private(set) var steps: Int64 = 0
    /// Tool calls reserved, all tools together.
    public private(set) var toolCalls: Int64 = 0
    /// Tool calls reserved per tool.
    public private(set) var callsPerTool: [String: Int64] = [:]
    /// Model usage settled or recorded so far.
    public private(set) var usage: ModelUsage = .zero
    /// Model usage reserved by estimates not yet settled.
    public private(set) var reservedUsage: ModelUsage = .zero
    /// REVIEW → PLAN revisions reserved.
    public private(set) var revisions: Int64 = 0
    /// The highest number of identical calls seen for one (tool, arguments) pair.
    public private(set) var maxIdenticalToolCalls: Int64 = 0
    private var identicalCalls: [String: Int64] = [:]
    private var outstanding: [UInt64: ModelUsage] = [:]
    private var nextReservation: UInt64 = 0

    /// Creates an empty ledger.
    ///
    /// - Parameter limits: The limits to enforce.
    public init(limits: BudgetLimits) { self.limits = limits }

    /// Reserves one agent step.
    ///
    /// - Throws: ``PolicyViolation`` with limit ``PolicyViolation/Limit/maxSteps`` when the limit is used up.
    public mutating func reserveStep() throws(PolicyViolation) {
        if let limit = limits.maxSteps, steps >= limit {
            throw PolicyViolation(limit: .maxSteps, limitValue: limit, attempted: steps + 1)
        }
        steps += 1
    }

    /// Reserves one REVIEW → PLAN revision.
    ///
    /// - Throws: ``PolicyViolation`` with limit ``PolicyViolation/Limit/maxRevisions`` when the limit is used up.
    public mutating func reserveRevision() throws(PolicyViolation) {
        if let limit = limits.maxRevisions, revisions >= limit {
            throw PolicyViolation(limit: .maxRevisions, limitValue: limit, attempted: revisions + 1)
        }
        revisions += 1
    }

    /// Reserves one call of `tool`, checking the total, the tool's own limit and, when `argumentsKey` is given,
    /// the repeated-identical-call limit.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: A canonical text of the call's arguments for loop detection, or `nil` to skip it.
    /// - Throws: ``PolicyViolation`` naming the limit and the tool; nothing is debited then.
    public mutating func reserveToolCall(_ tool: String, argumentsKey: String? = nil) throws(PolicyViolation) {
        if let limit = limits.maxToolCalls, toolCalls >= limit {
            throw PolicyViolation(limit: .maxToolCalls, limitValue: limit, attempted: toolCalls + 1, tool: tool)
        }
        let toolCount = callsPerTool[tool, default: 0]
        if let limit = limits.maxCallsPerTool[tool], toolCount >= limit {
            throw PolicyViolation(limit: .maxCallsPerTool, limitValue: limit, attempted: toolCount + 1, tool: tool)
        }
        var identicalKey: String?
        var identicalCount: Int64 = 0
        if let argumentsKey, let limit = limits.maxRepeatedToolCalls {
            let key = tool + "\u{0}" + argumentsKey
            identicalCount = identicalCalls[key, default: 0]
            if identicalCount >= limit {
                throw PolicyViolation(
                    limit: .maxRepeatedToolCalls,
                    limitValue: limit,
                    attempted: identicalCount + 1,
                    tool: tool,
                    message: "tool \"\(tool)\" was called \(identicalCount) times with these same arguments; "
                        + "maxRepeatedToolCalls is \(limit) (loop detected)"
                )
            }
            identicalKey = key
        }
        toolCalls += 1
        callsPerTool[tool] = toolCount + 1
        if let identicalKey {
            identicalCalls[identicalKey] = identicalCount + 1
            maxIdenticalToolCalls = max(maxIdenticalToolCalls, identicalCount + 1)
        }
    }

    /// Reserves an estimate of model usage before a model call.
    ///
    /// The reservation is refused when settled usage plus outstanding reservations plus `estimate` would pass a
    /// token or cost limit. Negative parts of `estimate` count as zero.
    ///
    /// - Parameter estimate: The most the call may use.
    /// - Returns: A reservation to pass to ``settle(_:actual:)`` or ``release(_:)``, once.
    /// - Throws: ``PolicyViolation`` naming the limit; nothing is reserved then.
    public mutating func reserveUsage(_ estimate: ModelUsage) throws(PolicyViolation) -> UsageReservation {
        let estimate = estimate.billable
        let committed = usage + reservedUsage + estimate
        if let violation = Self.firstExcess(limits, committed) { throw violation }
        reservedUsage = reservedUsage + estimate
        nextReservation += 1
        outstanding[nextReservation] = estimate
        return UsageReservation(id: nextReservation, estimate: estimate)
    }

    /// Replaces a reservation with the usage actually reported.
    ///
    /// The actual usage is recorded even when it passes a limit; then the violation is thrown with the actual
    /// total, and the run must stop. A reservation settles or releases once: settling it again records the usage
    /// without giving anything back. Negative parts of `actual` count as zero.
    ///
    /// - Parameters:
    ///   - reservation: The reservation returned by ``reserveUsage(_:)``.
    ///   - actual: The usage the work reported.
    /// - Throws: ``PolicyViolation`` when the recorded total passes a limit.
    public mutating func settle(_ reservation: UsageReservation, actual: ModelUsage) throws(PolicyViolation) {
        release(reservation)
        try recordUsage(actual)
    }

    /// Gives back a reservation whose work did not happen; a reservation this ledger does not hold (already
    /// settled or released) changes nothing.
    ///
    /// - Parameter reservation: The reservation returned by ``reserveUsage(_:)``.
    public mutating func release(_ reservation: UsageReservation) {
        guard let estimate = outstanding.removeValue(forKey: reservation.id) else { return }
        reservedUsage = reservedUsage - estimate
    }

    /// Gives back every outstanding reservation: for a run that ended while model calls were in flight.
    public mutating func releaseAll() {
        outstanding = [:]
        reservedUsage = .zero
    }

    /// Records usage that was not reserved beforehand.
    ///
    /// - Parameter actual: The usage the work reported; negative parts count as zero.
    /// - Throws: ``PolicyViolation`` when the recorded total passes a limit; the usage is recorded all the same.
    ///   The violation's `attempted` is the actual total used, without other calls' outstanding reservations.
    public mutating func recordUsage(_ actual: ModelUsage) throws(PolicyViolation) {
        usage = usage + actual.billable
        if let violation = Self.firstExcess(limits, usage) { throw violation }
    }

    package mutating func refundStep() { steps -= 1 }

    package mutating func refundRevision() { revisions -= 1 }

    package mutating func refundToolCall(_ tool: String, argumentsKey: String?) {
        toolCalls -= 1
        callsPerTool[tool, default: 1] -= 1
        if let argumentsKey, limits.maxRepeatedToolCalls != nil {
            identicalCalls[tool + "\u{0}" + argumentsKey, default: 1] -= 1
        }
    }

    private static func firstExcess(_ limits: BudgetLimits, _ total: ModelUsage) -> PolicyViolation? {
        if let limit = limits.maxTokens, total.totalTokens > limit {
            return PolicyViolation(limit: .maxTokens, limitValue: limit, attempted: total.totalTokens)
        }
        if let limit = limits.maxInputTokens, total.inputTokens > limit {
            return PolicyViolation(limit: .maxInputTokens, limitValue: limit, attempted: total.inputTokens)
        }
        if let limit = limits.maxOutputTokens, total.outputTokens > limit {
            return PolicyViolation(limit: .maxOutputTokens, limitValue: limit, attempted: total.outputTokens)
        }
        if let limit = limits.maxCost, total.cost > limit {
            return PolicyViolation(limit: .maxCost, limitValue: limit, attempted: total.cost)
        }
        return nil
    }

    /// What is left of every limited budget (`nil` where this ledger sets no limit).
    public var remaining: RemainingBudget {
        func left(_ limit: Int64?, _ used: Int64) -> Int64? { limit.map { max(0, $0 - used) } }
        let committed = usage + reservedUsage
        return RemainingBudget(
            steps: left(limits.maxSteps, steps),
            tokens: left(limits.maxTokens, committed.totalTokens),
            inputTokens: left(limits.maxInputTokens, committed.inputTokens),
            outputTokens: left(limits.maxOutputTokens, committed.outputTokens),
            toolCalls: left(limits.maxToolCalls, toolCalls),
            toolCallsPerTool: limits.maxCallsPerTool.reduce(into: [:]) { result, entry in
                result[entry.key] = max(0, entry.value - callsPerTool[entry.key, default: 0])
            },
            cost: left(limits.maxCost, committed.cost),
            revisions: left(limits.maxRevisions, revisions)
        )
    }

    /// The ledger as a table: one line per budget, limit beside use, in a fixed order.
    ///
    /// Budgets without a limit still appear, with a `nil` limit; per-tool lines follow in tool-name order.
    public var lines: [BudgetLine] {
        var lines = [
            BudgetLine(budget: "steps", limit: limits.maxSteps, used: steps),
            BudgetLine(budget: "tokens", limit: limits.maxTokens, used: usage.totalTokens),
            BudgetLine(budget: "inputTokens", limit: limits.maxInputTokens, used: usage.inputTokens),
            BudgetLine(budget: "outputTokens", limit: limits.maxOutputTokens, used: usage.outputTokens),
            BudgetLine(budget: "toolCalls", limit: limits.maxToolCalls, used: toolCalls),
        ]
        let tools = Set(callsPerTool.keys).union(limits.maxCallsPerTool.keys).sorted()
        for tool in tools {
            lines.append(
                BudgetLine(
                    budget: "toolCalls[\(tool)]",
                    limit: limits.maxCallsPerTool[tool],
                    used: callsPerTool[tool, default: 0]
                )
            )
        }
        lines.append(
            BudgetLine(budget: "repeatedToolCalls", limit: limits.maxRepeatedToolCalls, used: maxIdenticalToolCalls)
        )
        lines.append(BudgetLine(budget: "cost", limit: limits.maxCost, used: usage.cost))
        lines.append(BudgetLine(budget: "revisions", limit: limits.maxRevisions, used: revisions))
        return lines
    }
}

/// A token and cost estimate held against a ledger until it is settled or released, once.
///
/// Only a ledger makes reservations; each has an identity, so settling or releasing the same one twice gives
/// nothing back the second time.
public struct UsageReservation: Hashable, Sendable {
    /// The reservation's identity within its ledger.
    let id: UInt64
    /// The usage reserved.
    public let estimate: ModelUsage
}

/// One line of a ledger table: a budget's limit beside what was used.
public struct BudgetLine: Hashable, Codable, Sendable {
    /// The budget's name: `steps`, `tokens`, `inputTokens`, `outputTokens`, `toolCalls`, `toolCalls[<tool>]`,
    /// `repeatedToolCalls` (the most identical calls of one tool with one set of arguments), `cost`, `revisions`,
    /// or `timeNanoseconds` in run reports.
    public var budget: String
    /// The limit, or `nil` if none applies.
    public var limit: Int64?
    /// What was used.
    public var used: Int64

    /// Creates a line.
    ///
    /// - Parameters:
    ///   - budget: The budget's name.
    ///   - limit: The limit, or `nil` if none applies.
    ///   - used: What was used.
    public init(budget: String, limit: Int64?, used: Int64) {
        self.budget = budget
        self.limit = limit
        self.used = used
    }
}

/// What is left of each budget; `nil` where no limit applies.
///
/// A model adapter can read this from the agent's context to cap its request ("N tool calls remaining").
public struct RemainingBudget: Hashable, Codable, Sendable {
    /// Agent steps left.
    public var steps: Int64?
    /// Tokens left, input and output together (after outstanding reservations).
    public var tokens: Int64?
    /// Input tokens left.
    public var inputTokens: Int64?
    /// Output tokens left.
    public var outputTokens: Int64?
    /// Tool calls left, all tools together.
    public var toolCalls: Int64?
    /// Calls left for the tools that have their own limit.
    public var toolCallsPerTool: [String: Int64]
    /// Cost units left.
    public var cost: Int64?
    /// Revisions left.
    public var revisions: Int64?

    /// Creates a record of what is left.
    ///
    /// - Parameters:
    ///   - steps: Agent steps left.
    ///   - tokens: Tokens left.
    ///   - inputTokens: Input tokens left.
    ///   - outputTokens: Output tokens left.
    ///   - toolCalls: Tool calls left.
    ///   - toolCallsPerTool: Calls left per limited tool.
    ///   - cost: Cost units left.
    ///   - revisions: Revisions left.
    public init(
        steps: Int64?,
        tokens: Int64?,
        inputTokens: Int64?,
        outputTokens: Int64?,
        toolCalls: Int64?,
        toolCallsPerTool: [String: Int64],
        cost: Int64?,
        revisions: Int64?
    ) {
        self.steps = steps
        self.tokens = tokens
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.toolCalls = toolCalls
        self.toolCallsPerTool = toolCallsPerTool
        self.cost = cost
        self.revisions = revisions
    }

    /// The tighter of two records, field by field.
    ///
    /// - Parameter other: The other record.
    /// - Returns: The field-by-field minimum, `nil` meaning unlimited.
    public func tightened(by other: RemainingBudget) -> RemainingBudget {
        func min(_ a: Int64?, _ b: Int64?) -> Int64? {
            guard let a else { return b }
            guard let b else { return a }
            return Swift.min(a, b)
        }
        return RemainingBudget(
            steps: min(steps, other.steps),
            tokens: min(tokens, other.tokens),
            inputTokens: min(inputTokens, other.inputTokens),
            outputTokens: min(outputTokens, other.outputTokens),
            toolCalls: min(toolCalls, other.toolCalls),
            toolCallsPerTool: toolCallsPerTool.merging(other.toolCallsPerTool) { Swift.min($0, $1) },
            cost: min(cost, other.cost),
            revisions: min(revisions, other.revisions)
        )
    }

    /// Calls left for `tool`: the smaller of its own limit and the total, or `nil` if neither applies.
    ///
    /// - Parameter tool: The tool's name.
    /// - Returns: The calls left.
    public func toolCalls(for tool: String) -> Int64? {
        switch (toolCalls, toolCallsPerTool[tool]) {
        case (nil, nil): nil
        case (let total?, nil): total
        case (nil, let own?): own
        case (let total?, let own?): Swift.min(total, own)
        }
    }
}
