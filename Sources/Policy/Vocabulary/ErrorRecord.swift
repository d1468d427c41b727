/// An error as reports store it: its type, its description and, where it has them, a code and a tool.
///
/// Every report of the library (agent runs, graphs of agents, task graphs) records errors with this one type and
/// one rule, applied by ``init(_:)``:
///
/// - ``type`` is `String(reflecting: type(of: error))`, the module-qualified type name (`AgentAdapters.ToolError`);
/// - ``message`` is `String(describing: error)`, so an error with a readable description gives a readable report;
/// - ``code`` and ``tool`` come from a ``CodedError`` (and from a ``PolicyViolation``: its limit and tool);
/// - ``isRetryable`` and ``retryAfterNanoseconds`` come from a ``RetryableError``.
///
/// A task-graph node record needs no node field here: the record sits in the node's own record. Whether an error
/// stopped a task graph is told by that report's `stoppedBy`, not by the record.
///
/// Records compare by all fields. Encoded with these field names; `code`, `tool` and `retryAfterNanoseconds` are
/// left out when `nil`: `{"type": "MyApp.Overloaded", "message": "503", "isRetryable": true}`.
public struct ErrorRecord: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The module-qualified name of the error's type.
    public var type: String
    /// The error's description.
    public var message: String
    /// The error's stable code, for a ``CodedError`` or a ``PolicyViolation`` (for example `toolFailed`).
    public var code: String?
    /// The tool concerned, if any.
    public var tool: String?
    /// Whether the error said another attempt may succeed (a ``RetryableError`` whose `isRetryable` is `true`).
    public var isRetryable: Bool
    /// The error's hint of how long to wait before another attempt, if it gave one.
    public var retryAfterNanoseconds: Nanoseconds?

    /// Creates a record from its fields.
    ///
    /// - Parameters:
    ///   - type: The module-qualified name of the error's type.
    ///   - message: The error's description.
    ///   - code: The error's stable code.
    ///   - tool: The tool concerned.
    ///   - isRetryable: Whether another attempt may succeed.
    ///   - retryAfterNanoseconds: How long to wait before another attempt.
    public init(
        type: String,
        message: String,
        code: String? = nil,
        tool: String? = nil,
        isRetryable: Bool = false,
        retryAfterNanoseconds: Nanoseconds? = nil
    ) {
        self.type = type
        self.message = message
        self.code = code
        self.tool = tool
        self.isRetryable = isRetryable
        self.retryAfterNanoseconds = retryAfterNanoseconds
    }

    /// Records an error by the one rule described on the type.
    ///
    /// - Parameter error: The error to record.
    public init(_ error: any Error) {
        if let recorded = error as? any ErrorRecordConvertible {
            self = recorded.errorRecord
            return
        }
        self.init(type: String(reflecting: Swift.type(of: error)), message: String(describing: error))
        if let coded = error as? any CodedError {
            code = coded.errorCode
            tool = coded.errorTool
        } else if let violation = error as? PolicyViolation {
            code = violation.limit.rawValue
            tool = violation.tool
        }
        if let retryable = error as? any RetryableError {
            isRetryable = retryable.isRetryable
            retryAfterNanoseconds = retryable.retryAfter.map(Nanoseconds.init)
        }
    }

    /// The type and the message.
    public var description: String { "\(type): \(message)" }
}

/// An error that carries the record it was made from: a journaled run feeds recorded errors back through it, so
/// ``ErrorRecord/init(_:)`` gives back exactly the recorded record.
package protocol ErrorRecordConvertible: Error {
    /// The recorded error.
    var errorRecord: ErrorRecord { get }
}
