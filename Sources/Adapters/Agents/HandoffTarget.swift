/// An agent a ``ModelAgent`` can hand the conversation to: it continues the run's model transcript from where the
/// last agent left it.
///
/// ``ModelAgent`` is one; an agent of your own can be one too if it reads ``AgentContext/modelTranscript`` and
/// handles the turn steps ``ModelAgent`` sends after a hand-off (label ``ModelAgent/turnLabel``, input
/// `{"turn": …, "repairs": …, "agent": <its name>}`).
public protocol HandoffTarget: Agent {
    /// What the `transfer_to_<name>` tool says about this agent; `nil` for a generic sentence.
    var handoffDescription: String? { get }
    /// The agents this one may hand the conversation to in turn.
    var handoffs: [any HandoffTarget] { get }
}
