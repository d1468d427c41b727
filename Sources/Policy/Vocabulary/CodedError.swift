/// An error with a stable code, and possibly the tool it concerns, that its ``ErrorRecord`` keeps.
///
/// ``ErrorRecord/init(_:)`` records any error by its type and description; for a conforming error it also fills
/// ``ErrorRecord/code`` and ``ErrorRecord/tool``, so that a report reader can branch on the code instead of parsing
/// the message. The library's own errors conform (the AgentAdapters module's `ToolError`, for one); your errors may
/// too. Both properties are read once, synchronously, when the record is made.
public protocol CodedError: Error {
    /// The error's stable code: a short camel-case name such as `toolFailed`.
    var errorCode: String { get }

    /// The tool the error concerns, if any. The default is `nil`.
    var errorTool: String? { get }
}

extension CodedError {
    /// No tool: the error concerns none.
    public var errorTool: String? { nil }
}
