// The example's only platform code: the effects file (POSIX open/read/write/fsync), standard error and the exit
// status. No Foundation.
#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The file the example's tool writes its effect to: one line per call, `step <n> key <idempotency key>`.
struct EffectsFile: Sendable {
    /// The file's path.
    let path: String

    /// A POSIX call on the effects file failed.
    struct Failure: Error, CustomStringConvertible {
        /// What failed, with `errno`'s number.
        let description: String
    }

    /// Appends `line` unless a line already ends with `key <key>`; returns the line that is in the file for the key.
    ///
    /// The check and the write happen with the file open `O_APPEND`, and the write is synced before this returns.
    /// One process at a time runs the run (the journal's `flock` guarantees it), so no other writer interleaves.
    ///
    /// Darwin and Glibc both: int open(const char *, int, ...); ssize_t read(int, void *, size_t);
    /// ssize_t write(int, const void *, size_t); int fsync(int); int close(int).
    func appendOnce(key: String, line: String) throws(Failure) -> String {
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "open \(path) failed: errno \(errno)") }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw Failure(description: "read \(path) failed: errno \(errno)") }
            if count == 0 { break }
            contents += buffer[0..<count]
        }
        let suffix = " key \(key)"
        for existing in String(decoding: contents, as: UTF8.self).split(separator: "\n")
        where existing.hasSuffix(suffix) {
            return String(existing)
        }
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw Failure(description: "write \(path) failed: errno \(errno)") }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw Failure(description: "fsync \(path) failed: errno \(errno)") }
        return line
    }
}

/// Writes `message` and a newline to standard error (file descriptor 2).
/// Both: ssize_t write(int, const void *, size_t)
func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// Ends the process with `status`. Both: void exit(int)
func exitProcess(_ status: Int32) -> Never {
    exit(status)
}
