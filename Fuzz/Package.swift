// swift-tools-version: 6.2
// libFuzzer targets for the code that parses outside bytes. Built and run by `.ci/fuzz.sh`:
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
// Each target is one file defining `<Target>_main`, which hands over to libFuzzer's driver (see STYLE.md §3).
import PackageDescription

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "Fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-agent-orchestration", path: "..")],
    targets: [
        // JSON text → ToolSchema (its JSON Schema form) → validation and re-rendering.
        .executableTarget(
            name: "FuzzToolSchema",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzToolSchema",
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzJSON",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzJSON",
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzSSE",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzSSE",
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzModelStream",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzModelStream",
            swiftSettings: fuzzSettings
        ),
        // Any bytes read as a journal file → the whole records and the damaged tail (AgentFileJournal).
        .executableTarget(
            name: "FuzzFileJournal",
            dependencies: [
                .product(name: "AgentAdapters", package: "swift-agent-orchestration"),
                .product(name: "AgentFileJournal", package: "swift-agent-orchestration"),
            ],
            path: "Sources/FuzzFileJournal",
            swiftSettings: fuzzSettings
        ),
        // JSON-RPC line → MCPMessage → line: never traps; a parsed message prints to one line that parses back
        // equal; tool results and tool schemas read from it never trap; the bytes as an event stream, decoded with
        // ServerSentEventDecoder as MCPHTTPTransport does, never trap and do not depend on chunking.
        .executableTarget(
            name: "FuzzMCP",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzMCP",
            swiftSettings: fuzzSettings
        ),
        // JSON text → RFC 8785 form (a fixed point that parses back) → a sealed journal entry that verifies;
        // arbitrary bytes verified as a journal never trap.
        .executableTarget(
            name: "FuzzCanonical",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzCanonical",
            swiftSettings: fuzzSettings
        ),
        // Any bytes read as a run journal (stored records, and lines sealed into a fresh chain) → run entries and
        // their typed fields, or a typed DurableRunError inside the journal; never a trap.
        .executableTarget(
            name: "FuzzRunJournal",
            dependencies: [.product(name: "AgentOrchestration", package: "swift-agent-orchestration")],
            path: "Sources/FuzzRunJournal",
            swiftSettings: fuzzSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
