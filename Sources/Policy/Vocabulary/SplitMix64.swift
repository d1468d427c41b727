/// The SplitMix64 pseudo-random generator: small, fast, seedable and the same on every platform.
///
/// This is Steele, Lea and Flood's generator ("Fast Splittable Pseudorandom Number Generators", OOPSLA 2014) in the
/// reference form of Sebastiano Vigna's `splitmix64.c`: each call adds the golden gamma `0x9E3779B97F4A7C15` to the
/// state and returns the state mixed with the multipliers `0xBF58476D1CE4E5B9` and `0x94D049BB133111EB` (shifts 30,
/// 27 and 31). Seeded with 0 it returns `0xE220A8397B1DCDAF`, `0x6E789E6AA1B965F4`, `0x06C45D188009454F`, … on every
/// platform, so a seed reproduces a sequence exactly.
///
/// The library uses it for ``RetryPolicy/Jitter`` and seeded execution ids; tests and benchmarks use it for
/// reproducible random inputs. It is not cryptographically secure.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let roll = Int.random(in: 1...6, using: &generator)
/// ```
///
/// A value type: a copy continues from the same state independently of the original. It is `Sendable`; to share one
/// sequence between tasks, keep it behind a lock.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The state: the last value the gamma was added to.
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    ///
    /// - Parameter seed: Any value; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// Advances the state and returns the next value of the sequence.
    ///
    /// - Returns: A value uniformly distributed over all of `UInt64`.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
