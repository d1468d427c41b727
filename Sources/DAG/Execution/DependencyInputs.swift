/// The taken inputs of one node, as the run's loop hands them to the node's child task.
///
/// The loop gathers the outputs without hashing: inline for nodes with up to two inputs, in one array of pairs for
/// more. ``NodeInvocation/dependencyOutputs`` builds the public `[String: Output]` from them when the body reads it.
/// A dictionary set through that property is kept as is.
@usableFromInline
enum DependencyInputs<Output: Sendable>: Sendable {
    /// No input.
    case none
    /// One input: its id and output.
    case one(String, Output)
    /// Two inputs, in dependency order.
    case two(String, Output, String, Output)
    /// Three or more inputs, in dependency order (their ids are distinct).
    case list([(id: String, output: Output)])
    /// A dictionary as given (set through ``NodeInvocation/dependencyOutputs`` or its public initialiser).
    case many([String: Output])

    /// The dictionary a body receives: exactly these inputs, keyed by dependency id.
    @inlinable
    var dictionary: [String: Output] {
        switch self {
        case .none:
            return [:]
        case .one(let id, let output):
            // Not a literal: `[id: output]` would build an array of pairs first.
            var outputs = [String: Output](minimumCapacity: 1)
            outputs[id] = output
            return outputs
        case .two(let firstID, let first, let secondID, let second):
            var outputs = [String: Output](minimumCapacity: 2)
            outputs[firstID] = first
            outputs[secondID] = second
            return outputs
        case .list(let inputs):
            var outputs = [String: Output](minimumCapacity: inputs.count)
            for input in inputs { outputs[input.id] = input.output }
            return outputs
        case .many(let outputs):
            return outputs
        }
    }
}
