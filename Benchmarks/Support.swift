// Support for the benchmark executable: options, timing, output, the C-library file reader and peak memory.
// No Foundation: this executable also proves the library links into a Foundation-free program.
import AgentAdapters

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Command-line options: `--only W1,W4` and `--reps N`.
struct Options {
    var only: Set<String>?
    var reps = 5
    var w4Path = "Benchmarks/Data/w4_dag.json"

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--only":
                only = Set((iterator.next() ?? "").split(separator: ",").map { String($0) })
            case "--reps":
                reps = max(1, Int(iterator.next() ?? "") ?? 5)
            case "--w4":
                w4Path = iterator.next() ?? w4Path
            default:
                note("unknown argument \(argument); usage: Benchmarks [--only W1,W4] [--reps 5] [--w4 path]")
            }
        }
    }

    /// Whether workload `id` (e.g. "W2-dag-chain-raw") is selected: by its full id or its prefix ("W2").
    func selects(_ id: String) -> Bool {
        guard let only else { return true }
        let prefix = String(id.prefix { $0 != "-" })
        let family = String(prefix.prefix { !$0.isLetter || $0 == "W" })  // "W7b" belongs to "W7"
        return only.contains(id) || only.contains(prefix) || only.contains(family)
    }
}

/// Writes a line to standard error (progress and notes never go to standard output).
func note(_ text: String) {
    var line = text + "\n"
    line.withUTF8 { buffer in _ = fwrite(buffer.baseAddress, 1, buffer.count, standardErrorStream) }
    fflush(standardErrorStream)
}

/// The C library's standard error stream, opened once. `nonisolated(unsafe)`: only the main task writes notes.
nonisolated(unsafe) let standardErrorStream = fdopen(2, "w")

/// Writes one JSON line to standard output.
func emit(_ value: JSONValue) {
    print(value.jsonText())
    fflush(nil)
}

func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) / 1e18
}

/// Times `body` once untimed, then `reps` times; returns the seconds of the timed runs and the last checks.
func measure(reps: Int, _ body: () async -> Checks) async -> (times: [Double], checks: Checks) {
    _ = await body()
    var times: [Double] = []
    var checks = Checks()
    for _ in 0..<reps {
        let clock = ContinuousClock()
        let start = clock.now
        checks = await body()
        times.append(seconds(clock.now - start))
    }
    return (times, checks)
}

/// Correctness counters of a workload; `ok` is false as soon as one expectation fails.
struct Checks {
    var values: [String: JSONValue] = [:]
    var ok = true

    mutating func expect(_ name: String, _ value: Int, equals expected: Int) {
        values[name] = .integer(Int64(value))
        if value != expected { ok = false }
    }

    mutating func record(_ name: String, _ value: JSONValue) { values[name] = value }

    mutating func require(_ condition: Bool) { if !condition { ok = false } }
}

/// The standard line for a throughput workload.
func throughputLine(_ id: String, size: Int, reps: Int, times: [Double], checks: Checks) -> JSONValue {
    let sorted = times.sorted()
    let median =
        sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    return [
        "workload": .string(id),
        "size": .integer(Int64(size)),
        "reps": .integer(Int64(reps)),
        "median_s": .number(median),
        "min_s": .number(sorted.first ?? 0),
        "max_s": .number(sorted.last ?? 0),
        "us_per_unit": .number(median / Double(size) * 1e6),
        "checks": .object(checks.values),
        "ok": .bool(checks.ok),
    ]
}

/// Reads a whole file with the C library.
func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

#if canImport(Glibc)
    let rusageSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
    let rusageSelf = RUSAGE_SELF
#endif

/// The process's peak resident set size so far, in MiB.
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(rusageSelf, &usage)
    #if canImport(Darwin)
        return Double(usage.ru_maxrss) / (1024 * 1024)  // bytes on Darwin
    #else
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
    #endif
}

/// The calling thread's CPU time, in seconds: `clock_gettime(CLOCK_THREAD_CPUTIME_ID, _:)`, declared alike in Glibc
/// and Darwin (macOS 10.12 and later).
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
