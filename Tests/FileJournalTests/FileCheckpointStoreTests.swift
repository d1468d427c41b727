import AgentAdapters
import AgentFileJournal
import Testing

@Suite("File checkpoint store", .timeLimit(.suite))
struct FileCheckpointStoreTests {
    @Test("appended records read back with their positions, from any position")
    func roundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory)
            let run = journalID("run-1")
            try await store.append(records(["a", "bb"]), to: run, durability: .deferred)
            try await store.append(records(["", "dddd"], from: 2), to: run, durability: .immediate)
            #expect(try await store.records(of: run, from: 0) == records(["a", "bb", "", "dddd"]))
            #expect(try await store.records(of: run, from: 2) == records(["", "dddd"], from: 2))
            #expect(try await store.records(of: run, from: 4).isEmpty)
            #expect(try await store.records(of: run, from: -3).count == 4)
            #expect(try await store.records(of: journalID("absent"), from: 0).isEmpty)
            try await store.close()
            // A new store reads the same records from the file, then continues the journal.
            let reopened = FileCheckpointStore(directory: directory)
            #expect(try await reopened.records(of: run, from: 1) == records(["bb", "", "dddd"], from: 1))
            try await reopened.append(records(["e"], from: 4), to: run, durability: .immediate)
            #expect(try await reopened.records(of: run, from: 3) == records(["dddd", "e"], from: 3))
            #expect(reopened.recoveries.isEmpty)
            try await reopened.close()
        }
    }

    @Test("a record whose position does not continue the journal is refused and nothing is written")
    func positionsAreChecked() async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory)
            let run = journalID("run")
            try await store.append(records(["a"]), to: run, durability: .deferred)
            for wrong in [
                records(["x"], from: 0), records(["x"], from: 2),
                [JournalRecord(position: 1, bytes: [1])] + records(["y"], from: 3),
            ] {
                await #expect {
                    try await store.append(wrong, to: run, durability: .immediate)
                } throws: { error in
                    (error as? CheckpointStoreError)?.code == .positionMismatch
                }
            }
            #expect(try await store.records(of: run, from: 0) == records(["a"]))
            #expect(try TestFile.bytes(at: store.path(of: run)).count == 16 + 8 + 1)
            try await store.close()
        }
    }

    @Test("journals lists the journal files, sorted, and skips other files")
    func listing() async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory + "/journals")
            #expect(try await store.journals().isEmpty)  // the directory does not exist yet
            for name in ["b.2", "a", "c_d-e"] {
                try await store.append(records(["x"]), to: journalID(name), durability: .deferred)
            }
            try TestFile.write([1], to: directory + "/journals/notes.txt")
            try TestFile.write([1], to: directory + "/journals/.hidden.journal")
            try TestFile.write([1], to: directory + "/journals/bad name.journal")
            #expect(try await store.journals().map(\.rawValue) == ["a", "b.2", "c_d-e"])
            try await store.close()
            for name in [
                "notes.txt", ".hidden.journal", "bad name.journal", "a.journal", "b.2.journal", "c_d-e.journal",
            ] {
                try FileJournalSystem.removeFile(directory + "/journals/" + name)
            }
            try FileJournalSystem.removeDirectory(directory + "/journals")
        }
    }

    @Test("ids that are not valid file names cannot exist")
    func journalIDsAreFileNames() {
        for invalid in [
            "", ".", "..", "../etc", "a/b", ".hidden", "a b", "naïve", "a\u{0}b", String(repeating: "x", count: 201),
        ] {
            #expect(JournalID(rawValue: invalid) == nil, "\(invalid.debugDescription)")
        }
        for valid in ["a", "run-1", "run_1.v2", "A.b.C", String(repeating: "x", count: 200)] {
            #expect(JournalID(rawValue: valid)?.rawValue == valid)
        }
    }

    @Test("a second store cannot write a journal the first holds; readers can; closing releases the lock")
    func oneWriter() async throws {
        try await withTemporaryDirectory { directory in
            let run = journalID("run")
            let first = FileCheckpointStore(directory: directory)
            let second = FileCheckpointStore(directory: directory)
            try await first.append(records(["a"]), to: run, durability: .immediate)
            await #expect {
                try await second.append(records(["b"], from: 1), to: run, durability: .immediate)
            } throws: { error in
                (error as? CheckpointStoreError)?.code == .journalLocked
            }
            await #expect {
                try await second.open(run)
            } throws: { error in
                (error as? CheckpointStoreError)?.code == .journalLocked
            }
            #expect(try await second.records(of: run, from: 0) == records(["a"]))
            // Other journals are not affected.
            try await second.append(records(["z"]), to: journalID("other"), durability: .deferred)
            try await first.close()
            try await second.append(records(["b"], from: 1), to: run, durability: .immediate)
            #expect(try await second.records(of: run, from: 0) == records(["a", "b"]))
            await #expect {
                try await first.append(records(["c"], from: 2), to: run, durability: .immediate)
            } throws: { error in
                (error as? FileJournalError)?.code == .storeClosed
            }
            try await second.close()
            try await first.close()  // closing twice does nothing
        }
    }

    @Test("a new journal file is synced, then its directory")
    func creationSyncs() async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory, durability: .stepBoundaries)
            let recovery = try await store.open(journalID("run"))
            #expect(recovery.droppedBytes == 0 && recovery.recordCount == 0 && recovery.keptBytes == 16)
            #expect(store.statistics.fileSyncs == 1)
            #expect(store.statistics.directorySyncs == 1)
            #expect(try TestFile.bytes(at: store.path(of: journalID("run"))).count == 16)
            try await store.open(journalID("run"))  // open already: nothing more
            #expect(store.statistics.fileSyncs == 1)
            try await store.close()
        }
    }

    @Test(
        "durability: fsyncs per append for each configuration and requested durability",
        arguments: [
            (FileJournalDurability.everyEntry, JournalDurability.immediate, 1),
            (.everyEntry, .deferred, 1),
            (.stepBoundaries, .immediate, 1),
            (.stepBoundaries, .deferred, 0),
        ]
    )
    func syncsPerAppend(configured: FileJournalDurability, asked: JournalDurability, syncs: Int) async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory, durability: configured)
            let run = journalID("run")
            try await store.open(run)
            let before = store.statistics.fileSyncs
            for position in 0..<3 {
                try await store.append(records(["entry"], from: position), to: run, durability: asked)
                #expect(store.statistics.fileSyncs == before + syncs * (position + 1))
            }
            #expect(store.statistics.recordsWritten == 3)
            try await store.close()
            // Close syncs what was left unsynced, and only that.
            #expect(store.statistics.fileSyncs == before + syncs * 3 + (syncs == 0 ? 1 : 0))
        }
    }

    @Test("at step boundaries, an immediate append of no records syncs pending writes, and only those")
    func stepBoundarySync() async throws {
        try await withTemporaryDirectory { directory in
            let store = FileCheckpointStore(directory: directory, durability: .stepBoundaries)
            let run = journalID("run")
            try await store.open(run)
            let before = store.statistics.fileSyncs
            try await store.append([], to: run, durability: .immediate)
            #expect(store.statistics.fileSyncs == before)
            try await store.append(records(["a", "b"]), to: run, durability: .deferred)
            try await store.append(records(["c"], from: 2), to: run, durability: .deferred)
            #expect(store.statistics.fileSyncs == before)
            try await store.append([], to: run, durability: .immediate)
            #expect(store.statistics.fileSyncs == before + 1)
            try await store.append([], to: run, durability: .immediate)
            try await store.close()
            #expect(store.statistics.fileSyncs == before + 1)
        }
    }
}
