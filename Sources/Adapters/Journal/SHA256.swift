/// SHA-256 (FIPS 180-4), written in the library so that the journal's hash chain needs no package and no Foundation.
///
/// Feed bytes with `update(_:)` in as many pieces as convenient, then read the digest with ``finalize()``; the
/// digest depends only on the concatenated bytes, not on how they were split. ``hash(_:)`` does both for bytes at
/// hand.
///
/// ```swift
/// SHA256.hash(Array("abc".utf8)).description
/// // ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
/// ```
///
/// The type is a `Sendable` value without heap storage: copying a hasher forks the computation, and ``finalize()``
/// does not change the hasher it is called on.
public struct SHA256: Sendable {
    /// The eight working words `H0…H7`.
    private var state: SHA256State
    /// Bytes not yet compressed: fewer than 64, held in a fixed 64-byte block.
    private var buffer: SHA256Block
    /// How many bytes of `buffer` are in use.
    private var bufferCount: Int
    /// Bytes fed so far, for the padding's length field.
    private var byteCount: UInt64

    /// Creates a hasher for an empty message.
    public init() {
        state = (
            0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
        )
        buffer = (0, 0, 0, 0, 0, 0, 0, 0)
        bufferCount = 0
        byteCount = 0
    }

    /// Appends bytes to the message.
    ///
    /// Contiguous collections (arrays, slices of them, `UnsafeRawBufferPointer`s, a string's `utf8` view) are
    /// hashed straight from their storage; other collections a byte at a time.
    ///
    /// - Parameter bytes: The next bytes of the message.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { pointer in
            update(UnsafeRawBufferPointer(pointer))
        }
        if handled == nil {
            for byte in bytes { update(byte: byte) }
        }
    }

    /// Appends the bytes of a raw buffer to the message.
    ///
    /// - Parameter bytes: The next bytes of the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress, !bytes.isEmpty else { return }
        var remaining = bytes.count
        byteCount &+= UInt64(remaining)
        if bufferCount > 0 {
            let taken = min(64 - bufferCount, remaining)
            let start = bufferCount
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.advanced(by: start).copyMemory(from: base, byteCount: taken)
            }
            bufferCount += taken
            base += taken
            remaining -= taken
            guard bufferCount == 64 else { return }
            withUnsafeBytes(of: buffer) { block in SHA256.compress(&state, block.baseAddress!) }
            bufferCount = 0
        }
        let blocks = remaining / 64
        if blocks > 0 {
            SHA256.compress(&state, base, count: blocks)
            base += 64 * blocks
            remaining -= 64 * blocks
        }
        if remaining > 0 {
            let count = remaining
            withUnsafeMutableBytes(of: &buffer) { block in
                block.baseAddress!.copyMemory(from: base, byteCount: count)
            }
            bufferCount = remaining
        }
    }

    /// Appends one byte to the message.
    private mutating func update(byte: UInt8) {
        let index = bufferCount
        withUnsafeMutableBytes(of: &buffer) { block in block[index] = byte }
        bufferCount += 1
        byteCount &+= 1
        if bufferCount == 64 {
            withUnsafeBytes(of: buffer) { block in SHA256.compress(&state, block.baseAddress!) }
            bufferCount = 0
        }
    }

    /// The digest of the bytes fed so far.
    ///
    /// The hasher itself is unchanged: more bytes may follow, and a later call digests the longer message.
    ///
    /// - Returns: The 32-byte digest.
    public func finalize() -> SHA256Digest {
        var copy = self
        let bitLength = byteCount &* 8
        // Padding: 0x80, zeros up to 56 mod 64, then the message length in bits, big-endian.
        var padding: SHA256Block = (0, 0, 0, 0, 0, 0, 0, 0)
        let paddingCount = bufferCount < 56 ? 56 - bufferCount : 120 - bufferCount
        withUnsafeMutableBytes(of: &padding) { bytes in
            bytes[0] = 0x80
            copy.updateWithoutCounting(UnsafeRawBufferPointer(rebasing: bytes[0..<paddingCount]))
        }
        var length = bitLength.bigEndian
        withUnsafeBytes(of: &length) { bytes in copy.updateWithoutCounting(bytes) }
        precondition(copy.bufferCount == 0, "SHA-256 padding must end on a block boundary")
        let s = copy.state
        return SHA256Digest(
            words: (
                UInt64(s.0) << 32 | UInt64(s.1), UInt64(s.2) << 32 | UInt64(s.3),
                UInt64(s.4) << 32 | UInt64(s.5), UInt64(s.6) << 32 | UInt64(s.7)
            )
        )
    }

    /// Feeds padding bytes, which do not count towards the message length.
    private mutating func updateWithoutCounting(_ bytes: UnsafeRawBufferPointer) {
        let count = byteCount
        update(bytes)
        byteCount = count
    }

    /// The digest of `bytes`.
    ///
    /// - Parameter bytes: The whole message.
    /// - Returns: The 32-byte digest.
    public static func hash(_ bytes: some Collection<UInt8>) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// The eight 32-bit working words of a SHA-256 computation.
typealias SHA256State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
/// One 64-byte message block, held inline.
typealias SHA256Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
