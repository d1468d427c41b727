/// A duration or an offset in whole nanoseconds, as reports encode it.
///
/// Reports never encode `Duration` directly (it encodes as two words of a 128-bit attosecond count); they use this
/// type, which encodes as a bare integer. Conversions use integer arithmetic only: sub-nanosecond parts are
/// truncated toward zero and values beyond `Int64` are clamped.
public struct TaskGraphNanoseconds: Hashable, Comparable, Codable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// The number of nanoseconds.
    public var rawValue: Int64

    /// Creates a value from a number of nanoseconds.
    ///
    /// - Parameter rawValue: The number of nanoseconds.
    public init(rawValue: Int64) { self.rawValue = rawValue }

    /// Creates a value from an integer literal counting nanoseconds.
    ///
    /// - Parameter value: The number of nanoseconds.
    public init(integerLiteral value: Int64) { rawValue = value }

    /// Creates a value from a `Duration`, truncating to whole nanoseconds.
    ///
    /// - Parameter duration: The duration to convert.
    public init(_ duration: Duration) {
        rawValue = Int64(clamping: duration.attoseconds / 1_000_000_000)
    }

    /// Decodes a bare integer.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: An error if the value is not an integer.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Encodes a bare integer.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: An error if the encoder fails.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The value as a `Duration`.
    public var duration: Duration { .nanoseconds(rawValue) }

    /// The number of nanoseconds followed by `ns`.
    public var description: String { "\(rawValue)ns" }

    /// Orders values by their number of nanoseconds.
    ///
    /// - Parameters:
    ///   - lhs: A value.
    ///   - rhs: Another value.
    /// - Returns: Whether `lhs` is shorter than `rhs`.
    public static func < (lhs: TaskGraphNanoseconds, rhs: TaskGraphNanoseconds) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
