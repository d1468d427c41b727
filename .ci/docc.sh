#!/usr/bin/env bash
# Builds the DocC archive of every library module with the toolchain's `docc` (no plugin), warnings as errors.
#
#   DOCC_SCRATCH=.build-docs bash .ci/docc.sh
#
# DOCC_SCRATCH is the SwiftPM scratch path for the symbol-graph build (default `.build`). Archives are written to
# .build/docs/<Module>.doccarchive. AgentTaskGraph is included once Sources/DAG/AgentTaskGraph.docc exists.
set -euo pipefail

cd "$(dirname "$0")/.."

SCRATCH="${DOCC_SCRATCH:-.build}"
OUT_DIR=".build/docs"

folder_of() {
    case "$1" in
        AgentPolicy) echo "Sources/Policy" ;;
        AgentAdapters) echo "Sources/Adapters" ;;
        AgentOrchestration) echo "Sources/Orchestrator" ;;
        AgentTaskGraph) echo "Sources/DAG" ;;
        AgentTesting) echo "Sources/Adapters/Testing" ;;
        AgentMCPStdio) echo "Sources/Adapters/MCPStdio" ;;
        *) echo "docc.sh: unknown module $1" >&2; return 1 ;;
    esac
}

MODULES=(AgentPolicy AgentAdapters AgentOrchestration AgentTesting AgentMCPStdio)
if [ -d "Sources/DAG/AgentTaskGraph.docc" ]; then
    MODULES+=(AgentTaskGraph)
fi

for M in "${MODULES[@]}"; do
    CATALOG="$(folder_of "$M")/$M.docc"
    if [ ! -d "$CATALOG" ]; then
        echo "docc.sh: missing catalog $CATALOG" >&2
        exit 1
    fi
done

mkdir -p "$SCRATCH" "$OUT_DIR"
MARKER="$(mktemp "$SCRATCH/.docc-marker.XXXXXX")"
LOG="$(mktemp "$SCRATCH/.docc-dump.XXXXXX")"
trap 'rm -f "$MARKER" "$LOG"' EXIT

# Dump the symbol graphs of every module in one build. On Linux, SwiftPM also tries to extract graphs for the
# synthesized test-runner modules (<package>PackageTests, <package>PackageDiscoveredTests), cannot load them, and
# exits 1 after writing every library module's graph. Tolerate exactly that failure; anything else fails the script.
set +e
swift package --scratch-path "$SCRATCH" dump-symbol-graph --emit-extension-block-symbols >"$LOG" 2>&1
DUMP_STATUS=$?
set -e
if [ "$DUMP_STATUS" -ne 0 ]; then
    OTHER_ERRORS="$(grep -E '^error: ' "$LOG" \
        | grep -vE "^error: Failed to emit symbol graph for '[A-Za-z0-9_]+Package(Discovered)?Tests'" || true)"
    if [ -n "$OTHER_ERRORS" ] || ! grep -q '^Build complete!' "$LOG"; then
        cat "$LOG" >&2
        echo "docc.sh: swift package dump-symbol-graph failed (exit $DUMP_STATUS)" >&2
        exit 1
    fi
fi

for M in "${MODULES[@]}"; do
    CATALOG="$(folder_of "$M")/$M.docc"
    GRAPH="$(find "$SCRATCH" -path '*symbolgraph*' -name "$M.symbols.json" -newer "$MARKER" | head -1)"
    if [ -z "$GRAPH" ]; then
        echo "docc.sh: no fresh $M.symbols.json under $SCRATCH" >&2
        exit 1
    fi
    SG_DIR="$(dirname "$GRAPH")"
    MODULE_SG="$SCRATCH/sg/$M"
    rm -rf "$MODULE_SG"
    mkdir -p "$MODULE_SG"
    cp "$SG_DIR/$M.symbols.json" "$MODULE_SG/"
    shopt -s nullglob
    EXTENSIONS=("$SG_DIR/$M"@*.symbols.json)
    shopt -u nullglob
    if [ "${#EXTENSIONS[@]}" -gt 0 ]; then
        cp "${EXTENSIONS[@]}" "$MODULE_SG/"
    fi

    ARCHIVE="$OUT_DIR/$M.doccarchive"
    if ! docc convert "$CATALOG" \
        --additional-symbol-graph-dir "$MODULE_SG" \
        --fallback-display-name "$M" \
        --fallback-bundle-identifier "org.swift-agent-orchestration.$M" \
        --output-path "$ARCHIVE" \
        --warnings-as-errors >"$LOG" 2>&1; then
        cat "$LOG" >&2
        echo "docc.sh: docc convert failed for $M" >&2
        exit 1
    fi
    echo "docc: $M OK -> $ARCHIVE"
done
