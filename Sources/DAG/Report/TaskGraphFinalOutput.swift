/// The final output of a graph run, defined by the graph and never by timing.
///
/// With ``TaskGraphExecutor/Configuration/outputNode`` set, the final output is that node's output; otherwise it is
/// the outputs of all sinks (nodes no other node depends on) in declaration order. Two runs whose sinks finish in
/// different orders produce the same value and the same encoding. The value is `Sendable`; it is `Codable`,
/// `Equatable` and `Hashable` when `Output` is.
///
/// Encoded flat, with a `kind` key beside the case's fields: `{"kind": "node", "id": …, "output": …}` or
/// `{"kind": "sinks", "outputs": [{"id": …, "output": …}]}`. An output that encodes as `null` is kept.
public enum TaskGraphFinalOutput<Output: Sendable>: Sendable {
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

    private enum CodingKeys: String, CodingKey {
        case kind, id, output, outputs
    }
}

extension TaskGraphFinalOutput: Equatable where Output: Equatable {}
extension TaskGraphFinalOutput: Hashable where Output: Hashable {}

extension TaskGraphFinalOutput: Encodable where Output: Encodable {
    /// Encodes the case's name under `kind` and its fields beside it.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's or an output's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .node(let id, let output):
            try container.encode("node", forKey: .kind)
            try container.encode(id, forKey: .id)
            try container.encode(output, forKey: .output)
        case .sinks(let outputs):
            try container.encode("sinks", forKey: .kind)
            try container.encode(outputs, forKey: .outputs)
        }
    }
}

extension TaskGraphFinalOutput: Decodable where Output: Decodable {
    /// Decodes the shape ``encode(to:)`` writes.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` if `kind` is neither `node` nor `sinks`, or a field is missing or has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "node":
            self = .node(
                id: try container.decode(String.self, forKey: .id),
                output: try container.decode(Output.self, forKey: .output)
            )
        case "sinks":
            self = .sinks(outputs: try container.decode([NodeOutput<Output>].self, forKey: .outputs))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: container,
                debugDescription: "unknown final output kind \"\(kind)\"; expected \"node\" or \"sinks\""
            )
        }
    }
}
