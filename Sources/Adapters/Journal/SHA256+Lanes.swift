/// The eight working words of four SHA-256 computations side by side: lane `i` of each vector is computation `i`.
typealias SHA256LaneState = (
    SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>,
    SIMD4<UInt32>
)

/// SHA-256's compression function run on four messages at once, one per lane of `SIMD4<UInt32>` words (SSE2 on
/// x86-64, NEON on arm64; plain Swift, no intrinsics).
///
/// The rounds are those of ``SHA256/compress(_:_:count:)`` (unrolled, literal constants, renamed working variables,
/// a sixteen-word schedule in locals) with every word a vector: one instruction does a round's step for four
/// messages. Rotations are written as nested shifts, never as `(x >> n) | (x << (32 - n))`: the compiler turns that
/// form into a vector rotate, which SSE2 lacks and x86-64 then does one lane at a time. The bitwise operations are
/// `SIMDMask`'s (see the extension below), which stay whole vectors. Lanes are independent; a lane whose message has no block left is fed a block of zeros and its result
/// ignored (``SHA256Batch`` arranges that).
enum SHA256Lanes {
    /// The initial hash value `H0…H7`, one word per lane alike.
    static let initialState: SHA256LaneState = (
        SIMD4(repeating: 0x6a09_e667), SIMD4(repeating: 0xbb67_ae85), SIMD4(repeating: 0x3c6e_f372),
        SIMD4(repeating: 0xa54f_f53a), SIMD4(repeating: 0x510e_527f), SIMD4(repeating: 0x9b05_688c),
        SIMD4(repeating: 0x1f83_d9ab), SIMD4(repeating: 0x5be0_cd19)
    )

    /// Compresses `count` blocks per lane into `state`: lane `i` reads its blocks from `blocks.i` on, advancing
    /// `strides[i]` bytes a block (64, or 0 for a lane fed the same block of zeros).
    ///
    /// - Parameters:
    ///   - state: The four computations' working words, updated in place.
    ///   - blocks: Each lane's first block, at any alignment.
    ///   - strides: How far each lane's block pointer moves per block: 64 or 0.
    ///   - count: How many blocks to compress in every lane.
    static func compress(
        _ state: inout SHA256LaneState,
        _ blocks: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer),
        strides: SIMD4<Int>,
        count: Int
    ) {
        var working = state
        var (block0, block1, block2, block3) = blocks
        for _ in 0..<count {
            compressBlock(&working, block0, block1, block2, block3)
            block0 += strides[0]
            block1 += strides[1]
            block2 += strides[2]
            block3 += strides[3]
        }
        state = working
    }

    /// Compresses one block per lane into `state`.
    @inline(__always)
    private static func compressBlock(
        _ state: inout SHA256LaneState,
        _ block0: UnsafeRawPointer,
        _ block1: UnsafeRawPointer,
        _ block2: UnsafeRawPointer,
        _ block3: UnsafeRawPointer
    ) {
        @inline(__always)
        func word(_ index: Int) -> SIMD4<UInt32> {
            let offset = 4 * index
            return SIMD4(
                UInt32(bigEndian: block0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                UInt32(bigEndian: block1.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                UInt32(bigEndian: block2.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                UInt32(bigEndian: block3.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            )
        }
        var w0 = word(0)
        var w1 = word(1)
        var w2 = word(2)
        var w3 = word(3)
        var w4 = word(4)
        var w5 = word(5)
        var w6 = word(6)
        var w7 = word(7)
        var w8 = word(8)
        var w9 = word(9)
        var w10 = word(10)
        var w11 = word(11)
        var w12 = word(12)
        var w13 = word(13)
        var w14 = word(14)
        var w15 = word(15)
        var (a, b, c, d, e, f, g, h) = state
        // Round t works on (a…h) renamed t places, as in the scalar compression.
        do {
            round(a, b, c, &d, e, f, g, &h, 0x428a_2f98, w0)
            round(h, a, b, &c, d, e, f, &g, 0x7137_4491, w1)
            round(g, h, a, &b, c, d, e, &f, 0xb5c0_fbcf, w2)
            round(f, g, h, &a, b, c, d, &e, 0xe9b5_dba5, w3)
            round(e, f, g, &h, a, b, c, &d, 0x3956_c25b, w4)
            round(d, e, f, &g, h, a, b, &c, 0x59f1_11f1, w5)
            round(c, d, e, &f, g, h, a, &b, 0x923f_82a4, w6)
            round(b, c, d, &e, f, g, h, &a, 0xab1c_5ed5, w7)
            round(a, b, c, &d, e, f, g, &h, 0xd807_aa98, w8)
            round(h, a, b, &c, d, e, f, &g, 0x1283_5b01, w9)
            round(g, h, a, &b, c, d, e, &f, 0x2431_85be, w10)
            round(f, g, h, &a, b, c, d, &e, 0x550c_7dc3, w11)
            round(e, f, g, &h, a, b, c, &d, 0x72be_5d74, w12)
            round(d, e, f, &g, h, a, b, &c, 0x80de_b1fe, w13)
            round(c, d, e, &f, g, h, a, &b, 0x9bdc_06a7, w14)
            round(b, c, d, &e, f, g, h, &a, 0xc19b_f174, w15)
            w0 = schedule(w0, w1, w9, w14)
            round(a, b, c, &d, e, f, g, &h, 0xe49b_69c1, w0)
            w1 = schedule(w1, w2, w10, w15)
            round(h, a, b, &c, d, e, f, &g, 0xefbe_4786, w1)
            w2 = schedule(w2, w3, w11, w0)
            round(g, h, a, &b, c, d, e, &f, 0x0fc1_9dc6, w2)
            w3 = schedule(w3, w4, w12, w1)
            round(f, g, h, &a, b, c, d, &e, 0x240c_a1cc, w3)
            w4 = schedule(w4, w5, w13, w2)
            round(e, f, g, &h, a, b, c, &d, 0x2de9_2c6f, w4)
            w5 = schedule(w5, w6, w14, w3)
            round(d, e, f, &g, h, a, b, &c, 0x4a74_84aa, w5)
            w6 = schedule(w6, w7, w15, w4)
            round(c, d, e, &f, g, h, a, &b, 0x5cb0_a9dc, w6)
            w7 = schedule(w7, w8, w0, w5)
            round(b, c, d, &e, f, g, h, &a, 0x76f9_88da, w7)
            w8 = schedule(w8, w9, w1, w6)
            round(a, b, c, &d, e, f, g, &h, 0x983e_5152, w8)
            w9 = schedule(w9, w10, w2, w7)
            round(h, a, b, &c, d, e, f, &g, 0xa831_c66d, w9)
            w10 = schedule(w10, w11, w3, w8)
            round(g, h, a, &b, c, d, e, &f, 0xb003_27c8, w10)
            w11 = schedule(w11, w12, w4, w9)
            round(f, g, h, &a, b, c, d, &e, 0xbf59_7fc7, w11)
            w12 = schedule(w12, w13, w5, w10)
            round(e, f, g, &h, a, b, c, &d, 0xc6e0_0bf3, w12)
            w13 = schedule(w13, w14, w6, w11)
            round(d, e, f, &g, h, a, b, &c, 0xd5a7_9147, w13)
            w14 = schedule(w14, w15, w7, w12)
            round(c, d, e, &f, g, h, a, &b, 0x06ca_6351, w14)
            w15 = schedule(w15, w0, w8, w13)
            round(b, c, d, &e, f, g, h, &a, 0x1429_2967, w15)
            w0 = schedule(w0, w1, w9, w14)
            round(a, b, c, &d, e, f, g, &h, 0x27b7_0a85, w0)
            w1 = schedule(w1, w2, w10, w15)
            round(h, a, b, &c, d, e, f, &g, 0x2e1b_2138, w1)
            w2 = schedule(w2, w3, w11, w0)
            round(g, h, a, &b, c, d, e, &f, 0x4d2c_6dfc, w2)
            w3 = schedule(w3, w4, w12, w1)
            round(f, g, h, &a, b, c, d, &e, 0x5338_0d13, w3)
            w4 = schedule(w4, w5, w13, w2)
            round(e, f, g, &h, a, b, c, &d, 0x650a_7354, w4)
            w5 = schedule(w5, w6, w14, w3)
            round(d, e, f, &g, h, a, b, &c, 0x766a_0abb, w5)
            w6 = schedule(w6, w7, w15, w4)
            round(c, d, e, &f, g, h, a, &b, 0x81c2_c92e, w6)
            w7 = schedule(w7, w8, w0, w5)
            round(b, c, d, &e, f, g, h, &a, 0x9272_2c85, w7)
            w8 = schedule(w8, w9, w1, w6)
            round(a, b, c, &d, e, f, g, &h, 0xa2bf_e8a1, w8)
            w9 = schedule(w9, w10, w2, w7)
            round(h, a, b, &c, d, e, f, &g, 0xa81a_664b, w9)
            w10 = schedule(w10, w11, w3, w8)
            round(g, h, a, &b, c, d, e, &f, 0xc24b_8b70, w10)
            w11 = schedule(w11, w12, w4, w9)
            round(f, g, h, &a, b, c, d, &e, 0xc76c_51a3, w11)
            w12 = schedule(w12, w13, w5, w10)
            round(e, f, g, &h, a, b, c, &d, 0xd192_e819, w12)
            w13 = schedule(w13, w14, w6, w11)
            round(d, e, f, &g, h, a, b, &c, 0xd699_0624, w13)
            w14 = schedule(w14, w15, w7, w12)
            round(c, d, e, &f, g, h, a, &b, 0xf40e_3585, w14)
            w15 = schedule(w15, w0, w8, w13)
            round(b, c, d, &e, f, g, h, &a, 0x106a_a070, w15)
            w0 = schedule(w0, w1, w9, w14)
            round(a, b, c, &d, e, f, g, &h, 0x19a4_c116, w0)
            w1 = schedule(w1, w2, w10, w15)
            round(h, a, b, &c, d, e, f, &g, 0x1e37_6c08, w1)
            w2 = schedule(w2, w3, w11, w0)
            round(g, h, a, &b, c, d, e, &f, 0x2748_774c, w2)
            w3 = schedule(w3, w4, w12, w1)
            round(f, g, h, &a, b, c, d, &e, 0x34b0_bcb5, w3)
            w4 = schedule(w4, w5, w13, w2)
            round(e, f, g, &h, a, b, c, &d, 0x391c_0cb3, w4)
            w5 = schedule(w5, w6, w14, w3)
            round(d, e, f, &g, h, a, b, &c, 0x4ed8_aa4a, w5)
            w6 = schedule(w6, w7, w15, w4)
            round(c, d, e, &f, g, h, a, &b, 0x5b9c_ca4f, w6)
            w7 = schedule(w7, w8, w0, w5)
            round(b, c, d, &e, f, g, h, &a, 0x682e_6ff3, w7)
            w8 = schedule(w8, w9, w1, w6)
            round(a, b, c, &d, e, f, g, &h, 0x748f_82ee, w8)
            w9 = schedule(w9, w10, w2, w7)
            round(h, a, b, &c, d, e, f, &g, 0x78a5_636f, w9)
            w10 = schedule(w10, w11, w3, w8)
            round(g, h, a, &b, c, d, e, &f, 0x84c8_7814, w10)
            w11 = schedule(w11, w12, w4, w9)
            round(f, g, h, &a, b, c, d, &e, 0x8cc7_0208, w11)
            w12 = schedule(w12, w13, w5, w10)
            round(e, f, g, &h, a, b, c, &d, 0x90be_fffa, w12)
            w13 = schedule(w13, w14, w6, w11)
            round(d, e, f, &g, h, a, b, &c, 0xa450_6ceb, w13)
            w14 = schedule(w14, w15, w7, w12)
            round(c, d, e, &f, g, h, a, &b, 0xbef9_a3f7, w14)
            w15 = schedule(w15, w0, w8, w13)
            round(b, c, d, &e, f, g, h, &a, 0xc671_78f2, w15)
        }
        state.0 &+= a
        state.1 &+= b
        state.2 &+= c
        state.3 &+= d
        state.4 &+= e
        state.5 &+= f
        state.6 &+= g
        state.7 &+= h
    }

    /// One round in every lane: `h` becomes the new `a` and `d` the new `e` (the caller renames the others).
    @inline(__always)
    private static func round(
        _ a: SIMD4<UInt32>,
        _ b: SIMD4<UInt32>,
        _ c: SIMD4<UInt32>,
        _ d: inout SIMD4<UInt32>,
        _ e: SIMD4<UInt32>,
        _ f: SIMD4<UInt32>,
        _ g: SIMD4<UInt32>,
        _ h: inout SIMD4<UInt32>,
        _ k: UInt32,
        _ w: SIMD4<UInt32>
    ) {
        // Σ1(e) = ROTR6 ^ ROTR11 ^ ROTR25 and Σ0(a) = ROTR2 ^ ROTR13 ^ ROTR22, each as its three right shifts and
        // its three left shifts, nested.
        let sigma1 = shr(shr(shr(e, 14) ^ e, 5) ^ e, 6) ^ shl(shl(shl(e, 5) ^ e, 14) ^ e, 7)
        let sigma0 = shr(shr(shr(a, 9) ^ a, 11) ^ a, 2) ^ shl(shl(shl(a, 11) ^ a, 9) ^ a, 10)
        let t1 = h &+ sigma1 &+ (g ^ (e & (f ^ g))) &+ SIMD4(repeating: k) &+ w
        let t2 = sigma0 &+ ((a & b) | (c & (a | b)))
        d &+= t1
        h = t1 &+ t2
    }

    /// The next schedule word in every lane, from the words 16, 15, 7 and 2 places back.
    ///
    /// σ0 = ROTR7 ^ ROTR18 ^ SHR3 and σ1 = ROTR17 ^ ROTR19 ^ SHR10, written as nested shifts like the rounds' Σ.
    @inline(__always)
    private static func schedule(
        _ w16: SIMD4<UInt32>,
        _ w15: SIMD4<UInt32>,
        _ w7: SIMD4<UInt32>,
        _ w2: SIMD4<UInt32>
    ) -> SIMD4<UInt32> {
        let s0 = shr(shr(shr(w15, 11) ^ w15, 4) ^ w15, 3) ^ shl(shl(w15, 11) ^ w15, 14)
        let s1 = shr(shr(shr(w2, 2) ^ w2, 7) ^ w2, 10) ^ shl(shl(w2, 2) ^ w2, 13)
        return w16 &+ s0 &+ w7 &+ s1
    }

    /// Shifts every lane left by `count` bits.
    @inline(__always)
    private static func shl(_ value: SIMD4<UInt32>, _ count: UInt32) -> SIMD4<UInt32> {
        value &<< count
    }

    /// Shifts every lane right by `count` bits.
    @inline(__always)
    private static func shr(_ value: SIMD4<UInt32>, _ count: UInt32) -> SIMD4<UInt32> {
        value &>> count
    }
}

/// Bitwise operations on lane words as single vector instructions.
///
/// The standard library's generic `SIMD` `^`, `&` and `|` work lane by lane, and the optimizer re-vectorises them;
/// in code as long as the rounds it regroups them by lane and interleaves the lanes with shuffles (measured: more
/// than twice the instructions, slower than scalar code). `SIMDMask`'s `.^`, `.&` and `.|` are single vector
/// operations, so the lane words borrow them: same bits, no shuffles.
extension SIMD4 where Scalar == UInt32 {
    /// The words' bits as a mask vector.
    @inline(__always)
    fileprivate var bits: SIMDMask<SIMD4<Int32>> { SIMDMask(unsafeBitCast(self, to: SIMD4<Int32>.self)) }

    /// Words from a mask vector's bits.
    @inline(__always)
    fileprivate init(bits: SIMDMask<SIMD4<Int32>>) { self = unsafeBitCast(bits._storage, to: SIMD4<UInt32>.self) }

    /// Exclusive or, lane by lane, in one vector operation.
    @inline(__always)
    fileprivate static func ^ (a: Self, b: Self) -> Self { Self(bits: a.bits .^ b.bits) }

    /// And, lane by lane, in one vector operation.
    @inline(__always)
    fileprivate static func & (a: Self, b: Self) -> Self { Self(bits: a.bits .& b.bits) }

    /// Or, lane by lane, in one vector operation.
    @inline(__always)
    fileprivate static func | (a: Self, b: Self) -> Self { Self(bits: a.bits .| b.bits) }
}
