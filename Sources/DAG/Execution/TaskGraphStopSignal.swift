/// An error that asks the executor to stop the whole run.
///
/// When a node body throws a conforming error, the executor starts no further node, cancels the nodes in flight
/// (reported ``NodeStatus/cancelled``), skips the unstarted ones, records the throwing node as
/// ``NodeStatus/failed`` with this error, and ends the run with `RunStatus.stopped` (AgentPolicy) and
/// ``TaskGraphReport/stoppedBy`` naming the node. It applies in both failure modes and is never retried, even if the error also conforms to `RetryableError`. A layer
/// above the executor uses it to stop a graph when a shared budget is exhausted.
public protocol TaskGraphStopSignal: Error {}
