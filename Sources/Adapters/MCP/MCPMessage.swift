/// One JSON-RPC 2.0 message of the Model Context Protocol: a request, a notification, a result or an error.
///
/// Messages are values: ``init(parsing:)`` reads one line of text (as the stdio transport frames them) with the
/// library's JSON parser, ``jsonText`` prints one line with its printer. Anything that is not a single JSON-RPC 2.0
/// object (batches were removed from MCP in 2025-06-18) is refused with ``MCPError/Code/malformedMessage``, naming
/// what is wrong.
///
/// ```swift
/// let message = try MCPMessage(parsing: #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
/// // .result(id: .number(1), result: [:])
/// ```
public enum MCPMessage: Hashable, Sendable {
    /// A request that expects a response with the same id.
    case request(id: MCPRequestID, method: String, params: JSONValue?)
    /// A notification: no id, no response.
    case notification(method: String, params: JSONValue?)
    /// A successful response to the request with this id.
    case result(id: MCPRequestID, result: JSONValue)
    /// An error response; the id is `nil` when the peer could not read the request's id.
    case error(id: MCPRequestID?, MCPErrorObject)

    /// Reads one message from JSON text.
    ///
    /// - Parameter text: One JSON-RPC message (a line without its newline).
    /// - Throws: ``MCPError`` with code ``MCPError/Code/malformedMessage`` when the text is not JSON (the message
    ///   gives the parser's line and column) or not a JSON-RPC 2.0 message (the message names the member).
    public init(parsing text: String) throws(MCPError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            throw .malformed("not JSON: \(error.description)")
        }
        try self.init(json: json)
    }

    /// Reads one message from its JSON value.
    ///
    /// - Parameter json: A JSON-RPC 2.0 message object.
    /// - Throws: ``MCPError`` with code ``MCPError/Code/malformedMessage`` naming the offending member.
    public init(json: JSONValue) throws(MCPError) {
        guard case .object(let members) = json else {
            throw .malformed("a JSON-RPC message must be one JSON object (batches are not part of MCP)")
        }
        guard members["jsonrpc"] == .string("2.0") else {
            throw .malformed("member \"jsonrpc\" must be \"2.0\"")
        }
        let params = members["params"]
        if let params, params.objectValue == nil, params.arrayValue == nil {
            throw .malformed("member \"params\" must be an object")
        }
        let id = members["id"]
        if let method = members["method"] {
            guard let name = method.stringValue else { throw .malformed("member \"method\" must be a string") }
            guard let id else {
                self = .notification(method: name, params: params)
                return
            }
            guard let requestID = MCPRequestID(json: id) else {
                throw .malformed("member \"id\" of request \"\(name)\" must be a string or an integer")
            }
            self = .request(id: requestID, method: name, params: params)
            return
        }
        let result = members["result"]
        let error = members["error"]
        if result != nil, error != nil { throw .malformed("a response has both \"result\" and \"error\"") }
        if let error {
            guard let object = MCPErrorObject(json: error) else {
                throw .malformed("member \"error\" must be an object with an integer \"code\" and a string \"message\"")
            }
            if id == nil || id == .null {
                self = .error(id: nil, object)
                return
            }
            guard let requestID = id.flatMap(MCPRequestID.init(json:)) else {
                throw .malformed("member \"id\" of an error response must be a string, an integer or null")
            }
            self = .error(id: requestID, object)
            return
        }
        guard let result else {
            throw .malformed("a message needs \"method\" (request or notification), \"result\" or \"error\"")
        }
        guard let requestID = id.flatMap(MCPRequestID.init(json:)) else {
            throw .malformed("member \"id\" of a response must be a string or an integer")
        }
        self = .result(id: requestID, result: result)
    }

    /// The message as a JSON object.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            members["id"] = id.json
            members["method"] = .string(method)
            if let params { members["params"] = params }
        case .notification(let method, let params):
            members["method"] = .string(method)
            if let params { members["params"] = params }
        case .result(let id, let result):
            members["id"] = id.json
            members["result"] = result
        case .error(let id, let error):
            members["id"] = id?.json ?? .null
            members["error"] = error.json
        }
        return .object(members)
    }

    /// The message as one line of JSON text, without a newline (JSON strings escape theirs).
    public var jsonText: String { json.jsonText() }
}

/// The `error` member of a JSON-RPC error response.
public struct MCPErrorObject: Hashable, Sendable {
    /// The JSON-RPC error code, such as `-32602` (invalid params) or `-32601` (method not found).
    public var code: Int64
    /// The peer's short description.
    public var message: String
    /// Extra information the peer attached, if any.
    public var data: JSONValue?

    /// Creates an error object.
    ///
    /// - Parameters:
    ///   - code: The JSON-RPC error code.
    ///   - message: A short description.
    ///   - data: Extra information, if any.
    public init(code: Int64, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// Reads an error object, or `nil` when `json` lacks an integer `code` or a string `message`.
    ///
    /// - Parameter json: The `error` member of a response.
    public init?(json: JSONValue) {
        guard let code = json["code"]?.integerValue, case .integer = json["code"],
            let message = json["message"]?.stringValue
        else { return nil }
        self.init(code: code, message: message, data: json["data"])
    }

    /// The error object in JSON form.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["code": .integer(code), "message": .string(message)]
        if let data { members["data"] = data }
        return .object(members)
    }

    /// JSON-RPC's "Method not found".
    public static let methodNotFoundCode: Int64 = -32601
}
