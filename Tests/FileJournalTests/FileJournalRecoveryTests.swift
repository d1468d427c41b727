import AgentAdapters
import AgentFileJournal
import Testing

@Suite("File journal recovery", .timeLimit(.suite))
struct FileJournalRecoveryTests {
    static let payloads = ["first entry", "second", "the third and last entry"]

    /// Writes the three records with one store and returns the file's bytes and where the last record starts.
    static func writeJournal(in directory: String) async throws -> (path: String, bytes: [UInt8], lastStart: Int) {
        let store = FileCheckpointStore(directory: directory)
        let run = journalID("run")
        try await store.append(records(payloads), to: run, durability: .immediate)
        try await store.close()
        let bytes = try TestFile.bytes(at: store.path(of: run))
        return (store.path(of: run), bytes, bytes.count - 8 - payloads[2].utf8.count)
    }

    @Test("a tail torn at every byte of the last record is cut back to the whole records")
    func tornAtEveryOffset() async throws {
        try await withTemporaryDirectory { directory in
            let (path, bytes, lastStart) = try await Self.writeJournal(in: directory)
            let run = journalID("run")
            for cut in lastStart..<bytes.count {
                try TestFile.write(Array(bytes[0..<cut]), to: path)
                let store = FileCheckpointStore(directory: directory)
                let recovery = try await store.open(run)
                let torn = cut - lastStart
                #expect(recovery.recordCount == 2, "cut at \(cut)")
                #expect(recovery.droppedBytes == Int64(torn), "cut at \(cut)")
                #expect(recovery.keptBytes == Int64(lastStart), "cut at \(cut)")
                let damage: FileJournalRecovery.Damage? =
                    torn == 0 ? nil : torn < 8 ? .shortLengthPrefix : .shortRecord
                #expect(recovery.damage == damage, "cut at \(cut)")
                #expect(store.recoveries == (torn == 0 ? [] : [recovery]), "cut at \(cut)")
                #expect(try TestFile.bytes(at: path) == Array(bytes[0..<lastStart]), "cut at \(cut)")
                #expect(try await store.records(of: run, from: 0) == records(Array(Self.payloads.prefix(2))))
                // The journal continues where the whole records end.
                try await store.append(records(["again"], from: 2), to: run, durability: .immediate)
                #expect(try await store.records(of: run, from: 2) == records(["again"], from: 2))
                try await store.close()
            }
        }
    }

    @Test("a file torn inside its header holds no records and gets its header again")
    func tornHeader() async throws {
        try await withTemporaryDirectory { directory in
            let (path, bytes, _) = try await Self.writeJournal(in: directory)
            for cut in 1..<16 {
                try TestFile.write(Array(bytes[0..<cut]), to: path)
                let store = FileCheckpointStore(directory: directory)
                let recovery = try await store.open(journalID("run"))
                #expect(recovery.damage == .shortHeader && recovery.droppedBytes == Int64(cut), "cut at \(cut)")
                #expect(recovery.recordCount == 0 && recovery.keptBytes == 16, "cut at \(cut)")
                #expect(try TestFile.bytes(at: path) == Array(bytes[0..<16]), "cut at \(cut)")
                try await store.close()
            }
        }
    }

    @Test("a flipped byte in the last record's checksum or payload drops that record")
    func flippedLastRecord() async throws {
        try await withTemporaryDirectory { directory in
            let (path, bytes, lastStart) = try await Self.writeJournal(in: directory)
            for index in (lastStart + 4)..<bytes.count {
                var damaged = bytes
                damaged[index] ^= 0x20
                try TestFile.write(damaged, to: path)
                let store = FileCheckpointStore(directory: directory)
                let recovery = try await store.open(journalID("run"))
                #expect(recovery.damage == .checksumMismatch, "byte \(index)")
                #expect(recovery.recordCount == 2 && recovery.droppedBytes == Int64(bytes.count - lastStart))
                #expect(try TestFile.bytes(at: path) == Array(bytes[0..<lastStart]), "byte \(index)")
                try await store.close()
            }
        }
    }

    @Test("a damaged record before whole ones is reported as corrupt and nothing is cut")
    func damagedMiddle() async throws {
        try await withTemporaryDirectory { directory in
            let (path, bytes, _) = try await Self.writeJournal(in: directory)
            var damaged = bytes
            damaged[16 + 8 + 2] ^= 0x01  // record 0's payload
            try TestFile.write(damaged, to: path)
            let store = FileCheckpointStore(directory: directory)
            await #expect {
                try await store.open(journalID("run"))
            } throws: { error in
                guard let error = error as? CheckpointStoreError else { return false }
                return error.code == .corrupt && error.message.contains("position 0")
            }
            await #expect {
                try await store.records(of: journalID("run"), from: 0)
            } throws: { error in
                (error as? CheckpointStoreError)?.code == .corrupt
            }
            #expect(try TestFile.bytes(at: path) == damaged)
            try await store.close()
        }
    }

    @Test("a reader without the lock returns the whole records and cuts nothing")
    func readerDoesNotCut() async throws {
        try await withTemporaryDirectory { directory in
            let (path, bytes, lastStart) = try await Self.writeJournal(in: directory)
            let torn = Array(bytes[0..<(lastStart + 5)])
            try TestFile.write(torn, to: path)
            let store = FileCheckpointStore(directory: directory)
            #expect(try await store.records(of: journalID("run"), from: 0) == records(Array(Self.payloads.prefix(2))))
            #expect(try TestFile.bytes(at: path) == torn)
            #expect(store.recoveries.isEmpty)
            try await store.close()
        }
    }

    @Test("a file that is not a journal, or of a newer format, is refused")
    func notAJournal() async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory)
            let path = store.path(of: journalID("run"))
            try TestFile.write(Array("{\"not\": \"a journal\"}\n".utf8), to: path)
            await #expect {
                try await store.append(records(["a"]), to: journalID("run"), durability: .immediate)
            } throws: { error in
                (error as? CheckpointStoreError)?.code == .corrupt
            }
            #expect(try TestFile.bytes(at: path) == Array("{\"not\": \"a journal\"}\n".utf8))
            try await store.close()
        }
    }
}
