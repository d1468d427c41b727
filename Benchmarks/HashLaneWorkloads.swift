// W12a-sha-lanes (informative, our own): SHA-256 of many messages, scalar (`SHA256.hash`, one message after the
// other) against four SIMD lanes (`SHA256Batch`, multi-buffer), in ns per 64-byte block and per message. Two sets:
// journal-sized messages (32 + 200…320 bytes, as a chain record's hash input) and equal 1,000-byte messages.
import AgentAdapters
import AgentPolicy

/// Runs the SHA-256 lane microbenchmark when `options` selects it.
func runHashLaneWorkloads(options: Options, reps: Int) throws {
    let id = "W12a-sha-lanes"
    guard options.selects(id) else { return }
    note("running \(id)…")
    var generator = SplitMix64(seed: 12)
    let sets: [(name: String, messages: [[UInt8]])] = [
        (
            "journal",
            (0..<8_000).map { _ in
                (0..<(232 + Int(generator.next() % 121))).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            }
        ),
        ("kilobyte", (0..<2_000).map { _ in (0..<1_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }),
    ]
    var fields: [String: JSONValue] = ["workload": .string(id), "reps": .integer(Int64(reps))]
    var checks = Checks()
    for (name, messages) in sets {
        let blocks = messages.reduce(0) { $0 + ($1.count + 72) / 64 }
        var scalar: [SHA256Digest] = []
        let scalarTimes = try measureCPU(reps: reps) { scalar = messages.map { SHA256.hash($0) } }
        var batch = SHA256Batch()
        batch.reserveCapacity(messages: messages.count, bytes: messages.reduce(0) { $0 + $1.count })
        for message in messages { batch.append(message: message) }
        var lanes: [SHA256Digest] = []
        let laneTimes = try measureCPU(reps: reps) { lanes = batch.digests() }
        // The same with the batch filled in the timed part (a reader copies each hash input once).
        let filledTimes = try measureCPU(reps: reps) {
            var filled = SHA256Batch()
            filled.reserveCapacity(messages: messages.count, bytes: messages.reduce(0) { $0 + $1.count })
            for message in messages { filled.append(message: message) }
            lanes = filled.digests()
        }
        checks.require(scalar == lanes)
        checks.expect("\(name)_mismatches", zip(scalar, lanes).filter { $0 != $1 }.count, equals: 0)
        func perBlock(_ times: [Timing]) -> Double { median(times.map(\.cpu)) / Double(blocks) * 1e9 }
        fields["\(name)_messages"] = .integer(Int64(messages.count))
        fields["\(name)_blocks"] = .integer(Int64(blocks))
        fields["\(name)_scalar_cpu_ns_per_block"] = .number(perBlock(scalarTimes))
        fields["\(name)_lanes_cpu_ns_per_block"] = .number(perBlock(laneTimes))
        fields["\(name)_lanes_filled_cpu_ns_per_block"] = .number(perBlock(filledTimes))
        fields["\(name)_scalar_cpu_ns_per_message"] =
            .number(median(scalarTimes.map(\.cpu)) / Double(messages.count) * 1e9)
        fields["\(name)_lanes_filled_cpu_ns_per_message"] =
            .number(median(filledTimes.map(\.cpu)) / Double(messages.count) * 1e9)
        fields["\(name)_speedup"] = .number(perBlock(scalarTimes) / perBlock(laneTimes))
    }
    fields["checks"] = .object(checks.values)
    fields["ok"] = .bool(checks.ok)
    emit(.object(fields))
}
