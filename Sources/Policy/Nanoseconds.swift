/// A duration or an offset as a whole number of nanoseconds: the library's one time type in reports and events.
///
/// `Duration` itself encodes as two 64-bit words of attoseconds, which nobody can read; reports use this type,
/// which encodes as a bare integer (`1500000000`). Fields of this type are named `…Nanoseconds`
/// (`startNanoseconds`, `endNanoseconds`, `durationNanoseconds`). Conversions from `Duration` use integer
/// arithmetic only: they truncate toward zero below a nanosecond and **saturate** at `Int64.min` and `Int64.max`
/// (about ±292 years) instead of wrapping or trapping.
///
/// Printed, a value reads in the largest unit that divides it exactly (see ``description``): `1500 ms`, `2 s`,
/// `1234 ns`. That is the one text form, used by every report's and event's description.
public struct Nanoseconds: Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The number of nanoseconds.
    public var rawValue: Int64

    /// Creates a value from a count of nanoseconds.
    ///
    /// - Parameter rawValue: The number of nanoseconds.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Creates a value from an integer literal counting nanoseconds.
    ///
    /// - Parameter value: The number of nanoseconds.
    public init(integerLiteral value: Int64) { rawValue = value }

    /// Converts a duration, truncating toward zero below a nanosecond and saturating beyond `Int64` nanoseconds.
    ///
    /// - Parameter duration: The duration to convert; beyond about ±292 years it gives `Int64.max` or `Int64.min`.
    public init(_ duration: Duration) {
        // The exact 128-bit attosecond count, divided with truncation toward zero; `clamping` saturates.
        rawValue = Int64(clamping: duration.attoseconds / 1_000_000_000)
    }

    /// Zero nanoseconds.
    public static let zero = Nanoseconds(rawValue: 0)

    /// The value as a `Duration`.
    public var duration: Duration { .nanoseconds(rawValue) }

    /// Decodes a bare integer.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The decoder's error.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Encodes a bare integer.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Orders by value.
    public static func < (lhs: Nanoseconds, rhs: Nanoseconds) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The value in the largest unit that divides it exactly, a space, and the unit's symbol.
    ///
    /// The units are `s`, `ms`, `µs` and `ns`: 1,500,000,000 prints `1500 ms`, 2,000,000,000 prints `2 s`, 1,234
    /// prints `1234 ns`, zero prints `0 ns`, and negative values print with a minus sign (`-5 ms`).
    public var description: String {
        if rawValue != 0, rawValue % 1_000_000_000 == 0 { return "\(rawValue / 1_000_000_000) s" }
        if rawValue != 0, rawValue % 1_000_000 == 0 { return "\(rawValue / 1_000_000) ms" }
        if rawValue != 0, rawValue % 1_000 == 0 { return "\(rawValue / 1_000) µs" }
        return "\(rawValue) ns"
    }
}
