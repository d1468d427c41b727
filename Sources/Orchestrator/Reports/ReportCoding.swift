import AgentAdapters

/// The version of the reports' JSON schema this library writes, and the highest it reads.
let reportSchemaVersion = 1

/// A coding key for any string, for flat encodings whose keys depend on the case.
struct FlatKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    static let kind = FlatKey("kind")
}

/// Reads and writes the `kind` key of flat enum encodings: `{"kind": "timedOut", "timeoutNanoseconds": 5}`.
enum FlatKind {
    /// Writes `kind` and returns the container, for the payload's own keys.
    static func encode(_ kind: String, to encoder: any Encoder) throws -> KeyedEncodingContainer<FlatKey> {
        var container = encoder.container(keyedBy: FlatKey.self)
        try container.encode(kind, forKey: .kind)
        return container
    }

    /// Reads `kind`.
    static func decode(from decoder: any Decoder) throws -> (kind: String, container: KeyedDecodingContainer<FlatKey>) {
        let container = try decoder.container(keyedBy: FlatKey.self)
        return (try container.decode(String.self, forKey: .kind), container)
    }

    /// The error for a `kind` that is none of `known`: `DecodingError.dataCorrupted` naming it and the known ones.
    static func unknown(
        _ kind: String,
        of type: String,
        known: [String],
        in container: KeyedDecodingContainer<FlatKey>
    ) -> DecodingError {
        DecodingError.dataCorruptedError(
            forKey: .kind,
            in: container,
            debugDescription: "unknown \(type) kind \"\(kind)\"; the known kinds are \(known.joined(separator: ", "))"
        )
    }
}

/// Checks a report's `schemaVersion` while decoding.
enum SchemaVersion {
    /// Decodes `schemaVersion` from `container` and refuses versions newer than this library's.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for a newer or non-positive version, `keyNotFound` if it is missing.
    static func decode<Key: CodingKey>(
        _ report: String,
        from container: KeyedDecodingContainer<Key>,
        forKey key: Key
    ) throws -> Int {
        let version = try container.decode(Int.self, forKey: key)
        guard version >= 1, version <= reportSchemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: message(report, version: version)
            )
        }
        return version
    }

    static func message(_ report: String, version: Int) -> String {
        version > reportSchemaVersion
            ? "the \(report) has schemaVersion \(version), newer than this library's \(reportSchemaVersion); "
                + "read it with a newer version of swift-agent-orchestration"
            : "the \(report) has schemaVersion \(version); versions start at 1"
    }
}

extension KeyedDecodingContainer {
    /// Decodes the type the caller expects: `execution = try container.inferred(.execution)`.
    ///
    /// Not for `JSONValue?`: a present `null` needs `decodeIfPresent(JSONValue.self, forKey:)`.
    func inferred<T: Decodable>(_ key: Key) throws -> T { try decode(T.self, forKey: key) }

    /// Decodes the optional type the caller expects; `nil` for a missing key or `null`.
    func inferredIfPresent<T: Decodable>(_ key: Key) throws -> T? { try decodeIfPresent(T.self, forKey: key) }
}

extension JSONValue {
    /// Canonical JSON text of an encodable value: sorted keys, so equal values give equal bytes.
    static func canonicalText(of value: some Encodable, prettyPrinted: Bool) -> String {
        do {
            return try JSONValueEncoder().encode(value).jsonText(prettyPrinted: prettyPrinted)
        } catch {
            // The library's report types encode only strings, integers, booleans, arrays and objects.
            preconditionFailure("report encoding failed: \(error)")
        }
    }
}

/// Decodes a report from JSON text with the library's own parser and decoder.
///
/// - Throws: ``OrchestrationError`` with code ``OrchestrationError/Code/invalidReport`` for text that is not JSON
///   or does not match the schema, ``OrchestrationError/Code/unsupportedSchemaVersion`` for a newer schema.
func decodeReport<Report: Decodable>(
    _ type: Report.Type,
    named name: String,
    fromJSONText text: String
) throws(OrchestrationError) -> Report {
    let value: JSONValue
    do {
        value = try JSONValue(parsing: text)
    } catch {
        throw OrchestrationError(
            code: .invalidReport,
            name: name,
            message: "the \(name) text is not valid JSON: \(error.message) "
                + "(line \(error.line), column \(error.column))"
        )
    }
    if case .integer(let version)? = value["schemaVersion"], version > reportSchemaVersion || version < 1 {
        throw OrchestrationError(
            code: .unsupportedSchemaVersion,
            name: name,
            message: SchemaVersion.message(name, version: Int(clamping: version))
        )
    }
    do {
        return try JSONValueDecoder().decode(type, from: value)
    } catch let error as DecodingError {
        throw OrchestrationError(
            code: .invalidReport,
            name: name,
            message: "the \(name) JSON does not match its schema: \(describe(error))"
        )
    } catch {
        throw OrchestrationError(
            code: .invalidReport,
            name: name,
            message: "the \(name) JSON does not decode: \(error)"
        )
    }
}

/// A decoding error in one line: what is wrong, and where (`steps[0].status`).
private func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "the top level" : text
    }
    switch error {
    case .keyNotFound(let key, let context):
        return "key \"\(key.stringValue)\" is missing at \(path(context.codingPath))"
    case .valueNotFound(_, let context), .typeMismatch(_, let context), .dataCorrupted(let context):
        return "\(context.debugDescription) at \(path(context.codingPath))"
    @unknown default:
        return "\(error)"
    }
}
