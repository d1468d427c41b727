// C stdio on both platforms: `fopen(_:_:) -> UnsafeMutablePointer<FILE>?`, `fread`/`fwrite(…) -> Int` (size_t),
// `getenv(_:) -> UnsafeMutablePointer<CChar>?`, the same declarations in Glibc and Darwin.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads and writes the test fixtures in `Tests/AdaptersTests/FixtureData`, found beside this source file.
enum FixtureFiles {
    /// The absolute path of the fixture named `name`.
    static func path(_ name: String, filePath: String = #filePath) -> String {
        let directory = filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
            separator: "/"
        )
        return directory + "/FixtureData/" + name
    }

    /// The bytes of the fixture named `name`, or `nil` when it cannot be read.
    static func read(_ name: String) -> [UInt8]? {
        guard let file = fopen(path(name), "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 65_536, file) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    /// Writes `bytes` to the fixture named `name`; returns whether it worked.
    static func write(_ name: String, _ bytes: [UInt8]) -> Bool {
        guard let file = fopen(path(name), "wb") else { return false }
        defer { fclose(file) }
        return bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, file) } == bytes.count
    }

    /// Whether the environment asks the tests to rewrite their generated fixtures (`AGENT_REGENERATE_FIXTURES=1`).
    static var regenerate: Bool {
        guard let value = getenv("AGENT_REGENERATE_FIXTURES") else { return false }
        return String(cString: value) == "1"
    }
}
