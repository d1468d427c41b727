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
    private let progressSink: @Sendable (Double, Double?, String?) -> Void

    /// Creates an invocation; the orchestrator does, around each tool body (tests may too).
    ///
    /// - Parameters:
    ///   - toolName: The tool being called.
    ///   - reportProgress: Receives each progress report: progress, total, message.
    public init(toolName: String, reportProgress: @escaping @Sendable (Double, Double?, String?) -> Void) {
        self.toolName = toolName
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
