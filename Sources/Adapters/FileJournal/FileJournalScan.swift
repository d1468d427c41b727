/// What a journal file's bytes hold: its whole records, and the damaged tail after them, if any.
///
/// ``scan(_:)`` reads the bytes of a file (see ``FileJournalFormat``) from the start and stops at the first record
/// that is not whole: fewer than 8 bytes left for its length and checksum, a payload that runs past the end, or a
/// checksum that does not match. What follows that point is the damaged tail a file store cuts off. One case is not
/// a tail: a record whose checksum does not match but which is followed by a whole, valid record was damaged in the
/// middle of the file (a torn write only ever damages the end), and ``scan(_:)`` refuses the file instead of
/// dropping the records after it.
///
/// A file shorter than the header is a file whose header was never written whole (a crash right after creating it):
/// it holds no records and its bytes are all tail. Pure: no I/O.
package struct FileJournalScan: Hashable, Sendable {
    /// The byte offset of each whole record's frame (its length field), in position order.
    package var frameOffsets: [Int] = []
    /// The byte range of each whole record's payload, in position order.
    package var payloads: [Range<Int>] = []
    /// The length of the header and the whole records: where the file is cut. 0 when the header is not whole.
    package var validLength = 0
    /// What damaged the bytes after ``validLength``, or `nil` when there are none.
    package var damage: FileJournalRecovery.Damage?

    /// Why ``FileJournalScan/scan(_:)`` refused a file.
    package enum Failure: Error, Hashable, Sendable {
        /// The file does not start with a journal header (wrong magic or header checksum).
        case notAJournal
        /// The header names a format version this module does not read.
        case unsupportedVersion(UInt32)
        /// The record at `position` (frame at byte `offset`) is damaged, and a whole record follows it.
        case corruptRecord(position: Int, offset: Int)
    }

    /// Scans the bytes of a journal file.
    ///
    /// - Parameter bytes: The file's bytes, from offset 0.
    /// - Returns: The whole records and the damaged tail.
    /// - Throws: ``Failure`` when the bytes are not a journal of this format or are damaged before the tail.
    package static func scan(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> FileJournalScan {
        var scan = FileJournalScan()
        let headerSize = FileJournalFormat.headerSize
        guard bytes.count >= headerSize else {
            scan.damage = bytes.isEmpty ? nil : .shortHeader
            return scan
        }
        guard bytes[0..<8].elementsEqual(FileJournalFormat.magic) else { throw .notAJournal }
        let version = FileJournalFormat.readLittleEndian(bytes, at: 8)
        guard version == FileJournalFormat.version else { throw .unsupportedVersion(version) }
        guard
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<12]))
                == FileJournalFormat.readLittleEndian(bytes, at: 12)
        else { throw .notAJournal }
        scan.scanRecords(in: bytes, from: headerSize)
        if let failure = scan.failure { throw failure }
        return scan
    }

    /// Scans bytes that hold records only, no header: the records a store read from an offset it wrote itself.
    ///
    /// - Parameter bytes: The records' bytes.
    /// - Returns: The whole records (offsets relative to `bytes`) and the damaged tail.
    /// - Throws: ``Failure/corruptRecord(position:offset:)`` when a damaged record is followed by a whole one.
    package static func scanRecords(_ bytes: [UInt8]) throws(Failure) -> FileJournalScan {
        var scan = FileJournalScan()
        bytes.withUnsafeBytes { scan.scanRecords(in: $0, from: 0) }
        if let failure = scan.failure { throw failure }
        return scan
    }

    /// A damaged record followed by a whole one, found by ``scanRecords(in:from:)``.
    private var failure: Failure?

    /// Reads frames from `start` to the first one that is not whole.
    private mutating func scanRecords(in bytes: UnsafeRawBufferPointer, from start: Int) {
        var offset = start
        while offset < bytes.count {
            switch Self.frame(in: bytes, at: offset) {
            case .whole(let payload):
                frameOffsets.append(offset)
                payloads.append(payload)
                offset = payload.upperBound
                continue
            case .shortLengthPrefix:
                damage = .shortLengthPrefix
            case .shortRecord:
                damage = .shortRecord
            case .checksumMismatch(let end):
                if end < bytes.count, case .whole = Self.frame(in: bytes, at: end) {
                    failure = .corruptRecord(position: payloads.count, offset: offset)
                }
                damage = .checksumMismatch
            }
            break
        }
        validLength = offset
    }

    /// Scans the bytes of a journal file.
    ///
    /// - Parameter bytes: The file's bytes, from offset 0.
    /// - Returns: The whole records and the damaged tail.
    /// - Throws: ``Failure`` when the bytes are not a journal of this format or are damaged before the tail.
    package static func scan(_ bytes: [UInt8]) throws(Failure) -> FileJournalScan {
        let result: Result<FileJournalScan, Failure> = bytes.withUnsafeBytes { buffer in
            do throws(Failure) { return .success(try scan(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The payloads of the whole records, copied out of `bytes`.
    ///
    /// - Parameter bytes: The bytes that were scanned.
    /// - Returns: One array per whole record, in position order.
    package func payloadBytes(in bytes: [UInt8]) -> [[UInt8]] {
        payloads.map { Array(bytes[$0]) }
    }

    /// One frame read at an offset.
    private enum Frame {
        case whole(payload: Range<Int>)
        case shortLengthPrefix
        case shortRecord
        case checksumMismatch(end: Int)
    }

    /// Reads the frame at `offset` without trusting any of its bytes.
    private static func frame(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Frame {
        let overhead = FileJournalFormat.frameOverhead
        guard bytes.count - offset >= overhead else { return .shortLengthPrefix }
        let length = Int(FileJournalFormat.readLittleEndian(bytes, at: offset))
        guard length <= bytes.count - offset - overhead else { return .shortRecord }
        let payload = (offset + overhead)..<(offset + overhead + length)
        var crc = CRC32C()
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + 4)]))
        crc.update(UnsafeRawBufferPointer(rebasing: bytes[payload]))
        guard crc.value == FileJournalFormat.readLittleEndian(bytes, at: offset + 4) else {
            return .checksumMismatch(end: payload.upperBound)
        }
        return .whole(payload: payload)
    }
}
