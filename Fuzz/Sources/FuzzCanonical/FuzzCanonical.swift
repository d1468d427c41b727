// Invariants: (1) any JSON text's RFC 8785 form parses back, and canonicalizing that value again gives the same
// bytes (reading integers beyond ±(2^53 - 1) as the numbers they were printed from); (2) an object without envelope fields, sealed into a journal chain, verifies, and its stored bytes parse
// back to the sealed entry; (3) verifying arbitrary bytes as a journal (one record per line) never traps, and
// whatever it reports lies within the journal.
import AgentAdapters

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzCanonical_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        checkJournal(bytes)
        guard let value = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) else { return 0 }
        let canonical = value.canonicalJSONBytes()
        guard let reparsed = try? JSONValue(parsing: String(decoding: canonical, as: UTF8.self)) else {
            fatalError("RFC 8785 output does not parse: \(String(decoding: canonical, as: UTF8.self))")
        }
        // The canonical text writes integral doubles below 1e21 as digits, which the library's parser reads back as
        // `.integer`; beyond ±(2^53 - 1) those would hash as digit strings, so read them as the doubles they were.
        guard reparsed.integersBeyondSafeRangeAsNumbers.canonicalJSONBytes() == canonical else {
            fatalError("RFC 8785 output is not a fixed point: \(String(decoding: canonical, as: UTF8.self))")
        }
        if case .object(let members) = value, JournalChain.envelopeFields.isDisjoint(with: members.keys) {
            var chain = JournalChain()
            guard let record = try? chain.append(value) else { fatalError("append refused a plain object") }
            guard JournalChain.verify([record]) == .verified(count: 1, headHash: chain.headHash) else {
                fatalError("a freshly sealed entry does not verify: \(String(decoding: record.bytes, as: UTF8.self))")
            }
            guard var stored = try? JournalChain.readEntry(record) else { fatalError("stored entry does not read") }
            for field in JournalChain.envelopeFields { stored[field] = nil }
            guard JSONValue.object(stored) == value else { fatalError("the stored entry differs from the sealed one") }
        }
        return 0
    }
}

/// Verifies `bytes` split at newlines as a journal: it must not trap, and a fault must point inside the journal.
func checkJournal(_ bytes: [UInt8]) {
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    let records = lines.enumerated().map { JournalRecord(position: $0.offset, bytes: Array($0.element)) }
    switch JournalChain.verify(records, expectedCount: max(0, records.count - 1)) {
    case .verified(let verified, _):
        guard verified <= records.count else { fatalError("verified more entries than there are") }
    case .failed(let fault):
        guard fault.position >= 0, fault.position <= records.count else {
            fatalError("fault outside the journal: \(fault)")
        }
    }
}

extension JSONValue {
    /// The value with every `.integer` beyond ±(2^53 − 1) turned into the `.number` it equals.
    var integersBeyondSafeRangeAsNumbers: JSONValue {
        switch self {
        case .integer(let integer) where integer.magnitude > UInt64(JSONValue.largestCanonicalInteger):
            .number(Double(integer))
        case .array(let elements): .array(elements.map(\.integersBeyondSafeRangeAsNumbers))
        case .object(let members): .object(members.mapValues(\.integersBeyondSafeRangeAsNumbers))
        default: self
        }
    }
}
