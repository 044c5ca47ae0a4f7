#!/usr/bin/env bash
# Euclid's 4-bit weights against native llama.cpp on the very same GGUF files, alternating:
# llama.cpp's own llama-quantize makes Q4_0 and Q4_K_M from one synthetic F16 GGUF, Euclid opens
# them (Q4_0 blocks copied: --weights q4_0; Q4_K as Q4_1 and Q6_K as INT8: --weights q4_1) and
# llama-bench measures the same files; Euclid runs with each of ACTIVATIONS (fp32 and/or int8,
# comma-separated); FROM_F16 adds Euclid runs on the F16 file the Q4 files came from, each
# PRECISION:ACTIVATIONS (e.g. fp8:fp32,nvfp4:int8: Euclid's own formats, converted at open, on the
# same weights). Prints one JSON line per measurement.
#   bench/q4-compare.sh [SHAPE (1b)] [ROUNDS (2)] [THREADS (2)] [ACTIVATIONS (fp32)] [FROM_F16 (none)]
# Needs target/euclid-cli.jar (mvn -B package -pl tools -am -DskipTests), a C compiler and
# the peer build in ../shared/peers/llama.cpp/bin (LLAMA_BIN overrides).
set -euo pipefail
shape=${1:-1b}
rounds=${2:-2}
threads=${3:-2}
activations=${4:-fp32}
from_f16=${5:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${Q4_COMPARE_CACHE:-$HOME/.cache/euclid/q4-compare}"
source "$root/bench/llama-peer.sh"
peer_files "$shape" Q4_0 Q4_K_M
euclid_bench() {  # FILE WEIGHTS ACTIVATIONS
    "${cli[@]}" bench --model "$1" --weights "$2" --activations "$3" --threads "$threads" \
        --prompt-tokens 128 --gen-tokens 64 --runs 3 --bandwidth --json 2>/dev/null
}
for round in $(seq "$rounds"); do
    for pa in ${from_f16//,/ }; do
        echo "{\"round\": $round, \"file\": \"$shape-f16\", \"engine\": \"euclid --weights ${pa%%:*} --activations ${pa##*:}\", \"result\": $(
            euclid_bench "$work/$shape-f16.gguf" "${pa%%:*}" "${pa##*:}")}"
    done
    for q in Q4_0 Q4_K_M; do
        weights=$([ "$q" = Q4_0 ] && echo q4_0 || echo q4_1)
        for a in ${activations//,/ }; do
            echo "{\"round\": $round, \"file\": \"$shape-$q\", \"engine\": \"euclid --weights $weights --activations $a\", \"result\": $(
                euclid_bench "$work/$shape-$q.gguf" "$weights" "$a")}"
        done
        echo "{\"round\": $round, \"file\": \"$shape-$q\", \"engine\": \"llama-bench\", \"result\": $(
            LD_LIBRARY_PATH="$bin" "$bin/llama-bench" -m "$work/$shape-$q.gguf" -t "$threads" -p 128 -n 64 -r 3 \
                -o jsonl 2>/dev/null | tr '\n' ',' | sed 's/,$//; s/^/[/; s/$/]/')}"
    done
done
