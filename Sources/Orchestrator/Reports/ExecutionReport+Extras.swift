import AgentAdapters
import AgentPolicy

/// The fields of an ``ExecutionReport`` most runs leave empty, kept together out of line (see
/// ``ExecutionReport/extras``): a graph keeps one report per node, and most nodes make no tool call outside a
/// step, meet no violation, make no model call outside a step, keep no transcript, have no journal and do not pause.
struct ReportExtras: Hashable, OutOfLineFields {
    var toolCallsOutsideSteps: [ToolCallRecord] = []
    var violations: [PolicyViolation] = []
    var modelCallsOutsideSteps: [ModelCallRecord] = []
    var modelTranscript: [ModelMessage] = []
    var journalHeadHash: SHA256Digest?
    var pendingApproval: ApprovalRequest?

    /// Whether every field is empty.
    var isUnset: Bool {
        toolCallsOutsideSteps.isEmpty && violations.isEmpty && modelCallsOutsideSteps.isEmpty
            && modelTranscript.isEmpty && journalHeadHash == nil && pendingApproval == nil
    }
}
