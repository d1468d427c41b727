// Invariants: the server-sent event decoder never crashes; the events it returns, the way the stream ends and
// whether an event exceeds the size limit do not depend on how the bytes are split into chunks.
import AgentAdapters

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Decodes `bytes` in chunks whose sizes cycle through `sizes`; nil when an event exceeded the limit.
func decode(_ bytes: [UInt8], sizes: [Int]) -> ([ServerSentEvent], ServerSentEventStreamEnd)? {
    var decoder = ServerSentEventDecoder(maximumEventBytes: 512)
    var events: [ServerSentEvent] = []
    var start = 0
    var turn = 0
    while start < bytes.count {
        let end = min(bytes.count, start + max(1, sizes[turn % sizes.count]))
        guard let more = try? decoder.feed(bytes[start..<end]) else { return nil }
        events += more
        start = end
        turn += 1
    }
    return (events, decoder.finish())
}

@_cdecl("FuzzSSE_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let whole = decode(bytes, sizes: [max(1, bytes.count)])
        // Chunk sizes taken from the input itself, so the fuzzer explores splits too.
        let seeded = bytes.prefix(8).map { Int($0 % 16) + 1 }
        for sizes in [[1], [2, 3], seeded.isEmpty ? [5] : seeded] {
            let split = decode(bytes, sizes: sizes)
            switch (whole, split) {
            case (nil, nil): continue
            case (let a?, let b?) where a.0 == b.0 && a.1 == b.1: continue
            default:
                fatalError(
                    "splitting into chunks of \(sizes) changed the result: \(String(describing: whole)) vs \(String(describing: split))"
                )
            }
        }
        return 0
    }
}
