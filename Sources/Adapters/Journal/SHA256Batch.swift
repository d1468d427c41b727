/// Messages hashed together: SHA-256 of each, computed four at a time in SIMD lanes (``SHA256Lanes``).
///
/// Writing a hash chain is sequential, but checking a stored one is not: every record carries the hash it chains
/// from, so each record's hash input is known without hashing the one before. A reader collects the inputs here,
/// then ``digests()`` hashes them multi-buffer style: each of four lanes works through one message, and a lane whose
/// message ends takes the next one not yet started, so messages of different lengths keep all four lanes busy until
/// fewer than four are left (an idle lane hashes a block of zeros whose result is dropped).
///
/// Each message is held padded (FIPS 180-4 §5.1.1) in one buffer, so a lane reads whole blocks in place. A digest
/// equals ``SHA256/hash(_:)`` of the message's bytes.
///
/// ```swift
/// var batch = SHA256Batch()
/// batch.append(message: Array("abc".utf8))
/// batch.append(message: [])
/// batch.digests()  // [SHA256.hash("abc"), SHA256.hash([])]
/// ```
package struct SHA256Batch {
    /// The messages, each padded to whole blocks, one after the other.
    private var bytes: [UInt8] = []
    /// Where each finished message starts in `bytes`, and its block count (padding included).
    private var messages: [(start: Int, blocks: Int)] = []
    /// Where the message being appended starts in `bytes`.
    private var openStart = 0

    /// Creates an empty batch.
    package init() {}

    /// How many messages the batch holds.
    package var count: Int { messages.count }

    /// How many bytes the batch holds, padding included.
    package var byteCount: Int { bytes.count }

    /// Reserves room for `messages` messages of about `bytes` bytes in all.
    ///
    /// - Parameters:
    ///   - messages: The number of messages.
    ///   - bytes: Their total length, padding aside.
    package mutating func reserveCapacity(messages: Int, bytes: Int) {
        self.messages.reserveCapacity(messages)
        self.bytes.reserveCapacity(bytes + 72 * messages)
    }

    /// Appends bytes to the message being built (started by the first call after ``finishMessage()``).
    ///
    /// - Parameter part: The message's next bytes.
    package mutating func append(_ part: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: part)
    }

    /// Ends the message being built: pads it and makes it the batch's next message.
    package mutating func finishMessage() {
        let length = bytes.count - openStart
        // Padding: 0x80, zeros up to 56 mod 64, then the message length in bits, big-endian.
        let zeros = (55 - length % 64 + 64) % 64
        bytes.append(0x80)
        bytes.append(contentsOf: repeatElement(0, count: zeros))
        let bitLength = UInt64(length) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        messages.append((start: openStart, blocks: (bytes.count - openStart) / 64))
        openStart = bytes.count
    }

    /// Appends a whole message.
    ///
    /// - Parameter message: The message's bytes.
    package mutating func append(message: some Collection<UInt8>) {
        bytes.append(contentsOf: message)
        finishMessage()
    }

    /// Removes every message, keeping the storage for the next ones.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        messages.removeAll(keepingCapacity: true)
        openStart = 0
    }

    /// The digest of each message, in the order appended.
    ///
    /// - Returns: One digest per message.
    package func digests() -> [SHA256Digest] {
        precondition(openStart == bytes.count, "a message of the batch was begun but not finished")
        var result = [SHA256Digest](repeating: .zero, count: messages.count)
        guard !messages.isEmpty else { return result }
        bytes.withUnsafeBytes { buffer in
            result.withUnsafeMutableBufferPointer { output in
                SHA256Batch.digest(messages, in: buffer.baseAddress!, into: output.baseAddress!)
            }
        }
        return result
    }

    /// Hashes `messages` (padded, in `base`) four lanes at a time and writes each digest to `output`.
    private static func digest(
        _ messages: [(start: Int, blocks: Int)],
        in base: UnsafeRawPointer,
        into output: UnsafeMutablePointer<SHA256Digest>
    ) {
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 16) { zeros in
            zeros.initializeMemory(as: UInt8.self, repeating: 0)
            let idle = UnsafeRawPointer(zeros.baseAddress!)
            var state = SHA256Lanes.initialState
            // Per lane: the message it works on (-1: idle), its next block and how many blocks remain.
            var message = SIMD4<Int>(repeating: -1)
            var pointers = (idle, idle, idle, idle)
            var remaining = SIMD4<Int>(repeating: 0)
            var next = 0
            var active = 0
            /// Starts lane `lane` on the next message, or leaves it idle when none is left.
            func load(_ lane: Int) {
                let pointer: UnsafeRawPointer
                if next < messages.count {
                    message[lane] = next
                    remaining[lane] = messages[next].blocks
                    pointer = base + messages[next].start
                    SHA256Lanes.reset(&state, lane: lane)
                    next += 1
                    active += 1
                } else {
                    message[lane] = -1
                    remaining[lane] = Int.max
                    pointer = idle
                }
                switch lane {
                case 0: pointers.0 = pointer
                case 1: pointers.1 = pointer
                case 2: pointers.2 = pointer
                default: pointers.3 = pointer
                }
            }
            for lane in 0..<4 { load(lane) }
            while active > 0 {
                // Every active lane runs as many blocks as the shortest remainder among them.
                let run = remaining.min()
                let strides = SIMD4<Int>(
                    message[0] < 0 ? 0 : 64,
                    message[1] < 0 ? 0 : 64,
                    message[2] < 0 ? 0 : 64,
                    message[3] < 0 ? 0 : 64
                )
                SHA256Lanes.compress(&state, pointers, strides: strides, count: run)
                pointers.0 += strides[0] * run
                pointers.1 += strides[1] * run
                pointers.2 += strides[2] * run
                pointers.3 += strides[3] * run
                for lane in 0..<4 where message[lane] >= 0 {
                    remaining[lane] -= run
                    guard remaining[lane] == 0 else { continue }
                    output[message[lane]] = SHA256Lanes.digest(of: state, lane: lane)
                    active -= 1
                    load(lane)
                }
            }
        }
    }
}

extension SHA256Lanes {
    /// Sets lane `lane` of `state` to the initial hash value, for a new message.
    static func reset(_ state: inout SHA256LaneState, lane: Int) {
        let initial = initialState
        state.0[lane] = initial.0[lane]
        state.1[lane] = initial.1[lane]
        state.2[lane] = initial.2[lane]
        state.3[lane] = initial.3[lane]
        state.4[lane] = initial.4[lane]
        state.5[lane] = initial.5[lane]
        state.6[lane] = initial.6[lane]
        state.7[lane] = initial.7[lane]
    }

    /// The digest held in lane `lane` of `state`.
    static func digest(of state: SHA256LaneState, lane: Int) -> SHA256Digest {
        SHA256Digest(
            words: (
                UInt64(state.0[lane]) << 32 | UInt64(state.1[lane]),
                UInt64(state.2[lane]) << 32 | UInt64(state.3[lane]),
                UInt64(state.4[lane]) << 32 | UInt64(state.5[lane]), UInt64(state.6[lane]) << 32 | UInt64(state.7[lane])
            )
        )
    }
}
