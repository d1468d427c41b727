/// A node id with that node's output.
///
/// The value is `Sendable`; it is `Codable`, `Equatable` and `Hashable` when `Output` is.
public struct NodeOutput<Output: Sendable>: Sendable {
    /// The node id.
    public var id: String
    /// The node's output.
    public var output: Output

    /// Creates a pair.
    ///
    /// - Parameters:
    ///   - id: The node id.
    ///   - output: The node's output.
    public init(id: String, output: Output) {
        self.id = id
        self.output = output
    }
}

extension NodeOutput: Equatable where Output: Equatable {}
extension NodeOutput: Hashable where Output: Hashable {}
extension NodeOutput: Encodable where Output: Encodable {}
extension NodeOutput: Decodable where Output: Decodable {}
