public import AgentPolicy

/// A model's final answer could not be turned into the agent's typed output, after every repair it was allowed.
///
/// ``ModelAgent`` sends an answer that is not JSON, violates the output's schema or does not decode back to the
/// model with the problem, at most ``ModelAgent/maxOutputRepairs`` times (each try a governed model call); then the
/// run fails with this error, naming the type and the first problem of the last answer.
public struct ModelOutputError: Error, Hashable, Codable, Sendable, CustomStringConvertible, CodedError {
    /// What went wrong; an open set.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String

        /// Creates a code from its name.
        ///
        /// - Parameter rawValue: The name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The answer was not JSON, violated the schema or did not decode, after the last repair.
        public static let invalidOutput = Code(rawValue: "invalidOutput")
        /// The output type's schema could not be derived (see `SchemaDerivationError`).
        public static let underivableOutput = Code(rawValue: "underivableOutput")

        /// The code's name.
        public var description: String { rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// The output type, as Swift names it.
    public var type: String
    /// The path of the first problem in the answer (`""` for the answer itself).
    public var field: String
    /// The answers tried: the first plus every repair.
    public var attempts: Int
    /// The first problem, in words, and what to do.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - type: The output type.
    ///   - field: The path of the first problem.
    ///   - attempts: The answers tried.
    ///   - message: The first problem and what to do.
    public init(code: Code, type: String, field: String, attempts: Int, message: String) {
        self.code = code
        self.type = type
        self.field = field
        self.attempts = attempts
        self.message = message
    }

    /// The code's name, for reports.
    public var errorCode: String { code.rawValue }

    /// A one-line description: the code, the type and the message.
    public var description: String { "ModelOutputError.\(code) (\(type)): \(message)" }
}
