public import AgentPolicy
public import AgentTaskGraph

extension Orchestrator {
    /// How a graph of agents is scheduled.
    public struct GraphConfiguration: Sendable {
        /// The most node runs in flight at once; at least 1.
        public var maxConcurrency: Int
        /// What a failed node does to the rest of the graph.
        public var failureMode: TaskGraphExecutor.FailureMode
        /// How often to try a node whose agent fails with a retryable error, unless the node says otherwise.
        public var retryPolicy: RetryPolicy

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - maxConcurrency: The most node runs in flight at once.
        ///   - failureMode: What a failed node does to the rest of the graph.
        ///   - retryPolicy: How often to try a node on retryable failures.
        public init(
            maxConcurrency: Int = 8,
            failureMode: TaskGraphExecutor.FailureMode = .failFast,
            retryPolicy: RetryPolicy = .none
        ) {
            self.maxConcurrency = maxConcurrency
            self.failureMode = failureMode
            self.retryPolicy = retryPolicy
        }
    }
}
