public import AgentAdapters

/// Where a journaled run keeps its journal: a `CheckpointStore` and the id of one journal in it.
///
/// Pass it to `Orchestrator.run(_:task:policy:journal:metadata:sharedBudget:)` to record a run, then to
/// `resume`, `replay` or `fork` to continue, re-run or branch it. One journal holds one run; one writer at a time.
///
/// ```swift
/// let store = InMemoryCheckpointStore()
/// let journal = RunJournal(store: store, id: JournalID(rawValue: "order-42")!)
/// let report = await orchestrator.run(agent, task: "ship order 42", journal: journal)
/// ```
public struct RunJournal: Sendable {
    /// The store that holds the journal.
    public let store: any CheckpointStore
    /// The journal's id in the store.
    public let id: JournalID

    /// Creates a journal handle; nothing is read or written until a run uses it.
    ///
    /// - Parameters:
    ///   - store: The store that holds the journal.
    ///   - id: The journal's id in the store.
    public init(store: any CheckpointStore, id: JournalID) {
        self.store = store
        self.id = id
    }
}

/// The exact tool call a paused run waits on, bound to its arguments and to the run's policy.
///
/// An approval given for one request applies to that call only: resuming with a request whose arguments hash or
/// policy hash differs from the journal's pending call is refused with ``DurableRunError/Code/approvalMismatch``.
public struct ApprovalRequest: Hashable, Codable, Sendable {
    /// The tool to be called.
    public var tool: String
    /// The call's arguments.
    public var arguments: JSONValue
    /// SHA-256 of the arguments' RFC 8785 canonical JSON bytes.
    public var argumentsHash: SHA256Digest
    /// SHA-256 of the run policy's RFC 8785 canonical JSON bytes.
    public var policyHash: SHA256Digest
    /// The request's id in the journal: `<journal id>#<position of its approvalRequested entry>`, which
    /// `approvalDecided` names. The approved call, when it runs, has its own `ToolInvocation.callID` and
    /// idempotency key, from its `toolCallStarted` entry a few positions later: match an approval to its call by
    /// ``tool`` and ``argumentsHash``, not by this id.
    public var callID: String

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - tool: The tool to be called.
    ///   - arguments: The call's arguments.
    ///   - argumentsHash: SHA-256 of the arguments' canonical JSON.
    ///   - policyHash: SHA-256 of the policy's canonical JSON.
    ///   - callID: The request's id in the journal.
    public init(
        tool: String,
        arguments: JSONValue,
        argumentsHash: SHA256Digest,
        policyHash: SHA256Digest,
        callID: String
    ) {
        self.tool = tool
        self.arguments = arguments
        self.argumentsHash = argumentsHash
        self.policyHash = policyHash
        self.callID = callID
    }
}
