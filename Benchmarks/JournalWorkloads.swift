// W12a (informative, our own; the full W12 of ../shared/benchmarks/WORKLOADS.md journals whole runs): the journal's
// hash chain alone. Sealing a typical ~300-byte run entry (canonical form, SHA-256, stored form), the same plus an
// in-memory store append, and verifying the journal, per entry.
import AgentAdapters

/// Runs the journal workloads that `options` selects.
func runJournalWorkloads(options: Options, reps: Int) throws {
    let id = "W12a-journal-chain"
    guard options.selects(id) else { return }
    note("running \(id)…")
    let size = 10_000
    let entries = (0..<size).map(journalEntry)
    var records: [JournalRecord] = []
    var chainHead = SHA256Digest.zero

    // Chain only: canonical form, hash and stored form per entry.
    let chainTimes = try measureCPU(reps: reps) {
        var chain = JournalChain()
        var sealed: [JournalRecord] = []
        sealed.reserveCapacity(size)
        for entry in entries { sealed.append(try chain.append(entry)) }
        records = sealed
        chainHead = chain.headHash
    }
    // Chain and an in-memory store, one record per store append, as a run journals.
    let journal = JournalID(rawValue: "w12a")!
    var storedCount = 0
    let storeTimes = try measureCPU(reps: reps) {
        var chain = JournalChain()
        let store = InMemoryCheckpointStore()
        for entry in entries { try store.append([try chain.append(entry)], to: journal, durability: .immediate) }
        storedCount = store.records(of: journal, from: 0).count
    }
    // Verification of the whole journal.
    var verification = JournalVerification.verified(count: 0, headHash: .zero)
    let verifyTimes = try measureCPU(reps: reps) { verification = JournalChain.verify(records) }
    // The floor inside an append: SHA-256 of an entry's hash input (32 bytes of the previous hash, then the
    // canonical form without `hash`, about the stored size less the 74-byte hash member).
    let hashInput = [UInt8](repeating: 0x61, count: 32 + (records.first?.bytes.count ?? 74) - 74)
    var digest = SHA256Digest.zero
    let hashTimes = try measureCPU(reps: reps) { for _ in 0..<size { digest = SHA256.hash(hashInput) } }

    var checks = Checks()
    checks.expect("records", records.count, equals: size)
    checks.require(digest != .zero)
    checks.expect("stored_records", storedCount, equals: size)
    checks.require(verification == .verified(count: size, headHash: chainHead))
    checks.record("verification", .string(verification == .verified(count: size, headHash: chainHead) ? "ok" : "bad"))
    let bytes = records.reduce(0) { $0 + $1.bytes.count }
    func perEntry(_ times: [Timing], _ key: KeyPath<Timing, Double>) -> JSONValue {
        .number(median(times.map { $0[keyPath: key] }) / Double(size) * 1e6)
    }
    var line = throughputLine(id, size: size, reps: reps, times: chainTimes.map(\.wall), checks: checks)
    if case .object(var fields) = line {
        fields["mean_record_bytes"] = .integer(Int64(bytes / max(1, records.count)))
        fields["us_per_append"] = perEntry(chainTimes, \.wall)
        fields["us_per_append_store"] = perEntry(storeTimes, \.wall)
        fields["us_per_verify"] = perEntry(verifyTimes, \.wall)
        fields["cpu_us_per_append"] = perEntry(chainTimes, \.cpu)
        fields["cpu_us_per_append_store"] = perEntry(storeTimes, \.cpu)
        fields["cpu_us_per_verify"] = perEntry(verifyTimes, \.cpu)
        fields["cpu_us_sha256_per_entry"] = perEntry(hashTimes, \.cpu)
        fields["sha256_input_bytes"] = .integer(Int64(hashInput.count))
        line = .object(fields)
    }
    emit(line)
}

/// A typical run entry, about 300 bytes of its own (about 490 stored with the envelope): a finished tool call with
/// small arguments and an output.
func journalEntry(_ index: Int) -> JSONValue {
    let step = Int64(index / 4)
    return [
        "kind": "toolCallFinished",
        "step": .integer(step),
        "call": .integer(Int64(index)),
        "attempt": 1,
        "at": .integer(86_400_000_000_000 + Int64(index) * 1_250_000),  // a run-clock reading in nanoseconds
        "tool": "search.web",
        "callID": .string("call-\(index)"),
        "arguments": ["query": "swift structured concurrency", "limit": 10, "exact": false],
        "output": [
            "title": "Structured concurrency in Swift",
            "url": "https://example.com/swift/concurrency",
            "rank": .integer(Int64(index % 10)),
        ],
    ]
}

/// One timed repetition: wall-clock and thread CPU seconds.
struct Timing {
    var wall: Double
    var cpu: Double
}

/// Times `body` once untimed, then `reps` times; returns wall and thread CPU seconds of the timed runs.
func measureCPU(reps: Int, _ body: () throws -> Void) throws -> [Timing] {
    try body()
    var times: [Timing] = []
    for _ in 0..<reps {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        try body()
        times.append(Timing(wall: seconds(clock.now - start), cpu: threadCPUSeconds() - cpuStart))
    }
    return times
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
