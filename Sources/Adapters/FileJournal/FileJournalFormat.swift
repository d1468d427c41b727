/// The byte format of a journal file, version 1 (`Docs/FileJournalFormat.md` documents it field by field).
///
/// A file is a 16-byte header followed by records, back to back:
///
/// | Offset | Size | Field |
/// |---|---|---|
/// | 0 | 8 | magic, ASCII `AGJRNL\r\n` |
/// | 8 | 4 | format version, unsigned little-endian: 1 |
/// | 12 | 4 | CRC-32C of bytes 0..<12, little-endian |
///
/// and each record:
///
/// | Offset | Size | Field |
/// |---|---|---|
/// | 0 | 4 | payload length `n`, unsigned little-endian |
/// | 4 | 4 | CRC-32C of the 4 length bytes followed by the payload, little-endian |
/// | 8 | n | payload: the entry's bytes |
///
/// A record's position is its index in the file, from 0. Pure functions only: no I/O.
package enum FileJournalFormat {
    /// The magic that opens every journal file: `AGJRNL\r\n` (the CR LF catches a text-mode transfer).
    package static let magic: [UInt8] = Array("AGJRNL\r\n".utf8)

    /// The format version this module writes and reads.
    package static let version: UInt32 = 1

    /// The header's size in bytes.
    package static let headerSize = 16

    /// A record frame's size before its payload: length and checksum.
    package static let frameOverhead = 8

    /// The largest payload a record can carry: its length is a 32-bit field.
    package static let maximumPayloadLength = Int(UInt32.max)

    /// The file suffix of a journal file: the file of journal `run-1` is `run-1.journal`.
    package static let fileSuffix = ".journal"

    /// The 16 header bytes of a version-1 file.
    package static let header: [UInt8] = {
        var bytes = magic
        appendLittleEndian(version, to: &bytes)
        appendLittleEndian(CRC32C.checksum(bytes), to: &bytes)
        return bytes
    }()

    /// Appends one record's frame (length, checksum, payload) to `buffer`.
    ///
    /// - Parameters:
    ///   - payload: The record's bytes; at most ``maximumPayloadLength`` of them (the caller checks).
    ///   - buffer: The bytes to append to.
    package static func appendFrame(_ payload: [UInt8], to buffer: inout [UInt8]) {
        let length = UInt32(payload.count)
        var lengthBytes: [UInt8] = []
        appendLittleEndian(length, to: &lengthBytes)
        var crc = CRC32C()
        crc.update(lengthBytes)
        crc.update(payload)
        buffer += lengthBytes
        appendLittleEndian(crc.value, to: &buffer)
        buffer += payload
    }

    /// Appends `value` as four little-endian bytes.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - buffer: The bytes to append to.
    package static func appendLittleEndian(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Reads four little-endian bytes at `offset`; the caller checks that they exist.
    ///
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - offset: The first byte's index.
    /// - Returns: The value.
    package static func readLittleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }
}

/// CRC-32C (Castagnoli): polynomial 0x1EDC6F41, reflected (0x82F63B78), initial value and final XOR 0xFFFFFFFF, as
/// in iSCSI (RFC 3720) and ext4. The check value of the ASCII bytes `123456789` is 0xE3069283.
package struct CRC32C: Sendable {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    private var state: UInt32 = 0xFFFF_FFFF

    /// Creates a checksum over no bytes yet.
    package init() {}

    /// The checksum of the bytes so far.
    package var value: UInt32 { state ^ 0xFFFF_FFFF }

    /// Adds `bytes` to the checksum.
    ///
    /// - Parameter bytes: The next bytes.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        let table = Self.table
        var crc = state
        for byte in bytes {
            crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
        }
        state = crc
    }

    /// The checksum of `bytes`.
    ///
    /// - Parameter bytes: The bytes.
    /// - Returns: Their CRC-32C.
    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }
}
