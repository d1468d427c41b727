import FoundationEssentials
import Testing

/// The library modules import no Foundation, do no I/O of their own and never use the main actor.
///
/// The test reads the library's sources (tests may do I/O; the library may not) and looks for forbidden imports
/// and calls outside comments.
@Suite("Library purity")
struct LibraryPurityTests {
    static let libraryFolders = ["Policy", "Adapters", "Orchestrator", "DAG"]

    static var sourcesRoot: URL {
        // Tests/OrchestrationTests/LibraryPurityTests.swift → package root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
    }

    static func codeLines() throws -> [(file: String, line: Int, text: String)] {
        var lines: [(String, Int, String)] = []
        for folder in libraryFolders {
            let directory = sourcesRoot.appendingPathComponent(folder)
            let paths = try FileManager.default.subpathsOfDirectory(atPath: directory.path)
            for path in paths.sorted() where path.hasSuffix(".swift") {
                let data = try Data(contentsOf: directory.appendingPathComponent(path))
                let text = String(decoding: data, as: UTF8.self)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let trimmed = line.drop { $0 == " " }
                    if trimmed.hasPrefix("//") { continue }
                    lines.append(("\(folder)/\(path)", number + 1, String(line)))
                }
            }
        }
        return lines
    }

    static let forbidden: [(pattern: String, why: String)] = [
        ("import Foundation\n", "Foundation (FoundationEssentials at most)"),
        ("import FoundationNetworking", "networking"),
        ("import Dispatch", "Dispatch"),
        ("print(", "printing"),
        ("debugPrint(", "printing"),
        ("dump(", "printing"),
        ("FileManager", "file I/O"),
        ("FileHandle", "file I/O"),
        ("fopen(", "file I/O"),
        ("URLSession", "network I/O"),
        ("ProcessInfo", "environment reads"),
        ("getenv(", "environment reads"),
        ("Task.detached", "detached tasks"),
        ("DispatchQueue", "dispatch queues"),
        ("@MainActor", "the main actor"),
    ]

    @Test("The library sources exist where the test looks")
    func sourcesFound() throws {
        let lines = try Self.codeLines()
        #expect(lines.count > 1000)
        #expect(lines.contains { $0.file.hasPrefix("Orchestrator/") })
    }

    @Test("No Foundation, no I/O, no detached tasks, no main actor in library code")
    func noForbiddenAPIs() throws {
        for (file, line, text) in try Self.codeLines() {
            let probe = text + "\n"
            for (pattern, why) in Self.forbidden where probe.contains(pattern) {
                Issue.record("\(file):\(line) uses \(why): \(text)")
            }
        }
    }

    @Test(
        "@unchecked Sendable appears only in the audited types: the TSan lock, the agent thread pool, the deadline timer"
    )
    func uncheckedSendable() throws {
        let uses = try Self.codeLines().filter { $0.text.contains("@unchecked Sendable") }
        #expect(
            uses.map(\.file).sorted() == [
                "Orchestrator/Run/AgentThreadPool.swift", "Orchestrator/Run/DeadlineTimer.swift",
                "Policy/LockedState.swift",
            ]
        )
    }
}
