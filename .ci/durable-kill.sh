#!/usr/bin/env bash
# The process-level durability check (issue 9): kill the DurableRun example with SIGKILL at a bounded number of
# moments, rerun the same command until it prints its report, and check what a crash must never break.
#
#   bash .ci/durable-kill.sh
#
# DurableRun runs a ten-step agent whose tool sleeps ~100 ms per call and appends one line per call,
# "step <n> key <idempotency key>", to <journal>.effects, skipping a key already there. Each round starts on a fresh
# journal in a temporary directory, kills the process with SIGKILL after each delay of the round (spread over the
# ~1 s run, some landing inside a tool call, some between the effect and its result entry), then runs it unkilled
# (bounded by a timeout) until it prints its report. Then, per round:
#   - the effects file holds exactly ten lines, ten distinct keys, and steps 1 to 10 once each (exactly-once
#     effects across kills: a call journaled as started but not finished is called again with the same key);
#   - the report is complete: status succeeded, 10 steps, 10 tool calls;
#   - `DurableRun --verify` passes on the journal (and Docs/verify_journal.py --journal, when python3 is there).
# Bounded: 6 rounds, at most 4 kills each, ~15 s in all on a 2-core machine after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8

swift build -c release --product DurableRun 2>&1 | tail -n 1
binary="$(swift build -c release --show-bin-path)/DurableRun"
[ -x "$binary" ] || { echo "durable-kill: $binary was not built" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One round per line: the delays (seconds) after which successive attempts are killed. The run takes ~1 s, so
# 0.15 lands in the second call, 0.95 near the end; a repeated short delay kills a resumed run again early.
rounds=(
    "0.15"
    "0.35 0.2"
    "0.55 0.1 0.3"
    "0.75 0.45"
    "0.95 0.05 0.05 0.6"
    "0.25 0.25 0.25 0.25"
)
final_timeout=30
total_kills=0
failures=0

fail_round() {
    echo "durable-kill: round $1: $2" >&2
    failures=$((failures + 1))
}

for index in "${!rounds[@]}"; do
    round=$((index + 1))
    journal="$work/round-$round.journal"
    output="$work/round-$round.out"
    kills=0
    for delay in ${rounds[$index]}; do
        "$binary" "$journal" > "$output" 2>&1 &
        pid=$!
        sleep "$delay"
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            kills=$((kills + 1))
        fi
        wait "$pid" 2>/dev/null || true
        # A run that finished before its kill printed its report; the next attempt resumes a finished journal.
    done
    # The last attempt runs unkilled: it must finish and print the report.
    set +e
    timeout "$final_timeout" "$binary" "$journal" > "$output" 2>&1
    status=$?
    set -e
    total_kills=$((total_kills + kills))
    if [ "$status" -ne 0 ]; then
        cat "$output" >&2
        fail_round "$round" "the rerun after $kills kills exited with $status (124: it did not finish in ${final_timeout} s)"
        continue
    fi
    summary=$(grep '^DurableRun report:' "$output" || true)
    if ! grep -qE '"status" ?: "succeeded"' "$output" \
        || ! echo "$summary" | grep -q 'status succeeded, 10 steps, 10 tool calls'; then
        cat "$output" >&2
        fail_round "$round" "the report is not complete (want status succeeded, 10 steps, 10 tool calls)"
        continue
    fi
    effects="$journal.effects"
    lines=$(wc -l < "$effects")
    keys=$(sed 's/^step [0-9]* key //' "$effects" | sort -u | wc -l)
    steps=$(awk '{ print $2 }' "$effects" | sort -n | uniq | tr '\n' ' ')
    if [ "$lines" -ne 10 ] || [ "$keys" -ne 10 ] || [ "$steps" != "1 2 3 4 5 6 7 8 9 10 " ]; then
        cat "$effects" >&2
        fail_round "$round" "the effects file has $lines lines, $keys distinct keys, steps [$steps]: want each of the" \
            "ten keys exactly once (after $kills kills)"
        continue
    fi
    if ! verified=$("$binary" --verify "$journal"); then
        echo "$verified" >&2
        fail_round "$round" "DurableRun --verify refused the journal"
        continue
    fi
    if command -v python3 > /dev/null \
        && ! python3 Docs/verify_journal.py --journal "$journal" > /dev/null; then
        fail_round "$round" "Docs/verify_journal.py --journal refused the journal that --verify accepted"
        continue
    fi
    echo "round $round: killed $kills times (after ${rounds[$index]// / s, } s), then: $summary; $(echo "$verified" | head -n 1);" \
        "effects: 10 keys, each once"
done

if [ "$failures" -ne 0 ]; then
    echo "durable-kill: $failures of ${#rounds[@]} rounds failed" >&2
    exit 1
fi
if [ "$total_kills" -eq 0 ]; then
    echo "durable-kill: no attempt was killed (every run finished before its kill): the check proved nothing" >&2
    exit 1
fi
echo "durable-kill: ${#rounds[@]} rounds, $total_kills SIGKILLs, every effect exactly once, every report complete"
