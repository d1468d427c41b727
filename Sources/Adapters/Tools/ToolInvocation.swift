/// The tool call the current task is running, set by the orchestrator around a tool's body: a way for a tool to
/// report progress to its run.
///
/// Read it inside ``Tool/call(arguments:)`` with ``current``; outside a run's tool call it is `nil`. Progress
/// becomes an `OrchestrationEvent` of kind `toolProgress` in the run's event stream (nothing else in the run
/// changes). MCP tools report the server's `notifications/progress` through it.
///
/// ```swift
/// func call(arguments: JSONValue) async throws -> JSONValue {
///     for page in 1...3 {
///         ToolInvocation.current?.reportProgress(Double(page), total: 3, message: "page \(page)")
///         // ...
///     }
///     return "done"
/// }
/// ```
///
/// `Sendable`; ``reportProgress(_:total:message:)`` may be called from any thread and never waits.
public struct ToolInvocation: Sendable {
    /// The call the current task runs, or `nil` outside a tool call.
    @TaskLocal public static var current: ToolInvocation?

    /// The name of the tool being called.
    public let toolName: String
    /// The call's id in its run's journal (`<journal id>#<position of its intent entry>`), or `nil` when the run
    /// keeps no journal.
    public let callID: String?
    /// A key that names this call across every resume of its run: the same when a call journaled as started but
    /// not finished is called again after a crash, different for every other call (`<call id>@<execution id>`, so
    /// two runs never share one, even in journals of the same id); `nil` when the run keeps no journal.
    ///
    /// A tool whose effect must happen once (a payment, an email, a line in a file) makes itself idempotent with
    /// it: it stores the key with the effect, in the same transaction or file write, and before acting looks the
    /// key up; if the key is there, the effect happened, and the tool returns the stored result instead of acting
    /// again. A remote API that accepts an idempotency key (an `Idempotency-Key` header) can be handed it as is.
    public let idempotencyKey: String?
    private let progressSink: @Sendable (Double, Double?, String?) -> Void

    /// Creates an invocation; the orchestrator does, around each tool body (tests may too).
    ///
    /// - Parameters:
    ///   - toolName: The tool being called.
    ///   - callID: The call's id in its run's journal, if the run keeps one.
    ///   - idempotencyKey: The call's idempotency key, if the run keeps a journal.
    ///   - reportProgress: Receives each progress report: progress, total, message.
    public init(
        toolName: String,
        callID: String? = nil,
        idempotencyKey: String? = nil,
        reportProgress: @escaping @Sendable (Double, Double?, String?) -> Void
    ) {
        self.toolName = toolName
        self.callID = callID
        self.idempotencyKey = idempotencyKey
        self.progressSink = reportProgress
    }

    /// Reports how far the call has come.
    ///
    /// - Parameters:
    ///   - progress: Progress so far; should increase with each report.
    ///   - total: The total, when known.
    ///   - message: A human-readable message.
    public func reportProgress(_ progress: Double, total: Double? = nil, message: String? = nil) {
        progressSink(progress, total, message)
    }
}
