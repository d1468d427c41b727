/// The phases of a run: INIT → PLAN → EXECUTE → REVIEW → TERMINATE.
///
/// REVIEW may send a run back to PLAN (bounded by `StrictPolicy.maxRevisions`); any phase may end in TERMINATE.
/// A phase prints as its upper-case name, the same string reports and events use in JSON and the documentation
/// uses in prose: `print(LifecyclePhase.planning)` prints `PLAN`, and `"\(phase)"` is `phase.rawValue`.
public enum LifecyclePhase: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
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

    /// The phase's upper-case name, as in JSON: `INIT`, `PLAN`, `EXECUTE`, `REVIEW` or `TERMINATE`.
    public var description: String { rawValue }
}
