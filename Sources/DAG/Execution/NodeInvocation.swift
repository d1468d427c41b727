/// What a node body receives for one attempt.
///
/// ``dependencyOutputs`` holds exactly the outputs of the node's dependencies, keyed by dependency id; every output
/// is included, empty or "falsy" ones (`""`, `0`, `false`, `[]`, `nil`) too. Nodes without dependencies get an
/// empty dictionary. The value is `Sendable`.
public struct NodeInvocation<Output: Sendable>: Sendable {
    /// The node id.
    public var node: String
    /// The attempt number, from 1; above 1 when the body is being retried.
    public var attempt: Int
    /// The outputs of the node's dependencies, keyed by dependency id.
    public var dependencyOutputs: [String: Output]

    /// Creates an invocation.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - attempt: The attempt number, from 1.
    ///   - dependencyOutputs: The outputs of the node's dependencies, keyed by dependency id.
    public init(node: String, attempt: Int, dependencyOutputs: [String: Output]) {
        self.node = node
        self.attempt = attempt
        self.dependencyOutputs = dependencyOutputs
    }
}
