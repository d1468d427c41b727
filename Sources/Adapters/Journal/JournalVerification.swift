/// The result of verifying a journal's hash chain.
///
/// A `verified` result carries the head hash, so a stored result pins its journal: verifying later with
/// `expectedCount` and `expectedHeadHash` catches a journal cut short, extended or rewritten since. The `Codable`
/// form is flat and versioned: `{"schemaVersion": 1, "kind": "verified", "count": 50, "headHash": "…"}` or
/// `{"schemaVersion": 1, "kind": "failed", "fault": {"kind": "altered", "position": 3, "message": "…"}}`.
public enum JournalVerification: Hashable, Sendable, Codable {
    /// Every entry chains: `count` entries, the last one's hash `headHash` (the genesis when there are none).
    case verified(count: Int, headHash: SHA256Digest)
    /// The first bad entry.
    case failed(JournalFault)

    /// The version of the `Codable` form: 1.
    public static let schemaVersion = 1

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, kind, count, headHash, fault
    }

    /// Decodes the flat form.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for an unknown `kind` or a `schemaVersion` newer than ``schemaVersion``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        guard version <= JournalVerification.schemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion,
                in: container,
                debugDescription: "journal verification schemaVersion \(version) is newer than this library's "
                    + "\(JournalVerification.schemaVersion): upgrade the library"
            )
        }
        switch try container.decode(String.self, forKey: .kind) {
        case "verified":
            self = .verified(
                count: try container.decode(Int.self, forKey: .count),
                headHash: try container.decode(SHA256Digest.self, forKey: .headHash)
            )
        case "failed":
            self = .failed(try container.decode(JournalFault.self, forKey: .fault))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .kind,
                in: container,
                debugDescription: "unknown journal verification kind '\(other)': expected 'verified' or 'failed'"
            )
        }
    }

    /// Encodes the flat form.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(JournalVerification.schemaVersion, forKey: .schemaVersion)
        switch self {
        case .verified(let count, let headHash):
            try container.encode("verified", forKey: .kind)
            try container.encode(count, forKey: .count)
            try container.encode(headHash, forKey: .headHash)
        case .failed(let fault):
            try container.encode("failed", forKey: .kind)
            try container.encode(fault, forKey: .fault)
        }
    }
}
