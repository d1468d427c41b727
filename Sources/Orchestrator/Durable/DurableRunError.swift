public import AgentAdapters

/// A journaled run could not be resumed, replayed or forked; the message names the journal, the entry and what
/// to do.
public struct DurableRunError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// The journal has no entries: start the run with `run(_:task:policy:journal:metadata:sharedBudget:)`.
        case emptyJournal
        /// The journal's hash chain does not verify, or an entry cannot be read.
        case corruptJournal
        /// An entry was written by a newer version of the library (its `version` is above the one this reads).
        case unsupportedVersion
        /// A resume was given a policy different from the journaled one: fork the journal to change it.
        case policyMismatch
        /// `run` was given a journal that holds a run of another task: `run` on such a journal resumes the journaled
        /// run, so pass the same task, or start the new run in another journal.
        case taskMismatch
        /// `run` was given a journal that holds a run of another agent (by name): pass the same agent, or start the
        /// new run in another journal.
        case agentMismatch
        /// The agent code asked for something other than the journal recorded.
        case divergence
        /// The approval or denial does not match the journal's pending call (tool, arguments hash, policy hash or
        /// call id): ask for a new approval.
        case approvalMismatch
        /// The journal has no call awaiting approval (never paused, or the decision is already journaled).
        case noPendingApproval
        /// The journal's run is paused awaiting approval: resume it with an approval or a denial.
        case awaitingApproval
        /// The shared budget given on resume cannot take the run's journaled consumption.
        case sharedBudgetExceeded
        /// The fork position is outside the parent journal, or the target journal is not empty.
        case invalidFork
        /// The store failed to read or write the journal.
        case storeFailed
        /// The run asked for something format version 1 cannot journal yet (a governed model call, a batch of
        /// tool calls, reported model usage): the run stops rather than run it unjournaled.
        case unsupported
    }

    /// What went wrong.
    public var code: Code
    /// The journal concerned.
    public var journal: JournalID
    /// The position of the entry concerned, if one is.
    public var position: Int?
    /// What the journal holds at ``position`` (for a divergence: the recorded entry's kind and key fields).
    public var expected: String?
    /// What the run asked for instead.
    public var got: String?
    /// What went wrong and what to do, in words.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - journal: The journal concerned.
    ///   - position: The entry concerned.
    ///   - expected: What the journal holds there.
    ///   - got: What the run asked for instead.
    ///   - message: What went wrong and what to do.
    public init(
        code: Code,
        journal: JournalID,
        position: Int? = nil,
        expected: String? = nil,
        got: String? = nil,
        message: String
    ) {
        self.code = code
        self.journal = journal
        self.position = position
        self.expected = expected
        self.got = got
        self.message = message
    }

    /// The code, the journal, the position and the message.
    public var description: String {
        let at = position.map { " at entry \($0)" } ?? ""
        return "DurableRunError.\(code.rawValue) (\(journal)\(at)): \(message)"
    }
}

extension DurableRunError {
    /// Why a `run` given a journal that already holds a run may not resume it, if it may not: the journaled run's
    /// task or agent differs from the call's. Without this check the call would silently get the journaled run's
    /// report, for another task.
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - journaledTask: The task in the journal's first entry.
    ///   - task: The call's task.
    ///   - journaledAgent: The agent's name in the journal's first entry (`nil` for a graph journal).
    ///   - agent: The call's agent's name (`nil` for a graph).
    /// - Returns: The error, or `nil` when the call names the journaled run.
    static func startMismatch(
        journal: JournalID,
        journaledTask: JSONValue?,
        task: JSONValue,
        journaledAgent: String? = nil,
        agent: String? = nil
    ) -> DurableRunError? {
        if let journaledTask, journaledTask != task {
            let (expected, got) = (journaledTask.jsonText(), task.jsonText())
            return DurableRunError(
                code: .taskMismatch,
                journal: journal,
                position: 0,
                expected: expected,
                got: got,
                message: "the journal holds a run of task \(shortened(expected)), not \(shortened(got)); run on a "
                    + "journal that already holds a run resumes that run: pass the same task, or start the new run in "
                    + "another journal (or fork this one)"
            )
        }
        if let journaledAgent, let agent, journaledAgent != agent {
            return DurableRunError(
                code: .agentMismatch,
                journal: journal,
                position: 0,
                expected: journaledAgent,
                got: agent,
                message:
                    "the journal holds a run of agent \"\(journaledAgent)\", not \"\(agent)\"; pass the same agent, "
                    + "or start the new run in another journal"
            )
        }
        return nil
    }

    /// `text` cut to 200 characters, for a message.
    private static func shortened(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}
