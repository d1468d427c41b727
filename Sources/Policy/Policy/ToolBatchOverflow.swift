/// What happens to the tool calls of one model response that the tool-call budget cannot pay for.
///
/// Either way, every call of the batch is checked and reserved in order **before** any runs, and exactly the
/// affordable ones run (concurrently); the rest never run. The two modes differ only in what follows:
///
/// - ``tellModel`` (the default): each refused call comes back to the model as a tool result with `isError` set,
///   naming the limit, so it can read that the budget is spent and answer without more tools;
/// - ``stopRun``: once the affordable calls have finished, the run stops with the `PolicyViolation` of the first
///   refused call, as a single refused tool call stops it.
///
/// Encoded as its case name: `"tellModel"` or `"stopRun"`.
public enum ToolBatchOverflow: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Refused calls go back to the model as readable error results; the run goes on.
    case tellModel
    /// The run stops with the first refusal's violation after the affordable calls finish.
    case stopRun

    /// The case name.
    public var description: String { rawValue }
}
