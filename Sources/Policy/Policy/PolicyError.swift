/// An invalid policy or budget configuration, found when the value is constructed.
///
/// Every error names the offending ``field`` and, where there is one, the offending ``value``, so the message says
/// exactly what to change. Errors compare by all fields.
public struct PolicyError: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    /// What kind of mistake the configuration makes.
    ///
    /// Codes are a struct with static members rather than an enum, so new codes never break a client's `switch`.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its stable name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A limit is negative. Limits are counts or quantities: zero allows nothing, and there is no "unlimited".
        public static let negativeLimit = Code(rawValue: "negativeLimit")
        /// A timeout is zero or negative.
        public static let nonPositiveTimeout = Code(rawValue: "nonPositiveTimeout")
        /// A tool pattern is empty, has characters outside `A–Z a–z 0–9 _ - . : /` and `*`, or repeats `**`.
        public static let malformedPattern = Code(rawValue: "malformedPattern")
        /// A tool name is empty or has characters outside `A–Z a–z 0–9 _ - . : /`.
        public static let invalidToolName = Code(rawValue: "invalidToolName")

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What kind of mistake the configuration makes.
    public var code: Code
    /// The configuration field at fault, for example `maxToolCalls` or `allowedTools[1]`.
    public var field: String
    /// The offending value as text, if there is one.
    public var value: String?
    /// What went wrong and what to do about it.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of mistake the configuration makes.
    ///   - field: The configuration field at fault.
    ///   - value: The offending value as text.
    ///   - message: What went wrong and what to do about it.
    public init(code: Code, field: String, value: String?, message: String) {
        self.code = code
        self.field = field
        self.value = value
        self.message = message
    }

    /// A one-line summary naming the field.
    public var description: String { "PolicyError.\(code) (\(field)): \(message)" }

    static func negative(_ field: String, _ value: Int64) -> PolicyError {
        PolicyError(
            code: .negativeLimit,
            field: field,
            value: String(value),
            message: "\(field) is \(value); limits must be zero or more (zero allows nothing)"
        )
    }

    static func check(_ value: Int64, _ field: String) throws(PolicyError) {
        if value < 0 { throw negative(field, value) }
    }

    static func check(_ value: Int64?, _ field: String) throws(PolicyError) {
        if let value, value < 0 { throw negative(field, value) }
    }
}
