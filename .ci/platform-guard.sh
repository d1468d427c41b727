#!/usr/bin/env bash
# Guards what CI cannot compile: the Apple-platform builds.
#
#   bash .ci/platform-guard.sh
#
# CI builds and tests on Linux (Glibc) only, so two mistakes would go unseen until someone builds on a Mac:
# 1. Package.swift losing its `platforms:` (SwiftPM then targets macOS 10.13 / iOS 12, where Synchronization's
#    Mutex and Atomic do not exist), or lowering one below the floor that Docs/Platforms.md records.
# 2. Platform-specific code (`import Glibc`, `#if canImport(Darwin)`, ...) spreading beyond the files that are
#    allowed to have it. Each allowed file quotes, per platform branch, the declaration it follows.
# Needs `swift` (for `swift package dump-package`) and `python3` (to read its JSON).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
fail() {
    echo "platform-guard: $*" >&2
    status=1
}

# --- 1. Declared platforms: each must be present and at least its floor. ---
# platformName as `dump-package` spells it, the lowest version the code compiles for, and the manifest spelling.
floors=(
    "macos 15.0 .macOS(.v15)"
    "ios 18.0 .iOS(.v18)"
    "tvos 18.0 .tvOS(.v18)"
    "watchos 11.0 .watchOS(.v11)"
    "visionos 2.0 .visionOS(.v2)"
)
expected="platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18), .watchOS(.v11), .visionOS(.v2)]"
# "name version" per declared platform, e.g. "macos 15.0".
declared_platforms=$(swift package dump-package | python3 -c '
import json, sys
for platform in json.load(sys.stdin).get("platforms") or []:
    print(platform["platformName"], platform["version"])
')
if [ -z "$declared_platforms" ]; then
    fail "Package.swift has no 'platforms:'. SwiftPM then builds for macOS 10.13 and iOS 12, where Synchronization" \
        "and task executors do not exist. Declare $expected (Docs/Platforms.md says why)."
else
    for entry in "${floors[@]}"; do
        read -r name floor spelling <<<"$entry"
        declared=$(awk -v name="$name" '$1 == name { print $2; exit }' <<<"$declared_platforms")
        if [ -z "$declared" ]; then
            fail "Package.swift's 'platforms:' lacks $spelling: add it (Docs/Platforms.md says why that version)."
        elif [ "$(printf '%s\n%s\n' "$floor" "$declared" | sort -V | head -n 1)" != "$floor" ]; then
            fail "Package.swift declares $name $declared, below the floor $spelling that the code needs" \
                "(Docs/Platforms.md)."
        fi
    done
fi

# --- 2. Platform-specific code only in the allowed files. ---
# Every file that may import a platform's C library or test for one. Add a file here only with a reason, and
# quote in it the declaration each platform branch follows.
allowed=(
    "Sources/Policy/Platform/ThreadPrimitives.swift" # the library's threads, mutex and condition variable
    "Sources/Adapters/FileJournal/FileJournalSystem.swift" # AgentFileJournal's POSIX file calls (optional product)
    "Benchmarks/Support.swift"                       # the benchmark's file reader and peak-memory probe
    "Sources/Adapters/MCPStdio/MCPStdioProcess.swift"   # AgentMCPStdio: posix_spawn, pipes, read/write, waitpid
    "Sources/Adapters/MCPStdio/MCPStdioTransport.swift" # AgentMCPStdio: signals and the transport's threads
    "Examples/MCPTools/Exit.swift"                      # the MCPTools example's exit status and standard error
    "Examples/DurableRun/EffectsFile.swift"             # the DurableRun example's effects file, exit status, stderr
    "Tests/AdaptersTests/FixtureFiles.swift"            # test fixtures read and written with C stdio (fopen, getenv)
    "Tests/OrchestrationTests/DeliveryFlagTests.swift"  # glibc's malloc_usable_size, to check the flag's padding
    "Tests/MCPStdioTests/MCPStdioTransportTests.swift"  # signal(SIGPIPE), to count what a host's handler sees
)
modules='Glibc|Musl|Darwin|WinSDK|ucrt|Android|Bionic'
# An import of one of those modules (any access level, attribute or kind: `@preconcurrency public import
# struct Darwin.timespec`) or a `canImport` test for one; comment lines do not count.
import_pattern="^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+((struct|class|enum|protocol|typealias|func|let|var)[[:space:]]+)?($modules)([.[:space:]]|$)"
can_import_pattern="canImport\\([[:space:]]*($modules)[[:space:]]*[),]"
is_allowed() {
    local file=$1 candidate
    for candidate in "${allowed[@]}"; do
        [ "$file" = "$candidate" ] && return 0
    done
    return 1
}
found_any=0
while IFS= read -r -d '' file; do
    file=${file#./}
    hits=$(grep -nE "$import_pattern|$can_import_pattern" "$file" | grep -vE '^[0-9]+:[[:space:]]*//' || true)
    [ -n "$hits" ] || continue
    if is_allowed "$file"; then
        found_any=1
        continue
    fi
    while IFS= read -r hit; do
        fail "$file:${hit%%:*}: platform-specific code outside the allowed files: ${hit#*:}"
    done <<<"$hits"
    fail "move it into one of: ${allowed[*]} (or add the file to 'allowed' in .ci/platform-guard.sh with a reason)."
done < <(find Sources Tests Examples Benchmarks -name '*.swift' -type f -print0 | sort -z)
if [ "$found_any" -eq 0 ]; then
    fail "no allowed file has platform code any more; the patterns or the allow-list are out of date."
fi

if [ "$status" -ne 0 ]; then
    exit 1
fi
echo "ok: platforms declared at or above macOS 15, iOS 18, tvOS 18, watchOS 11, visionOS 2;" \
    "platform code only in ${allowed[*]}"
