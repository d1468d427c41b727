/// The final output of a graph run, defined by the graph and never by timing.
///
/// With ``TaskGraphExecutor/Configuration/outputNode`` set, the final output is that node's output; otherwise it is
/// the outputs of all sinks (nodes no other node depends on) in declaration order. Two runs whose sinks finish in
/// different orders produce the same value and the same encoding. The value is `Sendable`; it is `Codable`,
/// `Equatable` and `Hashable` when `Output` is (encoded as `{"node": {"id": …, "output": …}}` or
/// `{"sinks": {"outputs": [{"id": …, "output": …}]}}`).
public enum GraphFinalOutput<Output: Sendable>: Sendable {
    /// The designated output node's output.
    ///
    /// - Parameters:
    ///   - id: The output node's id.
    ///   - output: Its output.
    case node(id: String, output: Output)

    /// Every sink's output, in declaration order.
    ///
    /// - Parameter outputs: The sink ids with their outputs.
    case sinks(outputs: [NodeOutput<Output>])
}

extension GraphFinalOutput: Equatable where Output: Equatable {}
extension GraphFinalOutput: Hashable where Output: Hashable {}
extension GraphFinalOutput: Encodable where Output: Encodable {}
extension GraphFinalOutput: Decodable where Output: Decodable {}
