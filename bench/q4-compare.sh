#!/usr/bin/env bash
# Euclid's 4-bit weights against native llama.cpp on the very same GGUF files, alternating:
# llama.cpp's own llama-quantize makes Q4_0 and Q4_K_M from one synthetic F16 GGUF, Euclid opens
# them (Q4_0 blocks copied: --weights q4_0; Q4_K as Q4_1 and Q6_K as INT8: --weights q4_1) and
# llama-bench measures the same files; Euclid runs with each of ACTIVATIONS (fp32 and/or int8,
# comma-separated). Prints one JSON line per measurement.
#   bench/q4-compare.sh [SHAPE (1b)] [ROUNDS (2)] [THREADS (2)] [ACTIVATIONS (fp32)]
# Needs target/euclid-cli.jar (mvn -B package -pl tools -am -DskipTests), a C compiler and
# the peer build in ../shared/peers/llama.cpp/bin (LLAMA_BIN overrides).
set -euo pipefail
shape=${1:-1b}
rounds=${2:-2}
threads=${3:-2}
activations=${4:-fp32}
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${Q4_COMPARE_CACHE:-$HOME/.cache/euclid/q4-compare}"
source "$root/bench/llama-peer.sh"
peer_files "$shape" "$threads" Q4_0 Q4_K_M
for round in $(seq "$rounds"); do
    for q in Q4_0 Q4_K_M; do
        weights=$([ "$q" = Q4_0 ] && echo q4_0 || echo q4_1)
        for a in ${activations//,/ }; do
            echo "{\"round\": $round, \"file\": \"$shape-$q\", \"engine\": \"euclid --weights $weights --activations $a\", \"result\": $(
                "${cli[@]}" bench --model "$work/$shape-$q.gguf" --weights "$weights" --activations "$a" --threads "$threads" \
                    --prompt-tokens 128 --gen-tokens 64 --runs 3 --bandwidth --json 2>/dev/null)}"
        done
        echo "{\"round\": $round, \"file\": \"$shape-$q\", \"engine\": \"llama-bench\", \"result\": $(
            LD_LIBRARY_PATH="$bin" "$bin/llama-bench" -m "$work/$shape-$q.gguf" -t "$threads" -p 128 -n 64 -r 3 \
                -o jsonl 2>/dev/null | tr '\n' ',' | sed 's/,$//; s/^/[/; s/$/]/')}"
    done
done
