/// ``JournalChain/append(_:version:)`` refused an entry: a programming error in the layer that builds entries.
public struct JournalChainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong with the entry; new codes may be added without breaking clients.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable {
        /// The code's stable name.
        public let rawValue: String

        /// Creates a code from its name.
        ///
        /// - Parameter rawValue: The code's stable name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The entry is not a JSON object.
        public static let entryNotAnObject = Code(rawValue: "entryNotAnObject")
        /// The entry carries one of ``JournalChain/envelopeFields`` itself.
        public static let envelopeFieldInEntry = Code(rawValue: "envelopeFieldInEntry")
        /// The requested entry format version is below 1.
        public static let invalidVersion = Code(rawValue: "invalidVersion")
    }

    /// What was wrong.
    public var code: Code
    /// The offending field, when there is one.
    public var field: String?
    /// What was wrong and what to do, in words.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What was wrong.
    ///   - field: The offending field, if any.
    ///   - message: What was wrong and what to do.
    public init(code: Code, field: String?, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// The code and the message.
    public var description: String { "JournalChainError.\(code.rawValue): \(message)" }
}
