public import AgentPolicy

extension TaskGraphExecutor {
    /// What a run does after a node fails, times out or is cancelled on its own.
    public enum FailureMode: String, Hashable, Codable, Sendable {
        /// Stop at the first failure: cancel the nodes in flight (reported ``NodeStatus/cancelled``) and skip every
        /// node not yet started.
        case failFast
        /// Skip only the failed node's transitive dependents; every node that does not depend on it still runs.
        case continueIndependent
    }

    /// The settings of a ``TaskGraphExecutor``: one value with a default for every field.
    ///
    /// Every default is finite and safe: at most 8 nodes at a time, fail-fast, no timeouts, no retries. Invalid
    /// values make ``TaskGraphExecutor/run(_:body:)`` throw ``TaskGraphError/Code/invalidConfiguration`` before any
    /// node runs. The value is `Sendable`; ``onEvent`` must be `@Sendable`.
    public struct Configuration: Sendable {
        /// The largest number of nodes running at once; at least 1. The executor fills it whenever enough nodes are
        /// ready.
        public var maxConcurrency: Int
        /// What a run does after a node fails.
        public var failureMode: FailureMode
        /// The longest one attempt of a node may run; `nil` for no limit. An attempt still running at its timeout
        /// is cancelled and the node ends ``NodeStatus/timedOut`` (timeouts are not retried). Must be positive.
        public var nodeTimeout: Duration?
        /// Per-node attempt timeouts, overriding ``nodeTimeout`` for the nodes they name.
        public var nodeTimeouts: [String: Duration]
        /// The longest the whole run may take; `nil` for no limit. When it passes, nodes in flight are cancelled,
        /// unstarted nodes are skipped and the run ends `RunStatus.timedOut`. Zero or negative means the
        /// run times out before any node starts.
        public var runTimeout: Duration?
        /// The retry policy of every node.
        public var retryPolicy: RetryPolicy
        /// Per-node retry policies, overriding ``retryPolicy`` for the nodes they name.
        public var nodeRetryPolicies: [String: RetryPolicy]
        /// The node whose output is the run's final output; `nil` to use all sinks' outputs.
        public var outputNode: String?
        /// Called synchronously for every ``TaskGraphEvent``; must return quickly and must not block. Observers cannot
        /// change the run.
        public var onEvent: (@Sendable (TaskGraphEvent) -> Void)?

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - maxConcurrency: The largest number of nodes running at once; at least 1.
        ///   - failureMode: What a run does after a node fails.
        ///   - nodeTimeout: The longest one attempt of a node may run.
        ///   - nodeTimeouts: Per-node attempt timeouts.
        ///   - runTimeout: The longest the whole run may take.
        ///   - retryPolicy: The retry policy of every node.
        ///   - nodeRetryPolicies: Per-node retry policies.
        ///   - outputNode: The node whose output is the run's final output.
        ///   - onEvent: Called synchronously for every event.
        public init(
            maxConcurrency: Int = 8,
            failureMode: FailureMode = .failFast,
            nodeTimeout: Duration? = nil,
            nodeTimeouts: [String: Duration] = [:],
            runTimeout: Duration? = nil,
            retryPolicy: RetryPolicy = .none,
            nodeRetryPolicies: [String: RetryPolicy] = [:],
            outputNode: String? = nil,
            onEvent: (@Sendable (TaskGraphEvent) -> Void)? = nil
        ) {
            self.maxConcurrency = maxConcurrency
            self.failureMode = failureMode
            self.nodeTimeout = nodeTimeout
            self.nodeTimeouts = nodeTimeouts
            self.runTimeout = runTimeout
            self.retryPolicy = retryPolicy
            self.nodeRetryPolicies = nodeRetryPolicies
            self.outputNode = outputNode
            self.onEvent = onEvent
        }

        /// The retry policy of one node.
        @inlinable
        func retryPolicy(of node: String) -> RetryPolicy {
            nodeRetryPolicies.isEmpty ? retryPolicy : nodeRetryPolicies[node] ?? retryPolicy
        }

        /// The attempt timeout of one node.
        @inlinable
        func timeout(of node: String) -> Duration? {
            nodeTimeouts.isEmpty ? nodeTimeout : nodeTimeouts[node] ?? nodeTimeout
        }

        /// Checks the configuration against a validated graph.
        @usableFromInline
        func check(against graph: ValidatedGraph) throws(TaskGraphError) {
            guard maxConcurrency >= 1 else {
                throw .invalidConfiguration(
                    "maxConcurrency is \(maxConcurrency); allow at least 1 node at a time."
                )
            }
            if let problem = retryPolicy.problem {
                throw .invalidConfiguration("The retry policy is invalid: \(problem)")
            }
            if let nodeTimeout, nodeTimeout <= .zero {
                throw .invalidConfiguration("nodeTimeout must be positive; use nil for no timeout.")
            }
            for (node, policy) in nodeRetryPolicies.sorted(by: { $0.key < $1.key }) {
                guard graph.index[node] != nil else {
                    throw .invalidConfiguration(
                        "nodeRetryPolicies names \"\(node)\", which is not in the graph; remove it or fix the id.",
                        nodes: [node]
                    )
                }
                if let problem = policy.problem {
                    throw .invalidConfiguration("The retry policy of \"\(node)\" is invalid: \(problem)", nodes: [node])
                }
            }
            for (node, timeout) in nodeTimeouts.sorted(by: { $0.key < $1.key }) {
                guard graph.index[node] != nil else {
                    throw .invalidConfiguration(
                        "nodeTimeouts names \"\(node)\", which is not in the graph; remove it or fix the id.",
                        nodes: [node]
                    )
                }
                guard timeout > .zero else {
                    throw .invalidConfiguration("The timeout of \"\(node)\" must be positive.", nodes: [node])
                }
            }
            if let outputNode, graph.index[outputNode] == nil {
                throw .invalidConfiguration(
                    "outputNode is \"\(outputNode)\", which is not in the graph; name one of its nodes or use nil.",
                    nodes: [outputNode]
                )
            }
        }
    }
}
