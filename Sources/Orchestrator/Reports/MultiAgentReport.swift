import AgentAdapters
public import AgentPolicy

/// The reports of several agents run on one task, keyed by agent name.
///
/// ``jsonText(prettyPrinted:)`` writes the report and ``init(jsonText:)`` reads it back exactly; <doc:ReportSchema>
/// documents every field.
public struct MultiAgentReport: Hashable, Codable, Sendable {
    /// The version of the report schema this library writes, and the newest it reads: 1.
    public static let currentSchemaVersion = reportSchemaVersion

    /// The report schema's version: ``currentSchemaVersion`` for reports this library makes.
    public var schemaVersion: Int = reportSchemaVersion
    /// Each agent's full report, by agent name.
    public var reports: [String: ExecutionReport]
    /// `succeeded` if every agent's run succeeded; otherwise the first non-success status in agent-name order.
    public var status: RunStatus
    /// The shared budget's lines after all runs, if one was passed.
    public var sharedLedger: [BudgetLine]?

    /// Encodes the report as JSON text with sorted keys: byte-identical for identical reports.
    ///
    /// - Parameter prettyPrinted: Whether to indent the output.
    /// - Returns: The JSON text.
    public func jsonText(prettyPrinted: Bool = false) -> String {
        JSONValue.canonicalText(of: self, prettyPrinted: prettyPrinted)
    }
}

extension MultiAgentReport {
    /// Reads a report from the JSON text that ``jsonText(prettyPrinted:)`` writes.
    ///
    /// The text is parsed and decoded with the library's own JSON parser and decoder (no Foundation), so the
    /// decoded report equals the one that was written and re-encodes to the same bytes.
    ///
    /// - Parameter jsonText: The report's JSON text.
    /// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/invalidReport`` when the text is not
    ///   JSON or does not match the schema (the message names the field), or
    ///   ``OrchestrationError/Code/unsupportedSchemaVersion`` when its `schemaVersion` is newer than
    ///   ``currentSchemaVersion``.
    public init(jsonText: String) throws(OrchestrationError) {
        self = try decodeReport(Self.self, named: "MultiAgentReport", fromJSONText: jsonText)
    }

    /// Decodes a report, refusing a `schemaVersion` newer than ``currentSchemaVersion``.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for a newer schema version; the errors of missing or mistyped fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try SchemaVersion.decode("MultiAgentReport", from: container, forKey: .schemaVersion)
        reports = try container.decode([String: ExecutionReport].self, forKey: .reports)
        status = try container.decode(RunStatus.self, forKey: .status)
        sharedLedger = try container.decodeIfPresent([BudgetLine].self, forKey: .sharedLedger)
    }
}
