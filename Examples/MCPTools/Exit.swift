// The example's only platform code: standard error and the exit status (no Foundation needed).
#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes `message` and a newline to standard error (file descriptor 2).
/// Both: ssize_t write(int, const void *, size_t); Swift: write(Int32, UnsafeRawPointer!, Int) -> Int
func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// Ends the process with `status`. Both: void exit(int);
func exitProcess(_ status: Int32) -> Never {
    exit(status)
}
