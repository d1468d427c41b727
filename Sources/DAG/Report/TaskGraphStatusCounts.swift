/// How many nodes of a run ended in each ``NodeStatus``.
public struct TaskGraphStatusCounts: Hashable, Codable, Sendable {
    /// Nodes that succeeded.
    public var succeeded: Int
    /// Nodes that failed.
    public var failed: Int
    /// Nodes that timed out.
    public var timedOut: Int
    /// Nodes that were cancelled while running.
    public var cancelled: Int
    /// Nodes that never started because a dependency did not succeed or the run stopped.
    public var skipped: Int
    /// Nodes that never started because their branch was not taken.
    public var skippedByBranch: Int

    /// Creates counts.
    ///
    /// - Parameters:
    ///   - succeeded: Nodes that succeeded.
    ///   - failed: Nodes that failed.
    ///   - timedOut: Nodes that timed out.
    ///   - cancelled: Nodes that were cancelled while running.
    ///   - skipped: Nodes that never started because a dependency did not succeed or the run stopped.
    ///   - skippedByBranch: Nodes that never started because their branch was not taken.
    public init(
        succeeded: Int = 0,
        failed: Int = 0,
        timedOut: Int = 0,
        cancelled: Int = 0,
        skipped: Int = 0,
        skippedByBranch: Int = 0
    ) {
        self.succeeded = succeeded
        self.failed = failed
        self.timedOut = timedOut
        self.cancelled = cancelled
        self.skipped = skipped
        self.skippedByBranch = skippedByBranch
    }

    private enum CodingKeys: String, CodingKey { case succeeded, failed, timedOut, cancelled, skipped, skippedByBranch }

    /// Decodes counts; a missing `skippedByBranch` (reports written before routing existed) is 0.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for a missing or mistyped count.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            succeeded: try container.decode(Int.self, forKey: .succeeded),
            failed: try container.decode(Int.self, forKey: .failed),
            timedOut: try container.decode(Int.self, forKey: .timedOut),
            cancelled: try container.decode(Int.self, forKey: .cancelled),
            skipped: try container.decode(Int.self, forKey: .skipped),
            skippedByBranch: try container.decodeIfPresent(Int.self, forKey: .skippedByBranch) ?? 0
        )
    }

    /// Encodes the counts; `skippedByBranch` only when it is not 0, so reports of runs without routing read as
    /// they did before routing existed.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(succeeded, forKey: .succeeded)
        try container.encode(failed, forKey: .failed)
        try container.encode(timedOut, forKey: .timedOut)
        try container.encode(cancelled, forKey: .cancelled)
        try container.encode(skipped, forKey: .skipped)
        if skippedByBranch != 0 { try container.encode(skippedByBranch, forKey: .skippedByBranch) }
    }

    /// Counts statuses.
    ///
    /// - Parameter statuses: The statuses to count.
    public init(_ statuses: some Sequence<NodeStatus>) {
        self.init()
        for status in statuses { add(status) }
    }

    /// Counts one more status.
    @inlinable
    mutating func add(_ status: NodeStatus) {
        switch status {
        case .succeeded: succeeded += 1
        case .failed: failed += 1
        case .timedOut: timedOut += 1
        case .cancelled: cancelled += 1
        case .skipped: skipped += 1
        case .skippedByBranch: skippedByBranch += 1
        }
    }

    /// The number of nodes counted.
    public var total: Int { succeeded + failed + timedOut + cancelled + skipped + skippedByBranch }
}
