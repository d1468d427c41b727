/// How a graph run ended as a whole.
///
/// A run is ``succeeded`` only if every node succeeded; it is never reported as a success with a failed node.
/// Encoded as its case name.
public enum GraphRunStatus: String, Hashable, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Every node succeeded.
    case succeeded
    /// At least one node failed, timed out or was skipped, and the run was not stopped for another reason below.
    case failed
    /// The run deadline passed: in-flight nodes were cancelled and unstarted nodes skipped.
    case timedOut
    /// The task running the graph was cancelled: in-flight nodes were cancelled and unstarted nodes skipped.
    case cancelled
    /// A node body threw a ``GraphStopSignal``: in-flight nodes were cancelled and unstarted nodes skipped.
    case stopped

    /// The case name.
    public var description: String { rawValue }
}
