import AgentAdapters

extension RunJournalEntry.Kind {
    /// Every field an entry of this kind may carry, besides `kind` and `at` (`Docs/JournalFormat.md`, "Run entry
    /// kinds"). An entry with another field is sealed the general way (same bytes, more time).
    var fieldNames: [String] {
        switch self {
        case .runStarted: ["executionID", "agentName", "task", "metadata", "policy", "policyHash", "forkedFrom"]
        case .lifecycleStarted: []
        case .planned: ["steps"]
        case .stepStarted: ["index", "revision"]
        case .stepFinished: ["result"]
        case .reviewed: ["decision"]
        case .agentThrew: ["error", "toolError"]
        case .terminated: ["reasonKind", "reason", "agentEnded", "violation"]
        case .toolCallRefused: ["tool", "arguments", "error"]
        case .toolCallStarted: ["tool", "arguments"]
        case .toolCallFinished: ["callID", "tool", "output", "error"]
        case .toolProgress: ["tool", "progress", "total", "message"]
        case .approvalRequested: ["tool", "arguments", "argumentsHash", "policyHash", "callID"]
        case .approvalDecided: ["callID", "approved", "reason"]
        case .modelCallRequested: ["model", "requestHash", "input"]
        case .modelCallRefused: ["model", "attempt", "error"]
        case .modelCallStarted: ["model", "attempt", "maximumOutputTokens", "reserved", "requestHash"]
        case .modelCallFinished: ["model", "attempt", "response", "usage", "estimated", "error", "modelError"]
        case .modelCallRetrying: ["model", "failedAttempt", "delay", "due"]
        case .usageReserved: ["estimate"]
        case .usageReported: ["actual", "reserved"]
        case .usageReleased: ["estimate"]
        case .clockRead: ["property", "remaining"]
        }
    }

    /// The sealing layout of this kind's entries: its fields, `kind` and `at` and the envelope in RFC 8785 order,
    /// made once per kind.
    var layout: JournalEntryLayout? {
        // Found by the kind's place among all kinds (a few discriminator comparisons), not by hashing the kind.
        guard let index = Self.kinds.firstIndex(of: self) else { return nil }
        return Self.layouts[index]
    }

    private static let kinds = allCases

    private static let layouts: [JournalEntryLayout?] = kinds.map {
        JournalEntryLayout(keys: ["kind", "at"] + $0.fieldNames)
    }

    /// The kind named `name` (its raw value), or `nil`: ``init(rawValue:)`` without comparing the name with every
    /// kind's in turn (a reader makes one entry per record), only with those of its length (one to four).
    static func named(_ name: String) -> Self? {
        let length = name.utf8.count
        guard length < byLength.count else { return nil }
        for kind in byLength[length] where kind.rawValue == name { return kind }
        return nil
    }

    /// The kinds by the length of their names in UTF-8.
    private static let byLength: [[Self]] = {
        var table: [[Self]] = Array(repeating: [], count: (allCases.map(\.rawValue.utf8.count).max() ?? 0) + 1)
        for kind in allCases { table[kind.rawValue.utf8.count].append(kind) }
        return table
    }()
}
