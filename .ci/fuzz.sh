#!/usr/bin/env bash
# Builds the Fuzz package with libFuzzer and AddressSanitizer and runs every target briefly.
#
#   bash .ci/fuzz.sh              # each target for 20 s
#   FUZZ_SECONDS=60 bash .ci/fuzz.sh
#
# Targets are the folders under Fuzz/Sources. Each runs on a scratch copy of its seed corpus
# (Fuzz/Corpus/<Target>), so new inputs the fuzzer finds are not written into the repository; a crash leaves its
# input as Fuzz/.build/artifacts/<Target>/crash-* and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"

swift build -c release --package-path Fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld 2>&1 | tail -n 3
bin="$(swift build -c release --package-path Fuzz --show-bin-path)"

targets=()
for dir in Fuzz/Sources/*/; do
    targets+=("$(basename "$dir")")
done
echo "fuzz: ${#targets[@]} targets × ${SECONDS_PER_TARGET} s"

for target in "${targets[@]}"; do
    scratch="$(mktemp -d)"
    artifacts="Fuzz/.build/artifacts/$target"
    mkdir -p "$artifacts"
    seeds=()
    [ -d "Fuzz/Corpus/$target" ] && seeds+=("Fuzz/Corpus/$target")
    echo "--- $target"
    if ! "$bin/$target" "$scratch" "${seeds[@]}" -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -timeout=5 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 > "$scratch.log" 2>&1; then
        tail -n 40 "$scratch.log"
        echo "fuzz target $target failed; the input is in $artifacts/" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$scratch.log" || tail -n 2 "$scratch.log"
    rm -rf "$scratch" "$scratch.log"
done
echo "fuzz: ok"
