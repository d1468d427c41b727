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
    ///
    /// The executor hands a node's inputs over without a dictionary; it is built here, each time the body reads it
    /// (a body that looks up several inputs reads it once into a local).
    public var dependencyOutputs: [String: Output] {
        get { inputs.dictionary }
        set { inputs = .many(newValue) }
    }
    /// The inputs as the executor gathered them; ``dependencyOutputs`` builds the dictionary from them.
    @usableFromInline var inputs: DependencyInputs<Output>

    /// Creates an invocation.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - attempt: The attempt number, from 1.
    ///   - dependencyOutputs: The outputs of the node's dependencies, keyed by dependency id.
    public init(node: String, attempt: Int, dependencyOutputs: [String: Output]) {
        self.node = node
        self.attempt = attempt
        inputs = .many(dependencyOutputs)
    }

    /// Creates an invocation from the inputs the executor gathered, with no dictionary yet.
    ///
    /// - Parameters:
    ///   - node: The node id.
    ///   - attempt: The attempt number, from 1.
    ///   - inputs: The outputs of the node's taken inputs.
    @inlinable
    init(node: String, attempt: Int, inputs: DependencyInputs<Output>) {
        self.node = node
        self.attempt = attempt
        self.inputs = inputs
    }
}
