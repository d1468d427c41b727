/// The terminal state of one node in a graph run.
///
/// Every node of a run ends in exactly one of these states. Encoded as its case name.
public enum NodeStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// The body returned an output.
    case succeeded
    /// The body threw an error that was not retried, or every attempt failed.
    case failed
    /// An attempt ran past the node's timeout and was cancelled.
    case timedOut
    /// The node's body was running (or the node was waiting to retry) when it was cancelled: by fail-fast, a stop
    /// signal, the run deadline or the caller; or the body threw `CancellationError` on its own.
    case cancelled
    /// The node's body was never called: a dependency did not succeed, or the run stopped first.
    case skipped
    /// The node's body was never called because the branch was not taken: an input routed elsewhere (a condition
    /// on the edge was false, a router chose other successors) or was itself skipped by a branch. Kept apart from
    /// ``skipped``: a run whose other nodes succeeded still succeeded.
    case skippedByBranch

    /// The case name.
    public var description: String { rawValue }
}
