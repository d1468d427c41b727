// Invariants: the OpenAI and Anthropic stream decoders never crash on any bytes, and the deltas, the assembled
// response or the error code they give do not depend on how the bytes are split into chunks.
import AgentAdapters

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// What a decoder made of a stream: the deltas so far and the response, or the error code.
struct Outcome: Equatable {
    var deltas: [ModelDelta] = []
    var response: ModelResponse?
    var errorCode: ModelError.Code?
}

func chunks(_ bytes: [UInt8], size: Int) -> [ArraySlice<UInt8>] {
    stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min(bytes.count, $0 + size)] }
}

func openAI(_ parts: [ArraySlice<UInt8>]) -> Outcome {
    var decoder = OpenAIChatStreamDecoder(model: "fuzz", maximumEventBytes: 1_024)
    var outcome = Outcome()
    do {
        for part in parts { outcome.deltas += try decoder.feed(part) }
        outcome.response = try decoder.finish()
    } catch {
        outcome.errorCode = error.code
    }
    return outcome
}

func anthropic(_ parts: [ArraySlice<UInt8>]) -> Outcome {
    var decoder = AnthropicMessagesStreamDecoder(model: "fuzz", maximumEventBytes: 1_024)
    var outcome = Outcome()
    do {
        for part in parts { outcome.deltas += try decoder.feed(part) }
        outcome.response = try decoder.finish()
    } catch {
        outcome.errorCode = error.code
    }
    return outcome
}

/// Outcomes compare equal except for deltas returned before an error, which depend on where the chunk ended.
func sameResult(_ a: Outcome, _ b: Outcome) -> Bool {
    if a.errorCode != nil || b.errorCode != nil { return a.errorCode == b.errorCode }
    return a == b
}

@_cdecl("FuzzModelStream_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let whole = [bytes[...]]
        let size = Int(bytes.first ?? 0) % 13 + 1
        for decode in [openAI, anthropic] {
            let reference = decode(whole)
            for split in [chunks(bytes, size: 1), chunks(bytes, size: size)] {
                let outcome = decode(split)
                if !sameResult(reference, outcome) {
                    fatalError("splitting changed the decoded stream: \(reference) vs \(outcome)")
                }
            }
        }
        return 0
    }
}
