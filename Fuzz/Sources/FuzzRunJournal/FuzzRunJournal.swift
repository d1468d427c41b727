// Invariants: reading any bytes as a run journal never traps. (1) The bytes split at newlines, read as stored
// records, either read as run entries or are refused with a typed `DurableRunError` naming a position inside the
// journal; (2) each line that parses as a JSON object without envelope fields, sealed into a fresh chain, is read
// the same way (so the fuzzer reaches the typed field decoding, past the hash checks).
import AgentAdapters
import AgentOrchestration

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let journalID = JournalID(rawValue: "fuzz")!

@_cdecl("FuzzRunJournal_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let stored = lines.enumerated().map { JournalRecord(position: $0.offset, bytes: Array($0.element)) }
        check(stored)
        var chain = JournalChain()
        var sealed: [JournalRecord] = []
        for line in lines {
            guard case .object(let members)? = try? JSONValue(parsing: String(decoding: line, as: UTF8.self)),
                JournalChain.envelopeFields.isDisjoint(with: members.keys),
                let record = try? chain.append(.object(members))
            else { continue }
            sealed.append(record)
        }
        check(sealed)
        return 0
    }
}

/// Reads `records` as a run journal: entries or a typed refusal inside the journal.
func check(_ records: [JournalRecord]) {
    do {
        let kinds = try RunJournal.entryKinds(of: records, id: journalID)
        guard kinds.count == records.count else { fatalError("read \(kinds.count) entries of \(records.count)") }
    } catch {
        if let position = error.position, position < 0 || position > records.count {
            fatalError("refusal outside the journal: \(error)")
        }
    }
}
