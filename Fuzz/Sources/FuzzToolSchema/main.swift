// Fuzzes reading a JSON Schema (as an MCP server or a stored report sends it) into a ToolSchema, and validating
// values against it. Invariants: no crash and no hang (reference cycles must end in a violation); rendering is
// stable (decode ∘ render is idempotent after one round); validating the input document against itself ends.
import AgentAdapters

@_silgen_name("LLVMFuzzerRunDriver")
func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzToolSchema_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return llvmFuzzerRunDriver(&count, &arguments) { data, size in
        guard let data else { return 0 }
        let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        guard let value = try? JSONValue(parsing: text),
            let schema = try? JSONValueDecoder().decode(ToolSchema.self, from: value)
        else { return 0 }
        _ = schema.validate(value)
        _ = schema.validate(.null)
        guard let once = try? JSONValueDecoder().decode(ToolSchema.self, from: schema.jsonSchema) else {
            fatalError("a rendered schema does not decode: \(schema.jsonSchema.jsonText())")
        }
        guard let twice = try? JSONValueDecoder().decode(ToolSchema.self, from: once.jsonSchema), twice == once else {
            fatalError("rendering is not stable: \(once.jsonSchema.jsonText())")
        }
        return 0
    }
}
