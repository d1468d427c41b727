// Invariant: any text that parses as JSON prints to text that parses back to an equal value, and printing that
// value again gives the same text (parse → print → parse round trip).
import AgentAdapters

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzJSON_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = UnsafeBufferPointer(start: data, count: size)
        guard let value = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) else { return 0 }
        for pretty in [false, true] {
            let text = value.jsonText(prettyPrinted: pretty)
            guard let reparsed = try? JSONValue(parsing: text) else {
                fatalError("printed JSON does not parse: \(text)")
            }
            guard reparsed == value || !value.isSelfEqual else { fatalError("round trip changed the value: \(text)") }
            guard reparsed.jsonText(prettyPrinted: pretty) == text else {
                fatalError("printing is not stable: \(text)")
            }
        }
        return 0
    }
}

extension JSONValue {
    /// False when the value holds a NaN (never produced by the parser, kept for safety).
    var isSelfEqual: Bool { self == self }
}
