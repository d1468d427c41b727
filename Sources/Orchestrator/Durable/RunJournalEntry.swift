import AgentAdapters
import AgentPolicy

/// One input a journaled run's state machine took, or one decision it made, as the journal stores it: a flat JSON
/// object `{"kind": …, "at": …, fields…}` (the chain adds `version`, `position`, `previousHash` and `hash`).
///
/// `at` is the run clock's reading for the transition, in nanoseconds since the run started (active time only).
/// `Docs/JournalFormat.md` lists every kind field by field.
package struct RunJournalEntry: Hashable, Sendable {
    /// What the entry records.
    package enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The run's identity and policy; always entry 0.
        case runStarted
        /// INIT → PLAN.
        case lifecycleStarted
        /// The agent's plan.
        case planned
        /// A step started (its budget unit reserved).
        case stepStarted
        /// A step returned.
        case stepFinished
        /// REVIEW's decision.
        case reviewed
        /// The agent threw.
        case agentThrew
        /// The run ended (any reason; asynchronous ones too: timeout, cancellation, a pause for approval).
        case terminated
        /// A tool call was refused before it ran.
        case toolCallRefused
        /// A tool call's intent: stored durably before its body runs.
        case toolCallStarted
        /// A tool call's result or error.
        case toolCallFinished
        /// A running tool reported progress.
        case toolProgress
        /// A call needs approval: the run pauses.
        case approvalRequested
        /// A person approved or denied the pending call.
        case approvalDecided
        /// A governed model call was asked for: the model, the request's hash, the input tokens estimated.
        case modelCallRequested
        /// A model call was refused before it was made (context window, budget).
        case modelCallRefused
        /// A model call's attempt was reserved and is about to be made: its allowance and reservation.
        case modelCallStarted
        /// A model call's attempt ended: the full response and the usage billed, or the error.
        case modelCallFinished
        /// A failed attempt will be tried again after a delay.
        case modelCallRetrying
        /// The raw usage API reserved an estimate.
        case usageReserved
        /// The raw usage API reported usage (settling a reservation, or without one).
        case usageReported
        /// The raw usage API released a reservation unused.
        case usageReleased
        /// The agent read the run's clock (`AgentContext.elapsed` or `timeRemaining`): the reading is `at`.
        case clockRead
    }

    /// What the entry records.
    package var kind: Kind
    /// The run clock's reading.
    package var at: Nanoseconds
    /// The kind's fields: a short list, looked up without hashing (see ``EntryFields``).
    package var fields: EntryFields

    /// Creates an entry.
    ///
    /// The library passes `fields:` by label: an unlabelled dictionary literal would match
    /// ``init(_:at:_:)`` (a dictionary's literal is the default) and build a dictionary first.
    package init(_ kind: Kind, at: Nanoseconds, fields: EntryFields = [:]) {
        self.kind = kind
        self.at = at
        self.fields = fields
    }

    /// Creates an entry from a dictionary of fields.
    package init(_ kind: Kind, at: Nanoseconds, _ fields: [String: JSONValue]) {
        self.init(kind, at: at, fields: EntryFields(fields))
    }

    /// The entry as the chain seals it.
    package var jsonValue: JSONValue {
        var members = fields.dictionary
        members["kind"] = .string(kind.rawValue)
        members["at"] = .integer(at.rawValue)
        return .object(members)
    }

    /// The members the entry adds to its fields when sealed: `kind` and `at` (``jsonValue`` without the dictionary).
    package var sealedMembers: [(key: String, value: JSONValue)] {
        [("kind", .string(kind.rawValue)), ("at", .integer(at.rawValue))]
    }

    /// Reads an entry from a record's members without the envelope fields (as `JournalChain.read` returns them).
    ///
    /// - Throws: A message naming the missing or unknown field.
    package init(members: [String: JSONValue], position: Int) throws(EntryReadError) {
        try self.init(members: EntryFields(members), kind: nil, at: nil, position: position)
    }

    /// Reads an entry from a record's members without the envelope fields, its `kind` and `at` given apart when
    /// the reader read them as values (`JournalChain.readEntries`): a `nil` one is looked up in `members`, and the
    /// entry is the one ``init(members:position:)`` reads from the members with both in them.
    ///
    /// - Throws: A message naming the missing or unknown field.
    package init(
        members: EntryFields,
        kind givenKind: String?,
        at givenAt: Int64?,
        position: Int
    ) throws(EntryReadError) {
        guard let text = givenKind ?? members["kind"]?.stringValue else {
            throw EntryReadError(position: position, message: "entry has no string 'kind'")
        }
        guard let kind = Kind.named(text) else {
            throw EntryReadError(
                position: position,
                message:
                    "unknown entry kind '\(text)' (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let at: Int64
        if let givenAt {
            at = givenAt
        } else if case .integer(let member)? = members["at"] {
            at = member
        } else {
            throw EntryReadError(position: position, message: "\(text) entry has no integer 'at'")
        }
        var fields = members
        if givenKind == nil { fields["kind"] = nil }
        if givenAt == nil { fields["at"] = nil }
        self.init(kind, at: Nanoseconds(rawValue: at), fields: fields)
    }

    /// An entry that could not be read.
    package struct EntryReadError: Error {
        var position: Int
        var message: String
    }

    // MARK: Typed access

    /// A field decoded as `T`.
    package func decode<T: Decodable>(_ type: T.Type, _ field: String) throws(EntryReadError) -> T {
        do {
            return try JSONValueDecoder().decode(T.self, from: fields[field] ?? .null)
        } catch {
            throw EntryReadError(position: -1, message: "\(kind.rawValue) entry field '\(field)': \(error)")
        }
    }

    /// A string field.
    package func string(_ field: String) -> String? {
        if case .string(let value)? = fields[field] { return value }
        return nil
    }

    /// An integer field.
    package func integer(_ field: String) -> Int64? {
        if case .integer(let value)? = fields[field] { return value }
        return nil
    }

    /// A Boolean field.
    package func bool(_ field: String) -> Bool {
        if case .bool(let value)? = fields[field] { return value }
        return false
    }

    /// `value` encoded as JSON (`null` if it does not encode, which the library's types never do).
    package static func encode(_ value: some Encodable) -> JSONValue {
        (try? JSONValueEncoder().encode(value)) ?? .null
    }

    /// The entry's kind and fields without its clock reading, for divergence messages and comparisons.
    package var summary: String {
        var members = fields.dictionary
        members["kind"] = .string(kind.rawValue)
        return JSONValue.object(members).jsonText()
    }
}

/// An error fed back from the journal: recorded as the original was, so reports stay byte-identical.
struct JournaledError: Error, ErrorRecordConvertible, CustomStringConvertible {
    let errorRecord: ErrorRecord
    var description: String { errorRecord.message }

    /// The error a recorded failure is fed back as: a `CancellationError` for a recorded cancellation, a
    /// ``ToolError`` when one was recorded and decodes, this type otherwise.
    static func rethrowable(_ record: ErrorRecord) -> any Error {
        if record.type == String(reflecting: CancellationError.self) { return CancellationError() }
        return JournaledError(errorRecord: record)
    }
}
