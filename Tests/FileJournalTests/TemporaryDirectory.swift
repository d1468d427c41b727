import AgentAdapters
import AgentFileJournal

/// Runs `body` with a new directory made by `mkdtemp`, and removes the directory and its files afterwards, also when
/// `body` throws.
func withTemporaryDirectory<Value>(_ body: (String) async throws -> Value) async throws -> Value {
    let directory = try FileJournalSystem.makeTemporaryDirectory(prefix: "FileJournalTests")
    do {
        let value = try await body(directory)
        try FileJournalSystem.removeDirectory(directory)
        return value
    } catch {
        try? FileJournalSystem.removeDirectory(directory)
        throw error
    }
}

/// File helpers for tests, over the store's own POSIX wrappers.
enum TestFile {
    /// The whole file.
    static func bytes(at path: String) throws -> [UInt8] {
        let descriptor = try FileJournalSystem.openForWriting(path)
        defer { FileJournalSystem.close(descriptor) }
        let length = try FileJournalSystem.length(of: descriptor, path: path)
        return try FileJournalSystem.read(descriptor, at: 0, count: Int(length), path: path)
    }

    /// Replaces the file's contents with `bytes`.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = try FileJournalSystem.openForWriting(path)
        defer { FileJournalSystem.close(descriptor) }
        try FileJournalSystem.truncate(descriptor, to: 0, path: path)
        try FileJournalSystem.write(descriptor, bytes, at: 0, path: path)
    }
}

/// A journal id from a literal known to be valid.
func journalID(_ text: String) -> JournalID {
    guard let id = JournalID(rawValue: text) else { preconditionFailure("invalid test journal id \(text)") }
    return id
}

/// Records at positions `first...` with the given payloads.
func records(_ payloads: [String], from first: Int = 0) -> [JournalRecord] {
    payloads.enumerated().map { JournalRecord(position: first + $0.offset, bytes: Array($0.element.utf8)) }
}
