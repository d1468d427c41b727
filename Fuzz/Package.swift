// swift-tools-version: 6.2
// libFuzzer targets for the code that parses outside bytes (STYLE.md §3). A package of its own, so the unsafe
// `-parse-as-library` flag stays out of the library's manifest. Build and run with `bash .ci/fuzz.sh`.
import PackageDescription

let package = Package(
    name: "swift-agent-orchestration-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-agent-orchestration", path: "..")],
    targets: [
        // JSON-RPC line → MCPMessage → line: never traps; a parsed message prints to text that parses back equal.
        .executableTarget(
            name: "FuzzMCP",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzMCP",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
