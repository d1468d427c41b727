import AgentAdapters
@_spi(Internals) import AgentPolicy

/// What a ``FileCheckpointStore`` shares with its I/O thread: the directory, the table of open journals and the
/// worker. Every method here blocks on the disk and runs only on the worker's thread, one at a time.
///
/// A separate object from the store so that the store's `deinit` can hand the closing of its descriptors to the
/// I/O thread: the job holds the core, not the store.
final class FileJournalCore: Sendable {
    /// The journal directory.
    let directory: String
    /// The open journals and the rules.
    let table: LockedState<FileJournalTable>
    /// The I/O thread.
    let worker = FileJournalWorker()

    /// Creates the core of a store.
    ///
    /// - Parameters:
    ///   - directory: The journal directory.
    ///   - durability: When to sync.
    init(directory: String, durability: FileJournalDurability) {
        self.directory = directory
        self.table = LockedState(FileJournalTable(durability: durability))
    }

    /// The path of a journal's file.
    ///
    /// - Parameter journal: The journal.
    /// - Returns: `<directory>/<id>.journal`.
    func path(of journal: JournalID) -> String {
        directory + "/" + journal.rawValue + FileJournalFormat.fileSuffix
    }

    /// Appends records (on the I/O thread).
    func append(_ records: [JournalRecord], to journal: JournalID, asked: JournalDurability) throws {
        var plan = table.withLock { $0.planAppend(records, to: journal, asked: asked) }
        if plan == .open {
            _ = try open(journal)
            plan = table.withLock { $0.planAppend(records, to: journal, asked: asked) }
        }
        switch plan {
        case .storeClosed: throw closedError()
        case .open, .nothing: return
        case .refuse(let error): throw error
        case .syncOnly(let descriptor):
            do throws(FileJournalSystem.Failure) {
                try syncFile(descriptor, of: journal)
            } catch {
                throw discard(journal, after: error, end: nil)
            }
        case .write(let descriptor, let offset, let sync):
            var frames: [UInt8] = []
            var frameOffsets: [Int64] = []
            frameOffsets.reserveCapacity(records.count)
            for record in records {
                frameOffsets.append(offset + Int64(frames.count))
                FileJournalFormat.appendFrame(record.bytes, to: &frames)
            }
            let path = path(of: journal)
            do throws(FileJournalSystem.Failure) {
                try FileJournalSystem.write(descriptor, frames, at: offset, path: path)
                if sync { try syncFile(descriptor, of: nil) }
            } catch {
                throw discard(journal, after: error, end: offset)
            }
            let end = offset + Int64(frames.count)
            table.withLock { $0.recordWrite(to: journal, frameOffsets: frameOffsets, end: end, synced: sync) }
        }
    }

    /// Opens a journal for writing (on the I/O thread): takes its lock, recovers its tail, writes its header if it
    /// has none. Returns the report recorded at the first open when it is open already.
    func open(_ journal: JournalID) throws -> FileJournalRecovery {
        let (closed, report) = table.withLock { ($0.isClosed, $0.reports[journal]) }
        guard !closed else { throw closedError() }
        if let report, table.withLock({ $0.open[journal] != nil }) { return report }
        try ensureDirectory()
        let path = path(of: journal)
        let descriptor: Int32
        do throws(FileJournalSystem.Failure) {
            descriptor = try FileJournalSystem.openForWriting(path)
        } catch {
            throw ioError(error, journal)
        }
        do {
            guard try FileJournalSystem.lockExclusively(descriptor, path: path) else {
                throw CheckpointStoreError(
                    code: .journalLocked,
                    journal: journal,
                    message: "another writer holds the lock on \(path) (another store, in this process or another): "
                        + "close that store, or wait for its process to end; a killed process releases it"
                )
            }
            let length = try FileJournalSystem.length(of: descriptor, path: path)
            let bytes = try FileJournalSystem.read(descriptor, at: 0, count: Int(length), path: path)
            let scan = try scanned(bytes, of: journal, path: path)
            var kept = Int64(scan.validLength)
            if scan.validLength < FileJournalFormat.headerSize {
                // New, or created and never given a whole header: write it, then make file and name durable.
                if length > 0 { try FileJournalSystem.truncate(descriptor, to: 0, path: path) }
                try FileJournalSystem.write(descriptor, FileJournalFormat.header, at: 0, path: path)
                table.withLock { $0.recordHeaderWrite(bytes: FileJournalFormat.headerSize) }
                try syncFile(descriptor, of: nil)
                try syncDirectory(directory)
                kept = Int64(FileJournalFormat.headerSize)
            } else if kept < length {
                try FileJournalSystem.truncate(descriptor, to: kept, path: path)
                try syncFile(descriptor, of: nil)
            }
            let report = FileJournalRecovery(
                journal: journal,
                recordCount: scan.payloads.count,
                keptBytes: kept,
                droppedBytes: length - Int64(scan.validLength),
                damage: scan.damage
            )
            let state = FileJournalTable.OpenJournal(
                descriptor: descriptor,
                frameOffsets: scan.frameOffsets.map { Int64($0) },
                end: kept
            )
            table.withLock { $0.recordOpen(journal, state: state, report: report) }
            return report
        } catch {
            FileJournalSystem.close(descriptor)
            if let failure = error as? FileJournalSystem.Failure { throw ioError(failure, journal) }
            throw error
        }
    }

    /// Reads records (on the I/O thread).
    func records(of journal: JournalID, from position: Int) throws -> [JournalRecord] {
        let path = path(of: journal)
        switch table.withLock({ $0.planRead(of: journal, from: position) }) {
        case .storeClosed:
            throw closedError()
        case .readOpen(let descriptor, let offset, let end, let first):
            do {
                let bytes = try FileJournalSystem.read(descriptor, at: offset, count: Int(end - offset), path: path)
                let scan = try FileJournalScan.scanRecords(bytes)
                guard scan.validLength == bytes.count else {
                    throw CheckpointStoreError(
                        code: .corrupt,
                        journal: journal,
                        message: "\(path) changed under this store at byte \(offset + Int64(scan.validLength)): "
                            + "only this store may write a journal it holds open"
                    )
                }
                return zip(first..., scan.payloadBytes(in: bytes)).map { JournalRecord(position: $0, bytes: $1) }
            } catch let failure as FileJournalSystem.Failure {
                throw ioError(failure, journal)
            } catch let error as FileJournalScan.Failure {
                throw corruptError(error, journal, path: path)
            }
        case .readFile:
            // No lock and no cut: a writer elsewhere may be appending, so a torn tail is left for it.
            do {
                guard let descriptor = try FileJournalSystem.openForReading(path) else { return [] }
                defer { FileJournalSystem.close(descriptor) }
                let length = try FileJournalSystem.length(of: descriptor, path: path)
                let bytes = try FileJournalSystem.read(descriptor, at: 0, count: Int(length), path: path)
                let scan = try scanned(bytes, of: journal, path: path)
                let first = max(0, position)
                guard first < scan.payloads.count else { return [] }
                return (first..<scan.payloads.count).map {
                    JournalRecord(position: $0, bytes: Array(bytes[scan.payloads[$0]]))
                }
            } catch let failure as FileJournalSystem.Failure {
                throw ioError(failure, journal)
            }
        }
    }

    /// The journals in the directory (on the I/O thread).
    func journals() throws -> [JournalID] {
        guard !table.withLock({ $0.isClosed }) else { throw closedError() }
        let names: [String]?
        do throws(FileJournalSystem.Failure) {
            names = try FileJournalSystem.names(inDirectory: directory)
        } catch {
            throw directoryError(error)
        }
        let suffix = FileJournalFormat.fileSuffix
        return (names ?? []).compactMap { name in
            guard name.hasSuffix(suffix) else { return nil }
            return JournalID(rawValue: String(name.dropLast(suffix.count)))
        }
        .sorted()
    }

    /// Closes the store (on the I/O thread): syncs journals with unsynced writes, then closes every descriptor,
    /// which releases their locks. Throws the first sync failure after closing them all.
    func close(syncing: Bool) throws {
        var firstFailure: (any Error)?
        for (journal, descriptor, needsSync) in table.withLock({ $0.close() }) {
            if syncing, needsSync {
                do throws(FileJournalSystem.Failure) { try syncFile(descriptor, of: nil) } catch {
                    firstFailure = firstFailure ?? ioError(error, journal)
                }
            }
            FileJournalSystem.close(descriptor)
        }
        if let firstFailure { throw firstFailure }
    }
}
