/// A SHA-256 digest: 32 bytes, written as 64 lower-case hexadecimal digits.
///
/// ``description`` and the `Codable` form are the hexadecimal text (a single JSON string); ``init(hex:)`` reads it
/// back and accepts lower-case digits only, so that one digest has one text. ``zero`` (32 zero bytes) is the
/// journal chain's genesis value.
///
/// The type is a `Sendable` value; equality and hashing compare the 32 bytes.
public struct SHA256Digest: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 32 bytes as four big-endian 64-bit words.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a digest from its four big-endian 64-bit words.
    init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// The digest of 32 zero bytes' worth: all bits clear. The journal chain starts from it.
    public static let zero = SHA256Digest(words: (0, 0, 0, 0))

    /// Creates a digest from 32 bytes, or `nil` when `bytes` does not hold exactly 32.
    ///
    /// - Parameter bytes: The digest's bytes, in order.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() { words[index / 8] = words[index / 8] << 8 | UInt64(byte) }
        self.words = (words[0], words[1], words[2], words[3])
    }

    /// Parses 64 lower-case hexadecimal digits, or returns `nil` for any other text.
    ///
    /// - Parameter hex: The digest's text, as written by ``description``.
    public init?(hex: some StringProtocol) {
        let parsed =
            hex.utf8.withContiguousStorageIfAvailable(SHA256Digest.parseHex)
            ?? Array(hex.utf8).withUnsafeBufferPointer(SHA256Digest.parseHex)
        guard let parsed else { return nil }
        self = parsed
    }

    /// Parses exactly 64 lower-case hexadecimal digits.
    ///
    /// Eight digits are read at a time, as the bytes of one 64-bit word (a journal parses two digests per entry it
    /// reads): per byte, in parallel, whether it is `0…9` or `a…f` (each bound a carry into the byte's top bit, which
    /// is clear for ASCII) and its value (the low nibble, plus 9 for a letter); the eight nibbles are then packed
    /// into 32 bits. One flag collects any byte that is not a lower-case hex digit.
    static func parseHex(_ digits: UnsafeBufferPointer<UInt8>) -> SHA256Digest? {
        guard digits.count == 64, let base = digits.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var invalid: UInt64 = 0
        @inline(__always)
        func bytes(_ byte: UInt64) -> UInt64 { byte &* 0x0101_0101_0101_0101 }
        /// The 32-bit value of the eight digits at `offset`, the first digit in the top nibble.
        @inline(__always)
        func eight(at offset: Int) -> UInt64 {
            // The first digit in the top byte.
            let text = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let top = bytes(0x80)
            // `byte + (0x80 − bound)` sets the byte's top bit exactly when byte ≥ bound (no carry out of an ASCII
            // byte); a byte with its top bit set is refused below, whatever its neighbours then read.
            let atLeast0 = (text &+ bytes(0x80 - 0x30)) & top
            let above9 = (text &+ bytes(0x80 - 0x3A)) & top
            let atLeastA = (text &+ bytes(0x80 - 0x61)) & top
            let aboveF = (text &+ bytes(0x80 - 0x67)) & top
            let letter = atLeastA & ~aboveF
            let valid = (atLeast0 & ~above9) | letter
            invalid |= (valid ^ top) | (text & top)
            // Each byte's value (0…15), then pairs, quads and the eight packed: byte i's nibble ends up at bits
            // 28 − 4i.
            let values = (text & bytes(0x0F)) &+ (letter >> 7) &* 9
            let pairs = (values | (values >> 4)) & 0x00FF_00FF_00FF_00FF
            let quads = (pairs | (pairs >> 8)) & 0x0000_FFFF_0000_FFFF
            return (quads | (quads >> 16)) & 0xFFFF_FFFF
        }
        @inline(__always)
        func word(at offset: Int) -> UInt64 { eight(at: offset) << 32 | eight(at: offset + 8) }
        let words = (word(at: 0), word(at: 16), word(at: 32), word(at: 48))
        return invalid == 0 ? SHA256Digest(words: words) : nil
    }

    /// The digest's 32 bytes, in order.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        appendBytes(to: &result)
        return result
    }

    /// Appends the digest's 32 bytes to `output`.
    func appendBytes(to output: inout [UInt8]) {
        self.withUnsafeBytes { output.append(contentsOf: $0) }
    }

    /// Appends the digest's 64 lower-case hexadecimal digits between double quotes to `output`, written on the
    /// stack and appended in one copy (no zeros appended first to be overwritten): a previous hash's JSON string as
    /// the seal writes it.
    func appendQuotedHex(to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 66) { text in
            let base = text.baseAddress!
            base.initialize(to: UInt8(ascii: "\""))
            writeHex(to: base + 1)
            (base + 65).initialize(to: UInt8(ascii: "\""))
            output.append(contentsOf: UnsafeBufferPointer(text))
        }
    }

    /// Writes the digest's 64 lower-case hexadecimal digits at `destination`, which must have room for them.
    func writeHex(to destination: UnsafeMutablePointer<UInt8>) {
        @inline(__always)
        func write(_ word: UInt64, at target: UnsafeMutablePointer<UInt8>) {
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: (word >> UInt64(60 - 4 * index)) & 0xF)
                (target + index).initialize(
                    to: nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
                )
            }
        }
        write(words.0, at: destination)
        write(words.1, at: destination + 16)
        write(words.2, at: destination + 32)
        write(words.3, at: destination + 48)
    }

    /// Calls `body` with the digest's 32 bytes, without allocating.
    ///
    /// - Parameter body: A closure reading the bytes; the buffer is valid only during the call.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var bigEndian = (words.0.bigEndian, words.1.bigEndian, words.2.bigEndian, words.3.bigEndian)
        return try Swift.withUnsafeBytes(of: &bigEndian) { (raw: UnsafeRawBufferPointer) throws(Failure) -> Result in
            try body(raw)
        }
    }

    /// The digest as 64 lower-case hexadecimal digits.
    public var description: String {
        String(unsafeUninitializedCapacity: 64) { buffer in
            writeHex(to: buffer.baseAddress!)
            return 64
        }
    }

    /// Compares the 32 bytes.
    ///
    /// - Parameters:
    ///   - lhs: A digest.
    ///   - rhs: Another digest.
    /// - Returns: Whether the bytes are equal.
    public static func == (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    /// Hashes the 32 bytes.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Decodes the hexadecimal text from a single-value container.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the text is not 64 lower-case hexadecimal digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let digest = SHA256Digest(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a SHA-256 digest is 64 lower-case hexadecimal digits, found \"\(text.prefix(80))\""
            )
        }
        self = digest
    }

    /// Encodes the hexadecimal text into a single-value container.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
