// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "swift-agent-orchestration",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)],
    products: [
        .library(name: "AgentPolicy", targets: ["AgentPolicy"]),
        .library(name: "AgentAdapters", targets: ["AgentAdapters"]),
        .library(name: "AgentOrchestration", targets: ["AgentOrchestration"]),
        .library(name: "AgentTaskGraph", targets: ["AgentTaskGraph"]),
        .library(name: "AgentTesting", targets: ["AgentTesting"]),
        .library(name: "AgentFileJournal", targets: ["AgentFileJournal"]),
        .library(name: "AgentMCPStdio", targets: ["AgentMCPStdio"]),
    ],
    targets: [
        .target(name: "AgentPolicy", path: "Sources/Policy"),
        .target(name: "AgentTaskGraph", dependencies: ["AgentPolicy"], path: "Sources/DAG"),
        .target(
            name: "AgentAdapters",
            dependencies: ["AgentPolicy"],
            path: "Sources/Adapters",
            exclude: ["Testing", "FileJournal", "MCPStdio"]
        ),
        // The MCP stdio transport: an optional I/O product (POSIX processes and pipes, no Foundation).
        .target(
            name: "AgentMCPStdio",
            dependencies: ["AgentAdapters", "AgentPolicy"],
            path: "Sources/Adapters/MCPStdio"
        ),
        // Test doubles (ManualClock, ScriptedAgent): tests, examples and benchmarks link them; production code never.
        .target(
            name: "AgentTesting",
            dependencies: ["AgentAdapters", "AgentPolicy"],
            path: "Sources/Adapters/Testing"
        ),
        // The file journal store: the one product that does file I/O (POSIX calls, no Foundation).
        .target(
            name: "AgentFileJournal",
            dependencies: ["AgentAdapters", "AgentPolicy"],
            path: "Sources/Adapters/FileJournal"
        ),
        .target(
            name: "AgentOrchestration",
            dependencies: ["AgentPolicy", "AgentAdapters", "AgentTaskGraph"],
            path: "Sources/Orchestrator"
        ),
        .executableTarget(
            name: "QuickStart",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentTesting"],
            path: "Examples/QuickStart"
        ),
        .executableTarget(
            name: "Governance",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy"],
            path: "Examples/Governance"
        ),
        .executableTarget(
            name: "ResearchPipeline",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentTaskGraph"],
            path: "Examples/ResearchPipeline"
        ),
        .executableTarget(
            name: "MCPTools",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentMCPStdio"],
            path: "Examples/MCPTools"
        ),
        // Talks to any OpenAI-compatible server through a URLSession transport written in the example (Foundation).
        .executableTarget(
            name: "LiveModel",
            dependencies: ["AgentOrchestration"],
            path: "Examples/LiveModel"
        ),
        .executableTarget(
            name: "DurableRun",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentFileJournal"],
            path: "Examples/DurableRun"
        ),
        .executableTarget(
            name: "Approval",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy"],
            path: "Examples/Approval"
        ),
        .executableTarget(
            name: "TicketTriage",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentTesting"],
            path: "Examples/TicketTriage"
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentTaskGraph", "AgentTesting"],
            path: "Benchmarks",
            exclude: ["Data"]
        ),
        .testTarget(
            name: "AgentMCPStdioTests",
            dependencies: ["AgentMCPStdio", "AgentAdapters", "AgentPolicy"],
            path: "Tests/MCPStdioTests"
        ),
        .testTarget(name: "AgentPolicyTests", dependencies: ["AgentPolicy"], path: "Tests/PolicyTests"),
        .testTarget(
            name: "AgentAdaptersTests",
            dependencies: ["AgentAdapters", "AgentPolicy", "AgentTesting"],
            path: "Tests/AdaptersTests",
            exclude: ["FixtureData"]
        ),
        .testTarget(
            name: "AgentFileJournalTests",
            dependencies: ["AgentFileJournal", "AgentAdapters", "AgentPolicy"],
            path: "Tests/FileJournalTests"
        ),
        .testTarget(
            name: "AgentOrchestrationTests",
            dependencies: ["AgentOrchestration", "AgentAdapters", "AgentPolicy", "AgentTaskGraph", "AgentTesting"],
            path: "Tests/OrchestrationTests"
        ),
        .testTarget(
            name: "AgentTaskGraphTests",
            dependencies: ["AgentTaskGraph", "AgentAdapters", "AgentPolicy", "AgentTesting"],
            path: "Tests/TaskGraphTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

let upcomingFeatures = [
    "ExistentialAny", "MemberImportVisibility", "InternalImportsByDefault",
    "NonisolatedNonsendingByDefault", "InferIsolatedConformances", "ImmutableWeakCaptures",
]
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings += upcomingFeatures.map { .enableUpcomingFeature($0) }
    settings.append(.treatAllWarnings(as: .error))
    if target.type == .regular {
        settings.append(.unsafeFlags(["-Xfrontend", "-require-explicit-sendable"]))
    }
    target.swiftSettings = settings
}
