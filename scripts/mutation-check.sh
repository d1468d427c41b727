#!/usr/bin/env bash
# Mutation check: applies each small source mutation from scripts/mutations.txt to a scratch copy of the package,
# builds, runs the Swift Testing suite under a time limit and reports whether a test caught it.
#
#   KILLED       a test failed (the first failing test and its first issue are shown)
#   TIMEOUT      the suite hit the time limit: a weak kill (printed, but not a failure of the check); if no
#                named issue was recorded before the hang, fix the test (add a watchdog)
#   SURVIVED     every test passed: the invariant is untested
#   STALE        the search text is not in the file exactly once: update scripts/mutations.txt
#   BUILD-FAILED the mutated tree does not compile: fix the entry
#
# Exits 1 if any mutation survived, is stale or did not build; 0 when every mutation was killed (or timed out).
# Slow (one incremental build and one suite run per mutation), so it does not run in CI. See Docs/Testing.md.
#
# Usage: scripts/mutation-check.sh [--list FILE] [--only NAME[,NAME...]] [--timeout SECONDS] [--keep]
#   --list      the mutation list (default: scripts/mutations.txt)
#   --only      run only the named mutations
#   --timeout   time limit for one suite run, in seconds (default 120)
#   --keep      keep the per-mutation logs even when the run succeeds (they are always kept on failure)
#
# Work folders (both ignored by git through .build-*/): .build-mutation/tree (the mutated copy) and
# .build-mutation/build (SwiftPM's scratch path, reused so each mutation is an incremental build).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIST="$ROOT/scripts/mutations.txt"
ONLY=""
LIMIT=120
KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --list) LIST="$2"; shift 2 ;;
        --only) ONLY=",$2,"; shift 2 ;;
        --timeout) LIMIT="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h | --help) sed -n '2,24p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

WORK="$ROOT/.build-mutation"
TREE="$WORK/tree"
SCRATCH="$WORK/build"
LOGS="$WORK/logs"
NL=$'\n'
mkdir -p "$TREE" "$SCRATCH" "$LOGS"

# Copies the package's files (tracked and untracked, not ignored) into the scratch tree, touching only files that
# differ so incremental builds stay incremental; removes files that are gone.
sync_tree() {
    local file
    (cd "$ROOT" && git ls-files --cached --others --exclude-standard) | while IFS= read -r file; do
        [[ -f "$ROOT/$file" ]] || continue
        if ! cmp -s "$ROOT/$file" "$TREE/$file"; then
            mkdir -p "$TREE/$(dirname "$file")"
            cp "$ROOT/$file" "$TREE/$file"
        fi
    done
    (cd "$TREE" && find . -type f | sed 's|^\./||') | while IFS= read -r file; do
        [[ -e "$ROOT/$file" ]] || rm -f "$TREE/$file"
    done
}

build() {
    swift build --build-tests --package-path "$TREE" --scratch-path "$SCRATCH" >"$1" 2>&1
}

# Runs the suite; prints the exit status (124 when the time limit was hit).
run_suite() {
    timeout -k 10 "$LIMIT" swift test --skip-build --disable-xctest \
        --package-path "$TREE" --scratch-path "$SCRATCH" >"$1" 2>&1
    echo $?
}

# The first test that recorded an issue, where and what (with the issue's comment), and how long that test took.
first_failure() {
    local line name detail comment took failed
    line=$(grep -m1 -E '^✘ Test .* recorded an issue ' "$1")
    if [[ -z "$line" ]]; then
        echo "(no issue line; see $1)"
        return
    fi
    name=$(sed -E 's/^✘ Test (.*) recorded an issue .*/\1/' <<<"$line")
    detail="${line#* recorded an issue }"
    detail="${detail#at }"  # parameterized tests say "with 1 argument limit → 0 at File.swift:…"
    comment=$(grep -m1 -A1 -F -x -- "$line" "$1" | sed -n '2s/^↳ //p')
    [[ -n "$comment" ]] && detail="${detail%: Issue recorded}: $comment"
    took=$(grep -F -- "✘ Test $name " "$1" | grep -m1 -oE 'failed after [0-9.]+ seconds')
    failed=$(grep -c -E '^✘ Test .* failed after' "$1")
    echo "$name: ${detail:0:220}${took:+ [$took]} ($failed failing tests)"
}

sync_tree
echo "Baseline: building and running the unmutated suite…"
if ! build "$LOGS/baseline-build.log"; then
    echo "The unmutated package does not build; see $LOGS/baseline-build.log" >&2
    exit 2
fi
status=$(run_suite "$LOGS/baseline-test.log")
if [[ "$status" != 0 ]]; then
    echo "The unmutated suite is not green (exit $status); see $LOGS/baseline-test.log" >&2
    exit 2
fi

results=()
bad=0
while IFS= read -r line || [[ -n "$line" ]]; do
    [[ -z "${line// /}" || "$line" == \#* ]] && continue
    name="${line%% | *}"; rest="${line#* | }"
    file="${rest%% | *}"; rest="${rest#* | }"
    search="${rest%% | *}"; replacement="${rest#* | }"
    if [[ "$rest" != *" | "* || -z "$name" || -z "$file" ]]; then
        results+=("$name|STALE|-|malformed line: $line"); bad=1; continue
    fi
    [[ -n "$ONLY" && "$ONLY" != *",$name,"* ]] && continue
    search="${search//⏎/$NL}"
    replacement="${replacement//⏎/$NL}"
    target="$TREE/$file"
    if [[ ! -f "$target" ]]; then
        results+=("$name|STALE|-|no file $file"); bad=1; continue
    fi
    content="$(<"$target")"
    once="${content/"$search"/}"
    if [[ "$once" == "$content" ]]; then
        results+=("$name|STALE|-|search text not found in $file"); bad=1; continue
    fi
    if [[ "$once" == *"$search"* ]]; then
        results+=("$name|STALE|-|search text occurs more than once in $file"); bad=1; continue
    fi
    printf '%s\n' "${content/"$search"/"$replacement"}" >"$target"
    echo "[$name] $file: building…"
    started=$(date +%s)
    if ! build "$LOGS/$name-build.log"; then
        results+=("$name|BUILD-FAILED|-|see $LOGS/$name-build.log"); bad=1
    else
        echo "[$name] running the suite (limit ${LIMIT} s)…"
        started=$(date +%s)
        status=$(run_suite "$LOGS/$name-test.log")
        seconds=$(($(date +%s) - started))
        case "$status" in
            0) results+=("$name|SURVIVED|${seconds}|every test passed"); bad=1 ;;
            124 | 137)
                # A weak kill: printed, not a failure of the check. Named issues before the hang are shown.
                results+=("$name|TIMEOUT|${seconds}|hit the ${LIMIT} s limit; $(first_failure "$LOGS/$name-test.log")")
                ;;
            *) results+=("$name|KILLED|${seconds}|$(first_failure "$LOGS/$name-test.log")") ;;
        esac
    fi
    cp "$ROOT/$file" "$target"  # restore
    echo "[$name] ${results[-1]#*|}"
done <"$LIST"

echo
printf '%-36s %-12s %-6s %s\n' "MUTATION" "RESULT" "SUITE" "FIRST FAILURE"
for result in "${results[@]}"; do
    IFS='|' read -r name verdict seconds detail <<<"$result"
    printf '%-36s %-12s %-6s %s\n' "$name" "$verdict" "${seconds}s" "$detail"
done
if [[ $bad -ne 0 ]]; then
    echo "Some mutations survived, are stale or did not build; logs in $LOGS" >&2
    exit 1
fi
[[ $KEEP -eq 1 ]] || rm -f "$LOGS"/*.log
echo "No mutation survived."
