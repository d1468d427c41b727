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
