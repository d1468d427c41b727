/// The phases of a run: INIT → PLAN → EXECUTE → REVIEW → TERMINATE.
///
/// REVIEW may send a run back to PLAN (bounded by `StrictPolicy.maxRevisions`); any phase may end in TERMINATE.
/// Reports and events use the upper-case raw values.
public enum LifecyclePhase: String, Hashable, Codable, Sendable, CaseIterable {
    /// INIT: the run exists, nothing has been asked of the agent yet.
    case initial = "INIT"
    /// PLAN: the agent is planning steps.
    case planning = "PLAN"
    /// EXECUTE: the agent is executing steps, each reserved from the budget first.
    case executing = "EXECUTE"
    /// REVIEW: the agent is judging the outputs.
    case reviewing = "REVIEW"
    /// TERMINATE: the run has ended; the stop reason says how.
    case terminated = "TERMINATE"
}
