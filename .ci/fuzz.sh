#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (release, fuzzer + address sanitizers, lld) and runs each briefly.
#
#   bash .ci/fuzz.sh            # every target, FUZZ_SECONDS (default 20) each
#   bash .ci/fuzz.sh FuzzToolSchema
#
# A crash, a leak or a failed invariant (fatalError in the target) fails the script; the crashing input is left in
# Fuzz/.artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

SECONDS_EACH="${FUZZ_SECONDS:-20}"
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=(FuzzToolSchema)
fi

swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
BIN=$(swift build -c release --show-bin-path)
mkdir -p .artifacts
for target in "${TARGETS[@]}"; do
    corpus=$(mktemp -d)
    if [ -d "Corpus/$target" ]; then cp -R "Corpus/$target/." "$corpus/"; fi
    echo "=== $target (${SECONDS_EACH}s) ==="
    "$BIN/$target" "$corpus" -max_len=2048 -timeout=5 -max_total_time="$SECONDS_EACH" \
        -artifact_prefix=.artifacts/ -print_final_stats=1 2>&1 | tail -n 12
    rm -rf "$corpus"
done
