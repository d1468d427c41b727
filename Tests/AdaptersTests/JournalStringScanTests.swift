import AgentAdapters
import Testing

/// Strings in the canonical scan: wherever a quote, a backslash, a control character or a non-ASCII character sits
/// in a string (at every offset, so across any eight-byte word a faster scan might skip), the single pass must read
/// what the full path reads.
@Suite("Journal strings scanned a word at a time", .timeLimit(.suite))
struct JournalStringScanTests {
    @Test("A special byte at every offset of strings of every length up to 40 reads as the full path reads it")
    func specialBytesAtEveryOffset() throws {
        let specials: [String] = ["\"", "\\", "\n", "\t", "\u{08}", "\u{0C}", "\r", "/", "é", "😀", "~", "\u{7F}"]
        var chain = JournalChain()
        var records: [JournalRecord] = []
        var entries: [[String: JSONValue]] = []
        for length in 0...40 {
            for offset in 0..<max(1, length) {
                for special in specials {
                    var text = Array(repeating: "a", count: length).joined()
                    if length > 0 {
                        let index = text.index(text.startIndex, offsetBy: offset)
                        text.replaceSubrange(index...index, with: special)
                    }
                    let entry: [String: JSONValue] = ["s": .string(text), "t": .string(text + "z")]
                    entries.append(entry)
                    records.append(try chain.append(.object(entry)))
                }
            }
        }
        var refused = 0
        for (record, entry) in zip(records, entries) {
            let read = record.bytes.withUnsafeBufferPointer { JournalChain.readCanonicalRecord($0, knownVersion: 1) }
            if read == nil { refused += 1 }
            #expect(read?.members == entry, "\(entry)")
        }
        #expect(refused == 0)
        let (read, members) = try JournalChain.read(records)
        #expect(members == entries)
        #expect(read.headHash == chain.headHash)
    }

    @Test("Control characters written as \\u00xx still take the full path")
    func controlEscapes() throws {
        for offset in 0..<12 {
            var chain = JournalChain()
            var text = Array(repeating: "b", count: 12)
            text[offset] = "\u{01}"
            let entry: [String: JSONValue] = ["s": .string(text.joined())]
            let record = try chain.append(.object(entry))
            let read = record.bytes.withUnsafeBufferPointer { JournalChain.readCanonicalRecord($0, knownVersion: 1) }
            #expect(read == nil, "\(offset)")
            #expect(try JournalChain.read([record]).entries == [entry])
        }
    }
}
