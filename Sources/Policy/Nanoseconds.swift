/// A duration as a whole number of nanoseconds: how reports encode time.
///
/// `Duration` itself encodes as two 64-bit words of attoseconds, which nobody can read; reports use this type,
/// which encodes as a bare integer. The conversion uses integer arithmetic only.
public struct Nanoseconds: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// The number of nanoseconds.
    public var rawValue: Int64

    /// Creates a value from a count of nanoseconds.
    ///
    /// - Parameter rawValue: The number of nanoseconds.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Converts a duration, truncating below a nanosecond and saturating beyond `Int64` nanoseconds.
    ///
    /// - Parameter duration: The duration to convert.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflowSum) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        // Durations beyond about 292 years saturate instead of wrapping.
        rawValue = overflow || overflowSum ? (seconds < 0 ? Int64.min : Int64.max) : total
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

    /// The value in the largest whole unit: "1500 ms", "2 s" or "1234 ns".
    public var description: String {
        if rawValue != 0, rawValue % 1_000_000_000 == 0 { return "\(rawValue / 1_000_000_000) s" }
        if rawValue != 0, rawValue % 1_000_000 == 0 { return "\(rawValue / 1_000_000) ms" }
        if rawValue != 0, rawValue % 1_000 == 0 { return "\(rawValue / 1_000) µs" }
        return "\(rawValue) ns"
    }
}
