/// A ``FileCheckpointStore`` could not use its directory, or was used after ``FileCheckpointStore/close()``.
///
/// Errors about one journal (locked, corrupt, a failed read or write) are `CheckpointStoreError`s naming the journal;
/// this error is for what concerns the store as a whole.
public struct FileJournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: RawRepresentable, Hashable, Codable, Sendable {
        /// The code's name.
        public let rawValue: String

        /// Creates a code.
        ///
        /// - Parameter rawValue: The code's name.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The journal directory could not be created, opened, listed or synced.
        public static let directoryFailed = Code(rawValue: "directoryFailed")
        /// The store was closed; make a new one.
        public static let storeClosed = Code(rawValue: "storeClosed")
        /// The system refused to start the store's I/O thread (for example at its thread limit).
        public static let threadUnavailable = Code(rawValue: "threadUnavailable")
    }

    /// What went wrong.
    public var code: Code
    /// The path concerned (the store's directory).
    public var path: String
    /// The system's error number (`errno`), or 0 when no system call failed.
    public var systemError: Int32
    /// What went wrong and what to do, in words.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - path: The path concerned.
    ///   - systemError: The system's error number, or 0.
    ///   - message: What went wrong and what to do.
    public init(code: Code, path: String, systemError: Int32 = 0, message: String) {
        self.code = code
        self.path = path
        self.systemError = systemError
        self.message = message
    }

    /// The code, the path and the message.
    public var description: String { "FileJournalError.\(code.rawValue) (\(path)): \(message)" }
}
