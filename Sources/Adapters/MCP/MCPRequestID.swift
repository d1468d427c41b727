/// The `id` of a JSON-RPC request: a string or an integer, as the Model Context Protocol allows (never `null`).
///
/// ``MCPClient`` numbers its own requests from 1; a server may use either form for the requests it sends.
public enum MCPRequestID: Hashable, Sendable, CustomStringConvertible {
    /// An integer id.
    case number(Int64)
    /// A string id.
    case string(String)

    /// Reads an id from its JSON form, or `nil` when `json` is neither a string nor an integer.
    ///
    /// - Parameter json: The JSON value of an `id` member.
    public init?(json: JSONValue) {
        switch json {
        case .integer(let number): self = .number(number)
        case .string(let text): self = .string(text)
        default: return nil
        }
    }

    /// The id in JSON form.
    public var json: JSONValue {
        switch self {
        case .number(let number): .integer(number)
        case .string(let text): .string(text)
        }
    }

    /// The id as JSON text: `7` or `"abc"`.
    public var description: String { json.jsonText() }
}
