#!/usr/bin/env bash
# Builds the fuzz package (Fuzz/) with libFuzzer and AddressSanitizer and runs every executable target it finds
# for FUZZ_SECONDS (default 20) each, starting from Fuzz/corpus/<Target> when it exists. Fails on any crash.
#
#   bash .ci/fuzz.sh            # every target
#   FUZZ_SECONDS=60 bash .ci/fuzz.sh FuzzMCP
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds="${FUZZ_SECONDS:-20}"

swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld 2>&1 | tail -n 3
bin=$(swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --show-bin-path)
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(swift package dump-package | python3 -c '
import json, sys
for target in json.load(sys.stdin)["targets"]:
    if target["type"] == "executable":
        print(target["name"])
')
fi
for target in "${targets[@]}"; do
    corpus="corpus/$target"
    work=$(mktemp -d)
    [ -d "$corpus" ] && cp -r "$corpus/." "$work/"
    echo "=== $target (${seconds}s) ==="
    "$bin/$target" "$work" -max_total_time="$seconds" -max_len=4096 -timeout=5 -print_final_stats=1 2>&1 | tail -n 4
    rm -rf "$work"
done
echo "fuzzing passed: ${targets[*]}"
