/// The taken inputs of one node, as the run's loop hands them to the node's child task.
///
/// The loop gathers the outputs without hashing or allocating for nodes with up to two inputs; the child builds
/// the public `[String: Output]` of ``NodeInvocation/dependencyOutputs`` from them, off the loop. Nodes with more
/// inputs get their dictionary built on the loop, as before.
@usableFromInline
enum DependencyInputs<Output: Sendable>: Sendable {
    case none
    case one(String, Output)
    case two(String, Output, String, Output)
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
        case .many(let outputs):
            return outputs
        }
    }
}
