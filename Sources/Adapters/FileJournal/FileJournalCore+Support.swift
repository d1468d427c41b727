import AgentAdapters
@_spi(Internals) import AgentPolicy

extension FileJournalCore {
    /// Syncs a journal file: the one place the store calls `fsync` (``FileJournalSystem/sync(_:path:)``), counted
    /// in ``FileJournalStatistics/fileSyncs``.
    ///
    /// - Parameters:
    ///   - descriptor: The file's descriptor.
    ///   - journal: The journal whose pending writes this sync covers, if it is open.
    /// - Throws: The failed system call.
    func syncFile(_ descriptor: Int32, of journal: JournalID?) throws(FileJournalSystem.Failure) {
        try FileJournalSystem.sync(descriptor, path: journal.map(path(of:)) ?? "descriptor \(descriptor)")
        table.withLock { $0.recordFileSync(of: journal) }
    }

    /// Syncs a directory: the one place the store syncs one, counted in
    /// ``FileJournalStatistics/directorySyncs``.
    ///
    /// - Parameter path: The directory.
    /// - Throws: The failed system call.
    func syncDirectory(_ path: String) throws(FileJournalSystem.Failure) {
        try FileJournalSystem.syncDirectory(path)
        table.withLock { $0.recordDirectorySync() }
    }

    /// Makes the directory if it does not exist (once per store); a new directory's name is synced in its parent.
    func ensureDirectory() throws(FileJournalError) {
        guard !table.withLock({ $0.hasDirectory }) else { return }
        do throws(FileJournalSystem.Failure) {
            if try FileJournalSystem.makeDirectory(directory) {
                try syncDirectory(Self.parent(of: directory))
            }
        } catch {
            throw directoryError(error)
        }
        table.withLock { $0.recordDirectory() }
    }

    /// The directory that holds `path`.
    ///
    /// - Parameter path: A path.
    /// - Returns: Everything before its last component (`/` for a top-level path, `.` for a relative name).
    static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// Scans a file's bytes, turning a refusal into a `corrupt` error.
    func scanned(_ bytes: [UInt8], of journal: JournalID, path: String) throws(CheckpointStoreError) -> FileJournalScan
    {
        do throws(FileJournalScan.Failure) {
            return try FileJournalScan.scan(bytes)
        } catch {
            throw corruptError(error, journal, path: path)
        }
    }

    /// A write or sync failed: undo what can be undone and forget the journal, so that its next access opens and
    /// recovers it again (the lock is released meanwhile).
    ///
    /// - Parameters:
    ///   - journal: The journal.
    ///   - error: The failure.
    ///   - end: The length to cut the file back to (the end before the failed write), or `nil`.
    /// - Returns: The error to throw.
    func discard(_ journal: JournalID, after error: FileJournalSystem.Failure, end: Int64?) -> CheckpointStoreError {
        if let descriptor = table.withLock({ $0.discard(journal) }) {
            if let end { try? FileJournalSystem.truncate(descriptor, to: end, path: path(of: journal)) }
            FileJournalSystem.close(descriptor)
        }
        var failure = ioError(error, journal)
        failure.message +=
            "; the append was not made durable and was undone, the journal is closed: check the "
            + "disk, then append again (the store reopens and recovers it)"
        return failure
    }

    /// A failed system call about a journal, as the store's error.
    func ioError(_ failure: FileJournalSystem.Failure, _ journal: JournalID) -> CheckpointStoreError {
        CheckpointStoreError(code: .ioFailed, journal: journal, message: failure.description)
    }

    /// A failed system call about the directory, as the store's error.
    func directoryError(_ failure: FileJournalSystem.Failure) -> FileJournalError {
        FileJournalError(
            code: .directoryFailed,
            path: directory,
            systemError: failure.errorNumber,
            message: "\(failure): check that the journal directory's parent exists and is writable"
        )
    }

    /// The error for any operation after ``FileCheckpointStore/close()``.
    func closedError() -> FileJournalError {
        FileJournalError(code: .storeClosed, path: directory, message: "the store was closed: make a new one")
    }

    /// A file the scan refused, as the store's error.
    func corruptError(_ failure: FileJournalScan.Failure, _ journal: JournalID, path: String) -> CheckpointStoreError {
        Self.corruptError(failure, journal, path: path)
    }

    /// A file the scan refused, as the store's error.
    ///
    /// - Parameters:
    ///   - failure: Why the scan refused it.
    ///   - journal: The journal.
    ///   - path: The file, as named in the message.
    /// - Returns: A `corrupt` error.
    static func corruptError(_ failure: FileJournalScan.Failure, _ journal: JournalID, path: String)
        -> CheckpointStoreError
    {
        let message: String
        switch failure {
        case .notAJournal:
            message =
                "\(path) does not start with a journal header (magic AGJRNL, header checksum): it is not a "
                + "journal of this format, or its first 16 bytes are damaged; move it away"
        case .unsupportedVersion(let version):
            message =
                "\(path) has format version \(version); this store reads version \(FileJournalFormat.version): "
                + "open it with the library version that wrote it"
        case .corruptRecord(let position, let offset):
            message =
                "\(path): the record at position \(position) (byte \(offset)) does not match its checksum and "
                + "whole records follow it, so it is not a torn tail; nothing was cut. Restore the file from a copy, "
                + "or cut it at byte \(offset) by hand to keep the records before it"
        }
        return CheckpointStoreError(code: .corrupt, journal: journal, message: message)
    }
}
