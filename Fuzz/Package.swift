// swift-tools-version: 6.2
// libFuzzer targets for the code that reads outside bytes. Not part of the library: a package of its own that
// depends on the project by path. Build and run them with `bash .ci/fuzz.sh` (see STYLE.md §3).
import PackageDescription

let package = Package(
    name: "swift-agent-orchestration-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-agent-orchestration", path: "..")],
    targets: [
        // JSON text → ToolSchema (its JSON Schema form) → validation and re-rendering.
        .executableTarget(
            name: "FuzzToolSchema",
            dependencies: [.product(name: "AgentAdapters", package: "swift-agent-orchestration")],
            path: "Sources/FuzzToolSchema",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ],
    swiftLanguageModes: [.v6]
)
