/// What a run (or a group of runs) has used against its ``BudgetLimits``.
///
/// The orchestrator keeps a ledger for every run and reserves work in it before the work starts: a step, a tool
/// call, a refused tool call, a revision or a model-usage estimate is checked and debited in one mutation, so a
/// refused reservation means the work never starts and nothing is billed. A limit of N admits exactly N; the
/// (N+1)th reservation throws the ``PolicyViolation`` and leaves the ledger unchanged. Model usage is settled after
/// the call; usage that takes a total past its limit is still recorded (it happened) and stops the run.
///
/// A ledger counts every ``BudgetKind`` of the table. One that covers a single run also checks and lists the per-run
/// kinds (``BudgetKind/isPerRun``, loop detection); a ledger shared between runs neither checks nor lists them,
/// since they could never move there.
///
/// `BudgetLedger` is a value you read: from a ``SharedBudget`` (``SharedBudget/ledger``) or, as lines, from a run's
/// report. Only the library debits ledgers (the reserving methods are `package`), so budgets are enforced one way:
/// by the policy and shared budgets you give the orchestrator.
public struct BudgetLedger: Hashable, Codable, Sendable {
    /// The limits enforced.
    public let limits: BudgetLimits
    /// Whether the ledger covers a single run: it then checks and lists the per-run kinds.
    public let coversOneRun: Bool
    /// The counts of the counted kinds.
    private var counts = KindCounts()
    /// Tool calls reserved per tool.
    public private(set) var callsPerTool: [String: Int64] = [:]
    /// Model usage settled or recorded so far.
    public private(set) var usage: ModelUsage = .zero
    /// Model usage reserved by estimates not yet settled.
    public private(set) var reservedUsage: ModelUsage = .zero
    private var identicalCalls = RepeatCounts()
    private var outstanding: [UInt64: ModelUsage] = [:]
    private var nextReservation: UInt64 = 0

    /// Creates an empty ledger.
    ///
    /// - Parameters:
    ///   - limits: The limits to enforce.
    ///   - coversOneRun: Whether the ledger covers a single run and so checks the per-run kinds.
    package init(limits: BudgetLimits, coversOneRun: Bool) {
        self.limits = limits
        self.coversOneRun = coversOneRun
    }

    /// Whether this ledger checks and lists `kind`: every kind, except per-run kinds in a ledger shared by runs.
    ///
    /// - Parameter kind: The kind of limit.
    /// - Returns: `true` if the ledger tracks the kind.
    public func tracks(_ kind: BudgetKind) -> Bool { coversOneRun || !kind.isPerRun }

    /// What has been used of `kind`: reservations for counted kinds, settled usage for token and cost kinds.
    ///
    /// For ``BudgetKind/repeatedToolCalls`` it is the count of the most repeated call (same tool, same arguments).
    ///
    /// - Parameter kind: The kind of limit.
    /// - Returns: The amount used; zero for a kind the ledger does not track.
    public func used(_ kind: BudgetKind) -> Int64 {
        switch kind.measure {
        case .count: counts[kind]
        case .usage(let measure): measure(usage)
        }
    }

    /// What is committed to `kind`: ``used(_:)`` plus, for usage kinds, the outstanding reservations.
    private func committed(_ kind: BudgetKind) -> Int64 {
        switch kind.measure {
        case .count: counts[kind]
        case .usage(let measure): measure(usage + reservedUsage)
        }
    }

    /// Reserves one unit of a counted kind, such as a step, a revision or a refused tool call.
    ///
    /// Tool calls go through ``reserveToolCall(_:argumentsKey:)`` and model usage through ``reserveUsage(_:)``; a
    /// per-run kind in a ledger shared by runs is not checked.
    ///
    /// - Parameters:
    ///   - kind: A counted kind other than ``BudgetKind/toolCalls`` and ``BudgetKind/repeatedToolCalls``.
    ///   - tool: The tool concerned, named in the violation.
    /// - Throws: ``PolicyViolation`` with the kind's ``BudgetKind/limit`` when the limit is used up; nothing is
    ///   debited then.
    package mutating func reserve(_ kind: BudgetKind, tool: String? = nil) throws(PolicyViolation) {
        guard case .count = kind.measure, kind != .toolCalls, kind != .repeatedToolCalls else {
            preconditionFailure("\(kind) is not reserved one unit at a time")
        }
        guard tracks(kind) else { return }
        let used = counts[kind]
        if let limit = limits[kind], used >= limit {
            throw PolicyViolation(limit: kind.limit, limitValue: limit, attempted: used + 1, tool: tool)
        }
        counts[kind] = used + 1
    }

    /// Gives back one unit reserved with ``reserve(_:tool:)`` whose work never happened.
    ///
    /// - Parameter kind: The kind reserved.
    package mutating func refund(_ kind: BudgetKind) {
        let used = counts[kind]
        guard tracks(kind), used > 0 else { return }
        counts[kind] = used - 1
    }

    /// Reserves one call of `tool`, checking the total, the tool's own limit and, when `argumentsKey` is given and
    /// the ledger covers one run, the repeated-identical-call limit.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: A canonical text of the call's arguments for loop detection, or `nil` to skip it.
    /// - Throws: ``PolicyViolation`` naming the limit and the tool; nothing is debited then.
    package mutating func reserveToolCall(_ tool: String, argumentsKey: String? = nil) throws(PolicyViolation) {
        try reserveToolCall(tool, repeatKey: argumentsKey.map { RepeatKey(tool: tool, arguments: $0) })
    }

    /// Reserves one call of `tool` as ``reserveToolCall(_:argumentsKey:)`` does, with the loop-detection key
    /// already made (its digest is computed once per call, not once per ledger).
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - repeatKey: The call's key for loop detection, or `nil` to skip it.
    /// - Throws: ``PolicyViolation`` naming the limit and the tool; nothing is debited then.
    package mutating func reserveToolCall(_ tool: String, repeatKey: RepeatKey?) throws(PolicyViolation) {
        let total = counts[.toolCalls]
        if let limit = limits[.toolCalls], total >= limit {
            throw PolicyViolation(limit: .maxToolCalls, limitValue: limit, attempted: total + 1, tool: tool)
        }
        // Without per-tool limits (the common case) the tool's count is read only to be raised, in one look-up.
        if !limits.maxCallsPerTool.isEmpty, let limit = limits.maxCallsPerTool[tool] {
            let toolCount = callsPerTool[tool, default: 0]
            if toolCount >= limit {
                throw PolicyViolation(limit: .maxCallsPerTool, limitValue: limit, attempted: toolCount + 1, tool: tool)
            }
        }
        // The repeat check is the last check: it counts the call in the same look-up that finds its count, and
        // only when no limit refuses it, so a refused call still debits nothing.
        if let key = repeatKey, tracks(.repeatedToolCalls), let limit = limits[.repeatedToolCalls] {
            let (identicalCount, counted) = identicalCalls.increment(key, unlessAtLeast: limit)
            if !counted {
                throw PolicyViolation(
                    limit: .maxRepeatedToolCalls,
                    limitValue: limit,
                    attempted: identicalCount + 1,
                    tool: tool,
                    message: "tool \"\(tool)\" was called \(identicalCount) times with these same arguments; "
                        + "maxRepeatedToolCalls is \(limit) (loop detected)"
                )
            }
            counts[.repeatedToolCalls] = max(counts[.repeatedToolCalls], identicalCount + 1)
        }
        counts[.toolCalls] = total + 1
        callsPerTool[tool, default: 0] += 1
    }

    /// Gives back a tool call reserved with ``reserveToolCall(_:argumentsKey:)`` whose body never ran.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: The arguments key passed to the reservation.
    package mutating func refundToolCall(_ tool: String, argumentsKey: String?) {
        guard let toolCount = callsPerTool[tool], toolCount > 0 else { return }
        counts[.toolCalls] = max(0, counts[.toolCalls] - 1)
        callsPerTool[tool] = toolCount > 1 ? toolCount - 1 : nil
        guard let argumentsKey, limits[.repeatedToolCalls] != nil else { return }
        forgiveRepeat(tool, argumentsKey: argumentsKey)
    }

    /// Stops counting one identical call as a repeat: it failed with a retryable error, so the next identical call
    /// is its retry, not a loop.
    ///
    /// The call still counts as a tool call (its body ran); only the repeated-identical-call count goes down.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - argumentsKey: The arguments key passed to the reservation.
    package mutating func forgiveRepeat(_ tool: String, argumentsKey: String) {
        forgiveRepeat(RepeatKey(tool: tool, arguments: argumentsKey))
    }

    /// Stops counting one identical call as a repeat, as ``forgiveRepeat(_:argumentsKey:)`` does, by its key.
    ///
    /// - Parameter key: The key passed to the reservation.
    package mutating func forgiveRepeat(_ key: RepeatKey) {
        guard tracks(.repeatedToolCalls), let identical = identicalCalls[key] else { return }
        identicalCalls.set(key, to: identical > 1 ? identical - 1 : nil)
        counts[.repeatedToolCalls] = identicalCalls.highest
    }

    /// Reserves an estimate of model usage before a model call.
    ///
    /// The reservation is refused when settled usage plus outstanding reservations plus `estimate` would pass a
    /// token or cost limit. Negative parts of `estimate` count as zero.
    ///
    /// - Parameter estimate: The most the call may use.
    /// - Returns: A reservation to pass to ``settle(_:actual:)`` or ``release(_:)``, once.
    /// - Throws: ``PolicyViolation`` naming the limit; nothing is reserved then.
    package mutating func reserveUsage(_ estimate: ModelUsage) throws(PolicyViolation) -> UsageReservation {
        let estimate = estimate.billable
        if let violation = firstExcess(usage + reservedUsage + estimate) { throw violation }
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
    package mutating func settle(_ reservation: UsageReservation, actual: ModelUsage) throws(PolicyViolation) {
        release(reservation)
        try recordUsage(actual)
    }

    /// Gives back a reservation whose work did not happen; a reservation this ledger does not hold (already
    /// settled or released) changes nothing.
    ///
    /// - Parameter reservation: The reservation returned by ``reserveUsage(_:)``.
    package mutating func release(_ reservation: UsageReservation) {
        guard let estimate = outstanding.removeValue(forKey: reservation.id) else { return }
        reservedUsage = reservedUsage - estimate
    }

    /// Gives back every outstanding reservation: for a run that ended while model calls were in flight.
    package mutating func releaseAll() {
        outstanding = [:]
        reservedUsage = .zero
    }

    /// Takes out everything `run` counted (its counted kinds, tool calls per tool and settled usage): for a paused
    /// run that gives its consumption back to a shared budget, or a resume rolled back. The run re-reserves it
    /// when it resumes.
    ///
    /// - Parameter run: The ledger of a run whose work this ledger also counted.
    package mutating func giveBack(_ run: BudgetLedger) {
        for kind in BudgetKind.allCases where tracks(kind) && kind != .repeatedToolCalls {
            guard case .count = kind.measure else { continue }
            counts[kind] = max(0, counts[kind] - run.counts[kind])
        }
        for (tool, calls) in run.callsPerTool {
            let left = (callsPerTool[tool] ?? 0) - calls
            callsPerTool[tool] = left > 0 ? left : nil
        }
        usage = usage - run.usage
    }

    /// Counts `consumption` (work that happened), then reports the first limit it takes this ledger past, if any:
    /// a counted kind, a tool's calls, a usage kind, in table order. The consumption is counted all the same.
    ///
    /// - Parameter consumption: What the runs charged.
    /// - Returns: The first limit passed, or `nil` when everything fits.
    package mutating func absorb(_ consumption: BudgetConsumption) -> PolicyViolation? {
        for (kind, count) in consumption.counts where tracks(kind) {
            guard case .count = kind.measure, kind != .repeatedToolCalls else { continue }
            counts[kind] += count
        }
        for (tool, calls) in consumption.callsPerTool { callsPerTool[tool, default: 0] += calls }
        usage += consumption.usage
        for kind in BudgetKind.allCases where tracks(kind) {
            guard let limit = limits[kind], used(kind) > limit else { continue }
            return PolicyViolation(limit: kind.limit, limitValue: limit, attempted: used(kind))
        }
        for (tool, limit) in limits.maxCallsPerTool.sorted(by: { $0.key < $1.key }) {
            let calls = callsPerTool[tool, default: 0]
            if calls > limit {
                return PolicyViolation(limit: .maxCallsPerTool, limitValue: limit, attempted: calls, tool: tool)
            }
        }
        return nil
    }

    /// Records usage that was not reserved beforehand.
    ///
    /// - Parameter actual: The usage the work reported; negative parts count as zero.
    /// - Throws: ``PolicyViolation`` when the recorded total passes a limit; the usage is recorded all the same.
    ///   The violation's `attempted` is the actual total used, without other calls' outstanding reservations.
    package mutating func recordUsage(_ actual: ModelUsage) throws(PolicyViolation) {
        usage = usage + actual
        if let violation = firstExcess(usage) { throw violation }
    }

    /// The first usage kind, in table order, whose limit `total` passes.
    private func firstExcess(_ total: ModelUsage) -> PolicyViolation? {
        for kind in BudgetKind.allCases {
            guard case .usage(let measure) = kind.measure, let limit = limits[kind] else { continue }
            let amount = measure(total)
            if amount > limit { return PolicyViolation(limit: kind.limit, limitValue: limit, attempted: amount) }
        }
        return nil
    }

    /// What is left of one kind after outstanding reservations, or `nil` when this ledger does not limit it: one
    /// entry of ``remaining``, without building the table.
    ///
    /// - Parameter kind: The kind of limit.
    /// - Returns: What is left, at least zero, or `nil`.
    package func left(_ kind: BudgetKind) -> Int64? {
        guard tracks(kind), let limit = limits[kind] else { return nil }
        return max(0, limit - committed(kind))
    }

    /// What is left of every limited kind this ledger tracks, after outstanding reservations.
    public var remaining: RemainingBudget {
        var left: [BudgetKind: Int64] = [:]
        for kind in BudgetKind.allCases where tracks(kind) {
            if let limit = limits[kind] { left[kind] = max(0, limit - committed(kind)) }
        }
        let perTool = limits.maxCallsPerTool.reduce(into: [String: Int64]()) { result, entry in
            result[entry.key] = max(0, entry.value - callsPerTool[entry.key, default: 0])
        }
        return RemainingBudget(left, toolCallsPerTool: perTool)
    }

    /// The ledger as a table: one line per kind it tracks, limit beside use, in the order of
    /// ``BudgetKind/allCases``.
    ///
    /// Kinds without a limit still appear, with a `nil` limit; per-tool lines (`toolCalls[<tool>]`) follow the
    /// `toolCalls` line in tool-name order. Usage lines show settled usage, without outstanding reservations.
    public var lines: [BudgetLine] {
        var lines: [BudgetLine] = []
        lines.reserveCapacity(BudgetKind.count + callsPerTool.count + limits.maxCallsPerTool.count)
        for kind in BudgetKind.allCases where tracks(kind) {
            lines.append(BudgetLine(budget: kind.name, limit: limits[kind], used: used(kind)))
            guard kind == .toolCalls, !callsPerTool.isEmpty || !limits.maxCallsPerTool.isEmpty else { continue }
            for tool in Set(callsPerTool.keys).union(limits.maxCallsPerTool.keys).sorted() {
                lines.append(
                    BudgetLine(
                        budget: "toolCalls[\(tool)]",
                        limit: limits.maxCallsPerTool[tool],
                        used: callsPerTool[tool, default: 0]
                    )
                )
            }
        }
        return lines
    }
}

/// A count per ``BudgetKind``, kept at the kind's ``BudgetKind/index`` so that the ledger's hot paths index an array
/// instead of hashing the kind; it encodes as an object keyed by kind name, leaving out zero counts.
private struct KindCounts: Hashable, Sendable, Codable {
    private var figures = [Int64](repeating: 0, count: BudgetKind.count)

    init() {}

    subscript(kind: BudgetKind) -> Int64 {
        get { figures[kind.index] }
        set { figures[kind.index] = newValue }
    }

    init(from decoder: any Decoder) throws {
        for (kind, count) in try [BudgetKind: Int64](from: decoder) { figures[kind.index] = count }
    }

    func encode(to encoder: any Encoder) throws {
        var table: [BudgetKind: Int64] = [:]
        for kind in BudgetKind.allCases where figures[kind.index] != 0 { table[kind] = figures[kind.index] }
        try table.encode(to: encoder)
    }
}
