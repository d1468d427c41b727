// Invariants: reading any bytes as a journal file never crashes; the records it recovers are a prefix of whole
// records (the header and their frames, re-encoded, are exactly the first `wholeLength` bytes); there is damage
// exactly when bytes follow that prefix; and reading the recovered prefix again gives the same records, undamaged
// (what a store's recovery leaves is a clean journal).
import AgentAdapters
import AgentFileJournal

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let journal = JournalID(rawValue: "fuzz")!

@_cdecl("FuzzFileJournal_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        guard let contents = try? FileJournalContents(decoding: bytes, of: journal) else { return 0 }
        let whole = contents.wholeLength
        guard whole <= bytes.count else { fatalError("wholeLength \(whole) beyond \(bytes.count) bytes") }
        guard contents.records.map(\.position) == Array(0..<contents.records.count) else {
            fatalError("positions are not 0..<\(contents.records.count)")
        }
        if whole == 0 {
            guard contents.records.isEmpty, bytes.count < 16 else { fatalError("records without a whole header") }
        } else {
            guard FileJournalContents.encode(contents.records) == Array(bytes[0..<whole]) else {
                fatalError("the recovered records are not the first \(whole) bytes")
            }
        }
        guard (contents.damage == nil) == (whole == bytes.count) else {
            fatalError(
                "damage \(String(describing: contents.damage)) with \(bytes.count - whole) bytes after the records"
            )
        }
        guard let again = try? FileJournalContents(decoding: Array(bytes[0..<whole]), of: journal),
            again.records == contents.records, again.damage == nil
        else { fatalError("the recovered prefix does not read back as the same clean journal") }
        return 0
    }
}
