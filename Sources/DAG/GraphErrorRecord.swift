/// An error thrown by a node body, as a report stores it.
///
/// Records compare by all fields. ``type`` is the fully qualified type name and ``message`` the error's
/// `String(describing:)`, so errors with a readable description give readable reports.
public struct GraphErrorRecord: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The fully qualified name of the error's type.
    public var type: String
    /// The error's description.
    public var message: String
    /// Whether the error said it could be retried (see ``RetryableError``).
    public var isRetryable: Bool
    /// Whether the error asked the executor to stop the run (see ``GraphStopSignal``).
    public var isStopSignal: Bool

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - type: The fully qualified name of the error's type.
    ///   - message: The error's description.
    ///   - isRetryable: Whether the error said it could be retried.
    ///   - isStopSignal: Whether the error asked the executor to stop the run.
    public init(type: String, message: String, isRetryable: Bool = false, isStopSignal: Bool = false) {
        self.type = type
        self.message = message
        self.isRetryable = isRetryable
        self.isStopSignal = isStopSignal
    }

    /// Creates a record describing an error.
    ///
    /// - Parameter error: The error to describe.
    public init(_ error: any Error) {
        type = String(reflecting: Swift.type(of: error))
        message = String(describing: error)
        isRetryable = (error as? any RetryableError)?.isRetryable ?? false
        isStopSignal = error is any GraphStopSignal
    }

    /// The type name and the message.
    public var description: String { "\(type): \(message)" }
}
