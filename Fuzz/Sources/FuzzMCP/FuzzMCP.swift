import AgentAdapters

@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The data of the events in `chunks`, decoded as ``MCPHTTPTransport`` decodes an event-stream answer; `nil` when an
/// event passed the limit (the transport then fails the request).
func eventStreamMessages(_ chunks: [[UInt8]]) -> [String]? {
    var decoder = ServerSentEventDecoder(maximumEventBytes: 1024)
    var messages: [String] = []
    do {
        for chunk in chunks { messages += try decoder.feed(chunk).map(\.data) }
        messages += try decoder.feed([0x0A, 0x0A]).map(\.data)
    } catch {
        return nil
    }
    return messages
}

/// One input: a line from a server, as the client reads it. Parsing must never trap, and a message that parses must
/// print to one line that parses back to the same message. The client's state machine then takes the same line.
@_cdecl("FuzzMCP_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        let bytes = UnsafeBufferPointer(start: data, count: size)
        // The same bytes as an HTTP event stream, decoded as MCPHTTPTransport does (an event limit, then two line
        // feeds that dispatch a last event left without its blank line), in two chunks or whole: framing never
        // traps, the split changes nothing, and each event's data read as a message never traps.
        let split = eventStreamMessages([Array(bytes.prefix(size / 2)), Array(bytes.dropFirst(size / 2))])
        let whole = eventStreamMessages([Array(bytes)])
        if split != whole {
            fatalError(
                "splitting the event stream changed its messages: "
                    + "\(String(describing: split)) vs \(String(describing: whole))"
            )
        }
        for data in whole ?? [] { _ = try? MCPMessage(parsing: data) }
        let line = String(decoding: bytes, as: UTF8.self)
        if let message = try? MCPMessage(parsing: line) {
            let text = message.jsonText
            if text.contains("\n") { fatalError("a printed message spans lines: \(text)") }
            guard let again = try? MCPMessage(parsing: text) else {
                fatalError("printed message does not parse: \(text)")
            }
            // Equality is structural; NaN cannot occur (JSON text has none), so a round trip must be exact.
            if again != message { fatalError("round trip changed the message: \(line) → \(text)") }
            if case .result(_, let result) = message { _ = try? MCPToolResult(json: result, tool: "fuzz") }
            if case .result(_, let result) = message, let tools = result["tools"]?.arrayValue {
                for tool in tools { _ = MCPToolDefinition(json: tool).map { ToolSchema(mcpSchema: $0.inputSchema) } }
            }
        }
        return 0
    }
}
