import AgentAdapters
import Testing

/// Parses fixture text as JSON, failing the test when it does not parse.
func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
    do {
        return try JSONValue(parsing: text)
    } catch {
        Issue.record("fixture is not JSON: \(error)", sourceLocation: sourceLocation)
        return .null
    }
}

/// The body of a transport request, parsed.
func body(_ request: TransportRequest) -> JSONValue {
    (try? JSONValue(parsing: String(decoding: request.body, as: UTF8.self))) ?? .null
}

/// A copy of an object with members set or removed.
func editing(_ value: JSONValue, _ edit: (inout [String: JSONValue]) -> Void) -> JSONValue {
    guard case .object(var members) = value else { return value }
    edit(&members)
    return .object(members)
}

/// Every way to cut `bytes` in two, plus byte-by-byte, as chunk lists.
func splits(of bytes: [UInt8]) -> [[[UInt8]]] {
    var result: [[[UInt8]]] = [[bytes], bytes.map { [$0] }]
    for cut in 1..<max(1, bytes.count) {
        result.append([Array(bytes[..<cut]), Array(bytes[cut...])])
    }
    return result
}
