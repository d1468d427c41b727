import AgentAdapters
import AgentPolicy
import Testing

@testable import AgentFileJournal

@Suite("File journal format")
struct FileJournalFormatTests {
    @Test("CRC-32C matches the published check values")
    func crc32cVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        // RFC 3720, appendix B.4.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum([]) == 0)
    }

    @Test("the header is the magic, version 1 and the header's checksum")
    func header() {
        let header = FileJournalFormat.header
        #expect(header.count == 16)
        #expect(Array(header[0..<8]) == Array("AGJRNL\r\n".utf8))
        #expect(Array(header[8..<12]) == [1, 0, 0, 0])
        let crc = CRC32C.checksum(header[0..<12])
        #expect(Array(header[12..<16]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) })
    }

    @Test("a frame is the length, the checksum of length and payload, then the payload")
    func frame() {
        var frame: [UInt8] = []
        FileJournalFormat.appendFrame(Array("hi".utf8), to: &frame)
        #expect(Array(frame[0..<4]) == [2, 0, 0, 0])
        let crc = CRC32C.checksum([2, 0, 0, 0] + Array("hi".utf8))
        #expect(Array(frame[4..<8]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: crc >> $0) })
        #expect(Array(frame[8...]) == Array("hi".utf8))
        // A zero-filled region is never a valid empty record: the checksum covers the length.
        var empty: [UInt8] = []
        FileJournalFormat.appendFrame([], to: &empty)
        #expect(empty != [UInt8](repeating: 0, count: 8))
    }

    @Test("a file cut anywhere scans as exactly the whole records before the cut")
    func everyCutIsAPrefix() throws {
        var generator = SplitMix64(seed: 9)
        let payloads: [[UInt8]] = (0..<6).map { index in
            (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) } + [UInt8(index)]
        }
        var file = FileJournalFormat.header
        var ends: [Int] = []
        for payload in payloads {
            FileJournalFormat.appendFrame(payload, to: &file)
            ends.append(file.count)
        }
        for cut in 0...file.count {
            let scan = try FileJournalScan.scan(Array(file[0..<cut]))
            let whole = cut < 16 ? 0 : ends.filter { $0 <= cut }.count
            #expect(scan.payloads.count == whole, "cut at \(cut)")
            #expect(scan.payloadBytes(in: Array(file[0..<cut])) == Array(payloads.prefix(whole)), "cut at \(cut)")
            let expectedLength = cut < 16 ? 0 : (whole == 0 ? 16 : ends[whole - 1])
            #expect(scan.validLength == expectedLength, "cut at \(cut)")
            #expect((scan.damage == nil) == (cut == expectedLength), "cut at \(cut)")
        }
    }

    @Test("a damaged record followed by a whole one is refused, not cut")
    func middleDamageIsRefused() throws {
        var file = FileJournalFormat.header
        for payload in ["one", "two", "three"] { FileJournalFormat.appendFrame(Array(payload.utf8), to: &file) }
        var damaged = file
        damaged[16 + 8 + 1] ^= 0x01  // a payload byte of record 0
        #expect(throws: FileJournalScan.Failure.corruptRecord(position: 0, offset: 16)) {
            try FileJournalScan.scan(damaged)
        }
        var lastDamaged = file
        lastDamaged[file.count - 1] ^= 0x80
        let scan = try FileJournalScan.scan(lastDamaged)
        #expect(scan.payloads.count == 2)
        #expect(scan.damage == .checksumMismatch)
    }

    @Test("a wrong magic, header checksum or version is refused")
    func badHeaders() {
        var magic = FileJournalFormat.header
        magic[0] = UInt8(ascii: "X")
        #expect(throws: FileJournalScan.Failure.notAJournal) { try FileJournalScan.scan(magic) }
        var checksum = FileJournalFormat.header
        checksum[15] ^= 1
        #expect(throws: FileJournalScan.Failure.notAJournal) { try FileJournalScan.scan(checksum) }
        var version = Array(FileJournalFormat.header[0..<8])
        FileJournalFormat.appendLittleEndian(2, to: &version)
        FileJournalFormat.appendLittleEndian(CRC32C.checksum(version), to: &version)
        #expect(throws: FileJournalScan.Failure.unsupportedVersion(2)) { try FileJournalScan.scan(version) }
    }
}

@Suite("File journal contents")
struct FileJournalContentsTests {
    @Test("encoded records decode back; a torn copy decodes to its whole records")
    func roundTrip() throws {
        let run = journalID("copied")
        let stored = records(["{\"kind\":\"a\"}", "", "third"])
        let bytes = FileJournalContents.encode(stored)
        let contents = try FileJournalContents(decoding: bytes, of: run)
        #expect(contents.records == stored && contents.wholeLength == bytes.count && contents.damage == nil)
        let torn = try FileJournalContents(decoding: Array(bytes.dropLast(2)), of: run)
        #expect(torn.records == Array(stored.prefix(2)) && torn.damage == .shortRecord)
        #expect(torn.wholeLength == FileJournalContents.encode(Array(stored.prefix(2))).count)
        #expect(try FileJournalContents(decoding: [], of: run).records.isEmpty)
    }

    @Test("bytes that are not a journal are refused as corrupt, naming the journal")
    func refusesOtherBytes() {
        #expect {
            try FileJournalContents(decoding: Array("not a journal file".utf8), of: journalID("other"))
        } throws: { error in
            guard let error = error as? CheckpointStoreError else { return false }
            return error.code == .corrupt && error.journal == journalID("other")
        }
    }
}
