import AgentAdapters
import AgentPolicy

/// The fields of an ``ExecutionReport`` most runs leave empty, kept together out of line (see
/// ``ExecutionReport/extras``): a graph keeps one report per node, and most nodes make no tool call outside a
/// step, meet no violation, make no model call outside a step, keep no transcript, have no journal and do not pause.
struct ReportExtras: Hashable, Sendable {
    var toolCallsOutsideSteps: [ToolCallRecord] = []
    var violations: [PolicyViolation] = []
    var modelCallsOutsideSteps: [ModelCallRecord] = []
    var modelTranscript: [ModelMessage] = []
    var journalHeadHash: SHA256Digest?
    var pendingApproval: ApprovalRequest?

    /// Whether every field is empty.
    var isEmpty: Bool {
        toolCallsOutsideSteps.isEmpty && violations.isEmpty && modelCallsOutsideSteps.isEmpty
            && modelTranscript.isEmpty && journalHeadHash == nil && pendingApproval == nil
    }

    /// The fields boxed, or `nil` when all are empty: one form for each content, so reports compare by content.
    var boxed: OutOfLine<Self>? { isEmpty ? nil : .value(self) }

    /// `extras` with `field` set to `value`, boxed (`nil` when all are empty).
    static func boxed<Field>(
        _ extras: OutOfLine<Self>?,
        setting field: WritableKeyPath<Self, Field>,
        to value: Field
    ) -> OutOfLine<Self>? {
        var changed = extras?.value ?? Self()
        changed[keyPath: field] = value
        return changed.boxed
    }
}
