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
    /// Nodes that never started.
    public var skipped: Int

    /// Creates counts.
    ///
    /// - Parameters:
    ///   - succeeded: Nodes that succeeded.
    ///   - failed: Nodes that failed.
    ///   - timedOut: Nodes that timed out.
    ///   - cancelled: Nodes that were cancelled while running.
    ///   - skipped: Nodes that never started.
    public init(succeeded: Int = 0, failed: Int = 0, timedOut: Int = 0, cancelled: Int = 0, skipped: Int = 0) {
        self.succeeded = succeeded
        self.failed = failed
        self.timedOut = timedOut
        self.cancelled = cancelled
        self.skipped = skipped
    }

    /// Counts statuses.
    ///
    /// - Parameter statuses: The statuses to count.
    public init(_ statuses: some Sequence<NodeStatus>) {
        self.init()
        for status in statuses {
            switch status {
            case .succeeded: succeeded += 1
            case .failed: failed += 1
            case .timedOut: timedOut += 1
            case .cancelled: cancelled += 1
            case .skipped: skipped += 1
            }
        }
    }

    /// The number of nodes counted.
    public var total: Int { succeeded + failed + timedOut + cancelled + skipped }
}
